"""/stories and /stats read region, facility and care one way: a value one accepts the other
accepts, and one that names nothing both refuse."""

from __future__ import annotations

import pytest

from testimonials.filter_params import CARE_NAMES
from testimonials.public.listing import ListingError
from testimonials.public.listing import parse as parse_listing
from testimonials.stats.filters import FilterError, PlaceRef, Places
from testimonials.stats.filters import parse as parse_stats
from testimonials.vocab import CareType

PLACES = Places(regions=(PlaceRef(1, "East Bay", "east-bay"),),
                facilities=(PlaceRef(10, "Big Clinic", "", 1),))


@pytest.mark.parametrize("args", [
    {"region": "east-bay"}, {"region": "1"}, {"facility": "10"}, {"care": "group"},
    {"region": "", "facility": "", "care": ""},
])
def test_a_filter_both_read_means_the_same_place_and_care(args: dict[str, str]) -> None:
    stories = parse_listing(args).filters
    stats = parse_stats(args, PLACES)
    assert stories.care == (None if stats.care is None else CareType(stats.care))
    assert stories.facility == stats.facility
    assert (stories.region is None) == (stats.region is None)


def test_a_facility_with_a_care_type_lists_stories_but_has_no_statistics() -> None:
    # Statistics are not published by facility and care type (too few answers per cell to
    # protect); the stories list filters by both.
    args = {"facility": "10", "care": "crisis"}
    assert parse_listing(args).filters.facility == 10
    with pytest.raises(FilterError) as refused:
        parse_stats(args, PLACES)
    assert (refused.value.parameter, refused.value.code) == ("care", "with_facility")


@pytest.mark.parametrize("args", [
    {"region": "East Bay!"}, {"region": "a" * 101}, {"region": "0"},
    {"region": "99999999999999999999999"}, {"facility": "abc"}, {"facility": "1.5"},
    {"facility": "-1"}, {"care": "Group"}, {"care": "massage"},
])
def test_a_value_that_names_nothing_is_refused_by_both(args: dict[str, str]) -> None:
    name = next(iter(args))
    with pytest.raises(ListingError) as stories:
        parse_listing(args)
    with pytest.raises(FilterError) as stats:
        parse_stats(args, PLACES)
    assert stories.value.parameter == stats.value.parameter == name


def test_care_names_are_the_enumeration_lower_cased() -> None:
    assert CARE_NAMES["group"] is CareType.GROUP and len(CARE_NAMES) == len(CareType)
