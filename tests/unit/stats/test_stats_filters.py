"""The filters of the statistics views read from query parameters: what they accept, what they
refuse and why, and the parameters that give each filter back."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from testimonials.stats.filters import (
    FilterError,
    PlaceRef,
    Places,
    RegionRenamed,
    parse,
    parse_series,
    query_of,
    with_region,
)
from testimonials.stats.page import Filter

PLACES = Places(
    regions=(PlaceRef(1, "East Bay", "east-bay"), PlaceRef(2, "Central Valley", "central-valley")),
    facilities=(PlaceRef(10, "Oakland", "", 1), PlaceRef(20, "Fresno", "", 2)),
)


@pytest.mark.parametrize(("args", "expected"), [
    ({}, Filter()),
    ({"region": "", "facility": "", "care": ""}, Filter()),
    ({"region": "east-bay"}, Filter(region=1)),
    ({"region": "2"}, Filter(region=2)),
    ({"facility": "10"}, Filter(facility=10)),
    ({"region": "east-bay", "facility": "10"}, Filter(facility=10)),
    ({"care": "group"}, Filter(care=2)),
    ({"region": "east-bay", "care": "crisis"}, Filter(region=1, care=8)),
])
def test_filters_read_as_on_the_stories_page(args, expected) -> None:
    assert parse(args, PLACES) == expected


@pytest.mark.parametrize(("args", "parameter", "code"), [
    # Nothing is published by facility and care type (stats.protection): refused, with why.
    ({"facility": "20", "care": "intake_only"}, "care", "with_facility"),
    ({"region": "atlantis"}, "region", "unknown"),
    ({"region": "9"}, "region", "unknown"),
    ({"facility": "x"}, "facility", "malformed"),
    ({"facility": "abc"}, "facility", "malformed"),
    ({"facility": "1.5"}, "facility", "malformed"),
    ({"region": "East Bay!"}, "region", "malformed"),
    ({"region": "a" * 101}, "region", "malformed"),
    ({"facility": "99"}, "facility", "unknown"),
    ({"region": "east-bay", "facility": "20"}, "facility", "not_in_region"),
    ({"care": "Group"}, "care", "unknown"),
])
def test_filters_we_cannot_serve_are_refused_with_a_reason(args, parameter, code) -> None:
    with pytest.raises(FilterError) as raised:
        parse(args, PLACES)
    assert (raised.value.parameter, raised.value.code) == (parameter, code)


def test_a_filter_given_twice_is_refused() -> None:
    with pytest.raises(FilterError) as raised:
        parse(MultiDict([("facility", "10"), ("facility", "20")]), PLACES)
    assert (raised.value.parameter, raised.value.code) == ("facility", "repeated")


def test_the_wait_shown_by_the_charts_is_one_of_the_series() -> None:
    assert parse_series(None) == "intake"
    assert parse_series("first_return") == "first_return"
    with pytest.raises(FilterError):
        parse_series("intake' or 1=1")


def test_a_filter_gives_back_the_parameters_that_ask_for_it() -> None:
    assert query_of(Filter(region=1, care=2), PLACES) == {"region": "east-bay", "care": "group"}
    assert parse(query_of(Filter(facility=20), PLACES), PLACES) == Filter(facility=20)


# A release that stored East Bay as "bay-area" (renamed from "east-bay"), renamed "greater-bay"
# since; Central Valley was "central" once, and "fresno" names a region no longer offered.
RENAMED = Places(
    regions=(PlaceRef(1, "East Bay", "bay-area"), PlaceRef(2, "Central Valley", "central-valley")),
    facilities=PLACES.facilities,
    aliases=(("greater-bay", 1),),
    former=(("bay-area", 1), ("east-bay", 1), ("central", 2), ("fresno", 3)),
)


@pytest.mark.parametrize(("value", "expected"), [
    ("east-bay", "greater-bay"),  # today's slug, which names the same region here
    ("central", "central-valley"),  # no slug of today beside it: the one these places know
    ("bay-area", None),  # the release's own slug still names its region
    ("greater-bay", None),
    ("fresno", None),  # a region that is not one of these places
    ("atlantis", None),
    ("1", None),
])
def test_a_former_slug_names_the_slug_to_ask_for_instead(value: str, expected: str | None
                                                         ) -> None:
    assert RENAMED.renamed(value) == expected


def test_parse_says_a_former_slug_was_renamed_and_an_unknown_one_is_unknown() -> None:
    with pytest.raises(RegionRenamed) as renamed:
        parse({"region": "east-bay", "care": "group"}, RENAMED)
    assert (renamed.value.former, renamed.value.slug) == ("east-bay", "greater-bay")
    with pytest.raises(FilterError) as unknown:
        parse({"region": "fresno"}, RENAMED)
    assert unknown.value.code == "unknown"


def test_the_new_address_keeps_every_other_parameter_in_its_place() -> None:
    pairs = [("lang", "es"), ("region", "east-bay"), ("q", "a b&c"), ("lang", "en")]
    assert with_region("/stats.csv", pairs, "greater-bay") == (
        "/stats.csv?lang=es&region=greater-bay&q=a+b%26c&lang=en")
    assert with_region("/stats", [], "x") == "/stats"
