"""Bounds on what one request may send, checked before anything reads, parses or cleans it.

Every request with a body (POST; PUT, PATCH and DELETE meet a 405 anyway) goes through
`check_request`, the app's first hook (CSRF's own hook reads the form, so it must come after):
1. an address whose posts were refused too often lately (REFUSED_POST_RATE_LIMIT) is answered
   429 before its body is read;
2. the body may be no larger than its view needs (413, a plain page saying why; Werkzeug
   stops reading there, and bounds the parts of a multipart form too);
3. no form may have more fields than its view takes, in either encoding (413): Werkzeug
   bounds a multipart form's parts but parses any number of URL-encoded pairs, and a 256 KB
   body of short pairs is 28,000 fields and about 100 ms of CPU to parse, so those are
   counted in the raw body first;
4. no single field may be longer than its view allows, counted in characters as sent, before
   any cleaning (413). The patients' forms allow more here than they accept, so that a story
   a little too long comes back with a message beside it (testimonials/forms.py) rather than
   this page.
Refused posts (these, CSRF failures, oversize fields the forms find) are counted against the
address, keyed by its keyed hash (testimonials.addresses), never the address itself.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask_babel import format_number
from flask_babel import gettext as _
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, TooManyRequests
from werkzeug.routing import IntegerConverter, Map

from testimonials.addresses import client_key
from testimonials.extensions import limiter

log = logging.getLogger(__name__)

# The largest value of a database integer column (PostgreSQL's integer; SQLite's is larger).
MAX_DATABASE_INT = 2**31 - 1
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REFUSED_LIMIT_KEY = "REFUSED_POST_RATE_LIMIT"
_NAMESPACE = "refused-post"
KIB = 1024


@dataclass(frozen=True)
class Bounds:
    """The largest body (bytes) a view takes, the longest raw field (characters), and the
    most fields (a field sent twice, as a ticked list is, counts twice)."""

    body: int
    field: int
    fields: Mapping[str, int] = dataclasses.field(default_factory=dict)
    parts: int = 200

    def of(self, name: str) -> int:
        return self.fields.get(name, self.field)


# The patients' pages: a story of 10,000 characters in any script, percent-encoded, fits, and
# a raw field up to 40,000 characters reaches the form, which says what is too long.
PATIENT = Bounds(body=256 * KIB, field=40_000)
# By endpoint, then by blueprint; anything else is a patient's page.
BY_ENDPOINT: dict[str, Bounds] = {
    "moderate.decide": Bounds(body=256 * KIB, field=4_000, fields={"public_story": 40_000}),
    "share.withdraw": Bounds(body=16 * KIB, field=1_000),
    "share.wait_ended": Bounds(body=16 * KIB, field=1_000),
    # Up to BULK_MAX ids (moderate/queue_views.py) and a rejection reason of up to REASON_MAX
    # characters (services/moderation.py), which its form checks and explains.
    "moderate.bulk_decide": Bounds(body=32 * KIB, field=4_000, parts=1_100),
}
BY_BLUEPRINT: dict[str, Bounds] = {
    "moderate": Bounds(body=16 * KIB, field=1_000),
    "admin": Bounds(body=64 * KIB, field=4_000),
    "api": Bounds(body=4 * KIB, field=1_000),
}


def bounds_for(endpoint: str | None) -> Bounds:
    if endpoint in BY_ENDPOINT:
        return BY_ENDPOINT[endpoint]
    blueprint = endpoint.rsplit(".", 1)[0] if endpoint and "." in endpoint else ""
    return BY_BLUEPRINT.get(blueprint, PATIENT)


class DatabaseInt(IntegerConverter):
    """`<int:...>` in a route: a whole number a database integer column can hold (0 to
    2**31 - 1), else the route does not match (404): no id the database would overflow on."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = 0,  # noqa: A002
                 max: int | None = MAX_DATABASE_INT, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def database_int(raw: str | None) -> int | None:
    """`raw` as a whole number a database integer column holds (0 to 2**31 - 1), else None.

    ASCII digits only: str.isdigit() is also true of "²" and "٣", which int() refuses or
    reads as another number.
    """
    if not raw or len(raw) > 10 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= MAX_DATABASE_INT else None


