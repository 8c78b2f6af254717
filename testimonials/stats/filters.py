"""The filters of the statistics views, parsed from query parameters (pure).

The page /stats, /stats.json, /stats.csv and /api/v1/stats read the same parameters as
/stories, through the same reader (testimonials/filter_params.py), so that a link means the
same thing everywhere:
  region=<slug or id>  facility=<id>  care=<care type>
and, on the page only, wait=<series> (which wait the breakdown charts show).

Supported: no filter; a region, a facility or a care type alone; a region or a facility with a
care type. A region with a facility is the facility alone when the facility is in that region,
and refused otherwise. Other combinations (facility by month, two care types) are not held by
the aggregates, and there is no parameter for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from testimonials import filter_params
from testimonials.filter_params import CARE_BY_BIT, ID, BadParameter
from testimonials.stats.cells import SERIES
from testimonials.stats.page import Filter

PARAMETERS = filter_params.NAMES
# What a value that cannot name anything is called here (a care type is named, never malformed).
_BAD = {"region": "malformed", "facility": "malformed", "care": "unknown"}


class FilterError(ValueError):
    """A parameter that cannot be used: `parameter` names it, `code` says why."""

    def __init__(self, parameter: str, code: str) -> None:
        super().__init__(f"{parameter}: {code}")
        self.parameter = parameter
        self.code = code


class RegionRenamed(Exception):
    """`region=` names a region by a slug it had before a rename: the same address with
    `slug`, today's, answers (a permanent redirect, `errors.register`).

    Not a FilterError, on purpose: every view refuses a FilterError with its own 400 or 404,
    and a rename must reach the one handler that redirects, whichever view read the filter.
    """

    def __init__(self, former: str, slug: str) -> None:
        super().__init__(f"region: {former} -> {slug}")
        self.former = former
        self.slug = slug


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
    # Other slugs that name a region (slug, region id): today's slug of a region that a
    # release names by the slug it was published with.
    aliases: tuple[tuple[str, int], ...] = ()
    # Slugs regions were known by before a rename (slug, region id), the latest first, none
    # that a region holds today: asked for, they lead to the region's slug (`renamed`).
    former: tuple[tuple[str, int], ...] = ()

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every name and region: it changes when an admin renames a place."""
        return hashlib.sha256(repr((self.regions, self.facilities, self.aliases,
                                    self.former)).encode()).hexdigest()

    def region(self, value: str) -> PlaceRef | None:
        if ID.fullmatch(value):
            return next((r for r in self.regions if r.id == int(value)), None)
        found = next((r for r in self.regions if r.slug == value), None)
        if found is None:
            alias = next((id_ for slug, id_ in self.aliases if slug == value), None)
            found = self.region_by_id(alias)
        return found

    def renamed(self, value: str) -> str | None:
        """The slug to ask for instead of `value`, a slug a region had before a rename; None
        when `value` names a region here (a slug of today, or the one a release stored, wins
        over any former one) or none ever, or that region is not one of these places.

        Today's slug when it names the same region here, so that A renamed B then C leads
        to C from A and from B; else the slug these places know it by (a release's own).
        """
        if ID.fullmatch(value) or self.region(value) is not None:
            return None
        region = self.region_by_id(next((id_ for slug, id_ in self.former if slug == value),
                                        None))
        if region is None:
            return None
        today = next((slug for slug, id_ in self.aliases if id_ == region.id), None)
        return today or region.slug or str(region.id)

    def facility(self, value: str) -> PlaceRef | None:
        if not ID.fullmatch(value):
            return None
        return next((f for f in self.facilities if f.id == int(value)), None)

    def region_by_id(self, region_id: int | None) -> PlaceRef | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def facility_by_id(self, facility_id: int | None) -> PlaceRef | None:
        return next((f for f in self.facilities if f.id == facility_id), None)


def parse(args: Mapping[str, str], places: Places) -> Filter:
    """The filter the parameters ask for; FilterError for a value or combination we refuse,
    RegionRenamed for a region named by a slug it has given up.

    A value that cannot name anything (`facility=abc`, a region that is not a slug, a
    parameter given twice) is "malformed"; one well formed that names no place is "unknown".
    """
    getlist = getattr(args, "getlist", None)
    multi = {name: getlist(name) for name in PARAMETERS} if getlist is not None else None
    twice = filter_params.repeated(PARAMETERS, multi)
    if twice is not None:
        raise FilterError(twice, "repeated")
    try:
        region_value = filter_params.region(args.get("region"))
        facility_id = filter_params.facility(args.get("facility"))
        care = filter_params.care(args.get("care"))
    except BadParameter as error:
        raise FilterError(error.parameter, _BAD[error.parameter]) from None
    region = facility = None
    if region_value is not None:
        found = places.region(region_value)
        if found is None:
            renamed = places.renamed(region_value)
            if renamed is not None:
                raise RegionRenamed(region_value, renamed)
            raise FilterError("region", "unknown")
        region = found.id
    if facility_id is not None:
        place = places.facility_by_id(facility_id)
        if place is None:
            raise FilterError("facility", "unknown")
        if region is not None and place.region_id != region:
            raise FilterError("facility", "not_in_region")
        facility, region = place.id, None  # the facility says the region
    care_value = None if care is None else int(care)
    if facility is not None and care_value is not None:
        # Not published (too few answers per cell to protect them): a 400 with the reason.
        raise FilterError("care", "with_facility")
    return Filter(region=region, facility=facility, care=care_value)


def with_region(path: str, pairs: Iterable[tuple[str, str]], slug: str) -> str:
    """`path` with the query `pairs` again, in their order, `region` given as `slug`: where a
    region's former slug sends its reader, every other parameter kept."""
    query = urlencode([(name, slug if name == "region" else value) for name, value in pairs])
    return f"{path}?{query}" if query else path


def parse_series(value: str | None, default: str = SERIES[0]) -> str:
    """The wait series the breakdown charts show; FilterError for an unknown one."""
    if not value:
        return default
    if value not in SERIES:
        raise FilterError("wait", "unknown")
    return value


def query_of(view_filter: Filter, places: Places) -> dict[str, Any]:
    """The parameters that ask for this filter (for links and for the files' headers)."""
    # Text values, typed Any so that url_for(..., **query) type-checks: mypy would match the
    # dictionary against url_for's own keywords (_external: bool and the like).
    query: dict[str, Any] = {}
    region = places.region_by_id(view_filter.region)
    if region is not None:
        query["region"] = region.slug or str(region.id)
    if view_filter.facility is not None:
        query["facility"] = str(view_filter.facility)
    if view_filter.care is not None:
        query["care"] = CARE_BY_BIT[view_filter.care]
    return query
