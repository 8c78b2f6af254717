"""Request-side helpers shared by the public pages, the feed and the API."""

from __future__ import annotations

from typing import NoReturn
from urllib.parse import urlencode

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from testimonials.public.listing import (
    Filters,
    Listing,
    ListingError,
    parse,
    parse_cutting_long_query,
)

# What a reader is told when a link's parameter cannot be read (the API says it in English).
PROBLEMS = {
    "cursor_invalid": _l("The page link is not valid. Start again from the newest stories."),
    "both_directions": _l("A page link cannot ask for older and newer stories at once."),
    "repeated": _l("A filter was given more than once."),
    "too_long": _l("The search is too long. Use fewer words."),
    "invalid": _l("One of the filters is not valid."),
}


def reject(description: str, parameter: str | None = None) -> NoReturn:
    """Stop with a 400 whose reason the error page (or the API's problem) shows; `parameter`
    names the query parameter at fault (the API's `invalid-params`)."""
    error = BadRequest(description)
    error.waitline_reason = True  # type: ignore[attr-defined]
    error.waitline_parameter = parameter  # type: ignore[attr-defined]
    raise error


def read_listing(*, for_api: bool = False, cut_long_query: bool = False) -> Listing:
    """The listing the query string asks for, or a 400 that says what is wrong (with
    `cut_long_query`, a search too long is cut to fit instead: the listing says so)."""
    read = parse_cutting_long_query if cut_long_query else parse
    try:
        return read(request.args, multi=request.args.to_dict(flat=False))
    except ListingError as error:
        if for_api:
            reject(API_PROBLEMS[error.code], error.parameter)
        reject(str(PROBLEMS[error.code]))


API_PROBLEMS = {
    "cursor_invalid": "not a cursor from this API; follow the links as given",
    "both_directions": "give either before or after, not both",
    "repeated": "give this parameter once",
    "too_long": "at most 200 characters",
    "invalid": "not one of the allowed values",
}


def listing_href(path: str, filters: Filters, **changes: str | None) -> str:
    """A link to `path` with these filters, some changed (None removes one)."""
    params = filters.params()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"{path}?{urlencode(params)}" if params else path
