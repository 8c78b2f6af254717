"""The filter parameters the stories and the statistics share, read one way for both (pure).

  region=<slug or id>  facility=<id>  care=<care type>

/stories, the feed and /api/v1/stories (public/listing.py), and /stats, its files and
/api/v1/stats (stats/filters.py) read them here, so that a link means the same thing on every
page. A value that cannot name anything raises BadParameter; each reader turns it into its
own error, and goes on to what only it knows (a cursor, whether a place exists).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from testimonials.vocab import CareType

NAMES = ("region", "facility", "care")
MAX_ID = 2**31 - 1
# Names used in URLs and in the API: the enum member names, lower-cased.
CARE_NAMES: dict[str, CareType] = {
    str(member.name).lower(): member for member in CareType}
CARE_BY_BIT: dict[int, str] = {int(member): name for name, member in CARE_NAMES.items()}
ID = re.compile(r"[0-9]{1,9}")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


class BadParameter(ValueError):
    """A value that cannot name anything: `parameter` says which."""

    def __init__(self, parameter: str) -> None:
        super().__init__(parameter)
        self.parameter = parameter


def repeated(names: tuple[str, ...], multi: Mapping[str, list[str]] | None) -> str | None:
    """The first of `names` given more than once (`multi`: every value of each parameter)."""
    if multi is None:
        return None
    return next((name for name in names if len(multi.get(name, [])) > 1), None)


def region(value: str | None) -> str | None:
    """A region's slug, or its id as digits; None when not given."""
    if not value:
        return None
    if value.isascii() and value.isdigit():  # an id (a slug always has a letter or a dash)
        if ID.fullmatch(value) and 1 <= int(value) <= MAX_ID:
            return str(int(value))
        raise BadParameter("region")
    if SLUG.fullmatch(value):
        return value
    raise BadParameter("region")


def facility(value: str | None) -> int | None:
    """A facility's id; None when not given (0 is well formed, and names no facility)."""
    if not value:
        return None
    if not ID.fullmatch(value):
        raise BadParameter("facility")
    return int(value)


def care(value: str | None) -> CareType | None:
    """A care type by its name; None when not given."""
    if not value:
        return None
    if value not in CARE_NAMES:
        raise BadParameter("care")
    return CARE_NAMES[value]
