"""The filters of the statistics views, parsed from query parameters (pure).

The page /stats, /stats.json, /stats.csv and /api/v1/stats read the same parameters, named as
on /stories so that a link means the same thing everywhere:
  region=<slug or id>  facility=<id>  care=<care type>
and, on the page only, wait=<series> (which wait the breakdown charts show).

Supported: no filter; a region, a facility or a care type alone; a region or a facility with a
care type. A region with a facility is the facility alone when the facility is in that region,
and refused otherwise. Other combinations (facility by month, two care types) are not held by
the aggregates, and there is no parameter for them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from testimonials.stats.cells import SERIES
from testimonials.stats.page import Filter
from testimonials.vocab import CareType

CARE_NAMES: dict[str, int] = {
    member.name.lower(): int(member) for member in CareType}  # type: ignore[union-attr]
CARE_BY_BIT: dict[int, str] = {bit: name for name, bit in CARE_NAMES.items()}
PARAMETERS = ("region", "facility", "care")
_ID = re.compile(r"[0-9]{1,9}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # as /stories reads a region


class FilterError(ValueError):
    """A parameter that cannot be used: `parameter` names it, `code` says why."""

    def __init__(self, parameter: str, code: str) -> None:
        super().__init__(f"{parameter}: {code}")
        self.parameter = parameter
        self.code = code


@dataclass(frozen=True)
class PlaceRef:
    id: int
    name: str
    slug: str = ""
    region_id: int | None = None  # facilities only


@dataclass(frozen=True)
class Places:
    """Every region and facility a filter may name (with or without answers)."""

    regions: tuple[PlaceRef, ...]
    facilities: tuple[PlaceRef, ...]

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every name and region: it changes when an admin renames a place."""
        return hashlib.sha256(repr((self.regions, self.facilities)).encode()).hexdigest()

    def region(self, value: str) -> PlaceRef | None:
        if _ID.fullmatch(value):
            return next((r for r in self.regions if r.id == int(value)), None)
        return next((r for r in self.regions if r.slug == value), None)

    def facility(self, value: str) -> PlaceRef | None:
        if not _ID.fullmatch(value):
            return None
        return next((f for f in self.facilities if f.id == int(value)), None)

    def region_by_id(self, region_id: int | None) -> PlaceRef | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def facility_by_id(self, facility_id: int | None) -> PlaceRef | None:
        return next((f for f in self.facilities if f.id == facility_id), None)


def parse(args: Mapping[str, str], places: Places) -> Filter:
    """The filter the parameters ask for; FilterError for a value or combination we refuse.

    A value that cannot name anything (`facility=abc`, a region that is not a slug, a
    parameter given twice) is "malformed"; one well formed that names no place is "unknown".
    """
    getlist = getattr(args, "getlist", None)
    for name in PARAMETERS:
        if getlist is not None and len(getlist(name)) > 1:
            raise FilterError(name, "repeated")
    values = {name: args.get(name) or "" for name in PARAMETERS}
    if values["region"] and not (_ID.fullmatch(values["region"])
                                 or _SLUG.fullmatch(values["region"])):
        raise FilterError("region", "malformed")
    if values["facility"] and not _ID.fullmatch(values["facility"]):
        raise FilterError("facility", "malformed")
    region = facility = care = None
    if values["region"]:
        found = places.region(values["region"])
        if found is None:
            raise FilterError("region", "unknown")
        region = found.id
    if values["facility"]:
        place = places.facility(values["facility"])
        if place is None:
            raise FilterError("facility", "unknown")
        if region is not None and place.region_id != region:
            raise FilterError("facility", "not_in_region")
        facility, region = place.id, None  # the facility says the region
    if values["care"]:
        if values["care"] not in CARE_NAMES:
            raise FilterError("care", "unknown")
        care = CARE_NAMES[values["care"]]
    if facility is not None and care is not None:
        # Not published (too few answers per cell to protect them): a 400 with the reason.
        raise FilterError("care", "with_facility")
    return Filter(region=region, facility=facility, care=care)


def parse_series(value: str | None, default: str = SERIES[0]) -> str:
    """The wait series the breakdown charts show; FilterError for an unknown one."""
    if not value:
        return default
    if value not in SERIES:
        raise FilterError("wait", "unknown")
    return value


def query_of(view_filter: Filter, places: Places) -> dict[str, str]:
    """The parameters that ask for this filter (for links and for the files' headers)."""
    query: dict[str, str] = {}
    region = places.region_by_id(view_filter.region)
    if region is not None:
        query["region"] = region.slug or str(region.id)
    if view_filter.facility is not None:
        query["facility"] = str(view_filter.facility)
    if view_filter.care is not None:
        query["care"] = CARE_BY_BIT[view_filter.care]
    return query