def init_app(app: Flask) -> None:
    """Register the checks; call before any extension that reads the request, and before
    any route is added (the `int` converter)."""
    app.url_map.converters["int"] = DatabaseInt
    app.before_request(check_request)
    app.after_request(count_refusal)


def check_request() -> None:
    if request.method not in BODY_METHODS:
        return
    if not _allowed():
        raise _refusal(TooManyRequests, _("Too many forms from this address were refused "
                                          "lately. Please wait a while, then try again."))
    bounds = bounds_for(request.endpoint)
    request.max_content_length = bounds.body
    request.max_form_memory_size = bounds.body
    request.max_form_parts = bounds.parts
    if request.content_length is not None and request.content_length > bounds.body:
        raise too_large(bounds.body)
    try:
        if request.mimetype == "application/x-www-form-urlencoded":
            # Read once (within the body's bound) and kept: the form is parsed from it.
            if request.get_data(cache=True).count(b"&") >= bounds.parts:
                raise too_many_fields(bounds.parts)
        fields = request.form
    except RequestEntityTooLarge as error:
        if getattr(error, "waitline_reason", False):
            raise
        # Werkzeug's own refusal: a body over its bound, or a multipart form of too many parts.
        if request.content_length is not None and request.content_length <= bounds.body:
            raise too_many_fields(bounds.parts) from None
        raise too_large(bounds.body) from None
    for name, values in fields.lists():
        longest = max((len(value) for value in values), default=0)
        if longest > bounds.of(name):
            raise _refusal(RequestEntityTooLarge, _(
                "One of the boxes held %(count)s characters; this page takes at most "
                "%(maximum)s. Nothing was saved.", count=format_number(longest),
                maximum=format_number(bounds.of(name))))


def too_large(limit: int) -> HTTPException:
    return _refusal(RequestEntityTooLarge, _(
        "The form sent more than this page takes (%(size)s KB at most). Nothing was saved.",
        size=limit // KIB))


def too_many_fields(limit: int) -> HTTPException:
    return _refusal(RequestEntityTooLarge, _(
        "The form sent more boxes than this page has (%(count)s at most). Nothing was saved.",
        count=format_number(limit)))


def _refusal(kind: type[HTTPException], reason: str) -> HTTPException:
    error = kind(description=reason)
    error.waitline_reason = True  # type: ignore[attr-defined]  # shown on the error page
    if kind is not TooManyRequests:
        mark_refused()
    return error


def mark_refused() -> None:
    """Count this request's post as refused (once), when its response goes out."""
    g.waitline_refused = True


def count_refusal(response: Response) -> Response:
    """Count a refused post against the address: marked ones, and any 413 (Werkzeug's own)."""
    if request.method in BODY_METHODS and (g.get("waitline_refused") or
                                           response.status_code == 413):
        _hit()
    return response


def _items() -> list[RateLimitItem]:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return []
    return parse_many(str(current_app.config[REFUSED_LIMIT_KEY]))


def _allowed() -> bool:
    """Whether this address may post; True when limits are off or the storage is down."""
    items = _items()
    try:
        key = client_key()
        return all(limiter.limiter.test(item, _NAMESPACE, key) for item in items)
    except Exception:  # noqa: BLE001 - a dead storage must not take the forms down
        log.warning("rate-limit storage unavailable; refused posts not checked")
        return True


def _hit() -> None:
    items = _items()
    try:
        key = client_key()
        for item in items:
            limiter.limiter.hit(item, _NAMESPACE, key)
    except Exception:  # noqa: BLE001
        log.warning("rate-limit storage unavailable; a refused post not counted")
