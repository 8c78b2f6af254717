"""What a list of stories asks for: filters and a cursor, parsed from query parameters.

Pure: no Flask, no database. The page /stories, the feed and the API read the same
parameters through `parse`, so that a link means the same thing everywhere (region, facility
and care as /stats reads them: testimonials/filter_params.py):
  region=<slug or id>  facility=<id>  care=<care type>  outcome=<outcome>  q=<words>
  theme=<theme slug> (a theme moderators tagged the story with)
  before=<cursor> (older stories)  or  after=<cursor> (newer stories)
A cursor is an opaque token for the (published_at, id) of the story at the edge of a page;
pages are found by key, never by OFFSET, so page 2,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from testimonials import filter_params
from testimonials.filter_params import MAX_ID, SLUG, BadParameter
from testimonials.public.search import MAX_QUERY_LENGTH
from testimonials.vocab import CareType, Outcome

PER_PAGE = 20
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_CURSOR_BODY = re.compile(r"([0-9]{1,17})\.([0-9]{1,12})")

# Names used in URLs and in the API: the enum member names, lower-cased.
OUTCOME_NAMES = {str(member.name).lower(): member for member in Outcome}
PARAMETERS = ("region", "facility", "care", "outcome", "q", "theme", "before", "after")


class ListingError(ValueError):
    """A malformed parameter: `parameter` names it, `code` says what is wrong with it."""

    def __init__(self, parameter: str, code: str) -> None:
        super().__init__(f"{parameter}: {code}")
        self.parameter = parameter
        self.code = code


@dataclass(frozen=True)
class Cursor:
    """The position of one story in the newest-first order."""

    published_at: dt.datetime
    id: int

    def encode(self) -> str:
        micros = (self.published_at - _EPOCH) // dt.timedelta(microseconds=1)
        return base64.urlsafe_b64encode(f"{micros}.{self.id}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor in `token`; ValueError for anything we did not make."""
        if not token or len(token) > 40 or not token.isascii():
            raise ValueError("cursor")
        try:
            body = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ValueError("cursor") from None
        found = _CURSOR_BODY.fullmatch(body)
        if not found or int(found.group(2)) > MAX_ID or int(found.group(2)) < 1:
            raise ValueError("cursor")
        try:
            published_at = _EPOCH + dt.timedelta(microseconds=int(found.group(1)))
        except OverflowError:
            raise ValueError("cursor") from None
        if published_at.year > 9000:
            raise ValueError("cursor")
        return cls(published_at, int(found.group(2)))


@dataclass(frozen=True)
class Filters:
    """Which published stories to list; every filter given must hold (they combine)."""

    region: str | None = None  # a slug, or an id as digits
    facility: int | None = None
    care: CareType | None = None
    outcome: Outcome | None = None
    q: str | None = None
    theme: str | None = None  # a theme's slug

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.region, self.facility, self.care,
                                           self.outcome, self.q, self.theme))

    def params(self) -> dict[str, str]:
        """The query parameters that ask for these filters (none for those not set)."""
        values = {
            "region": self.region,
            "facility": None if self.facility is None else str(self.facility),
            "care": None if self.care is None else _name(self.care),
            "outcome": None if self.outcome is None else _name(self.outcome),
            "q": self.q,
            "theme": self.theme,
        }
        return {key: value for key, value in values.items() if value is not None}

    def without(self, *names: str) -> Filters:
        return replace(self, **{name: None for name in names})


@dataclass(frozen=True)
class Listing:
    """Filters and where to start: before (older than) or after (newer than) a story."""

    filters: Filters
    before: Cursor | None = None
    after: Cursor | None = None
    query_cut: bool = False  # the search typed was too long and was cut to fit


def parse_cutting_long_query(args: Mapping[str, str], *,
                             multi: Mapping[str, list[str]] | None = None) -> Listing:
    """`parse`, but a search over MAX_QUERY_LENGTH is cut (at a space where there is one)
    and the listing says so, instead of refusing it: for the page, which shows a notice."""
    typed = args.get("q")
    if typed is None or len(typed) <= MAX_QUERY_LENGTH:
        return parse(args, multi=multi)
    cut = typed[:MAX_QUERY_LENGTH]
    if " " in cut.strip():
        cut = cut.strip().rsplit(" ", 1)[0]
    listing = parse({**args, "q": cut}, multi={**(multi or {}), "q": [cut]})
    return replace(listing, query_cut=True)


def parse(args: Mapping[str, str], *, multi: Mapping[str, list[str]] | None = None) -> Listing:
    """The listing asked for by query parameters; ListingError for a malformed one.

    Unknown parameters are ignored (a page link may carry `lang` or tracking tags);
    `multi`, when given, maps each parameter to all its values, so a repeated one is refused.
    """
    twice = filter_params.repeated(PARAMETERS, multi)
    if twice is not None:
        raise ListingError(twice, "repeated")
    before = _cursor(args, "before")
    after = _cursor(args, "after")
    if before and after:
        raise ListingError("after", "both_directions")
    try:
        region = filter_params.region(args.get("region"))
        facility = filter_params.facility(args.get("facility"))
        care = filter_params.care(args.get("care"))
    except BadParameter as error:
        raise ListingError(error.parameter, "invalid") from None
    filters = Filters(
        region=region, facility=facility, care=care,
        outcome=_outcome(args.get("outcome")),
        q=_words(args.get("q")),
        theme=_slug(args.get("theme"), "theme"),
    )
    return Listing(filters, before, after)


def _name(member: CareType | Outcome) -> str:
    return str(member.name).lower()


def _cursor(args: Mapping[str, str], name: str) -> Cursor | None:
    token = args.get(name)
    if token is None or token == "":
        return None
    try:
        return Cursor.decode(token)
    except ValueError:
        raise ListingError(name, "cursor_invalid") from None


def _slug(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if SLUG.fullmatch(value):
        return value
    raise ListingError(name, "invalid")


def _outcome(value: str | None) -> Outcome | None:
    if not value:
        return None
    if value not in OUTCOME_NAMES:
        raise ListingError("outcome", "invalid")
    return OUTCOME_NAMES[value]


def _words(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_QUERY_LENGTH:
        raise ListingError("q", "too_long")
    return " ".join(value.split()) or None
