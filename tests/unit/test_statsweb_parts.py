"""The pure parts of the statistics pages: filters, chart geometry, CSV safety, presentation."""

from __future__ import annotations

import csv
import io

import pytest

from werkzeug.datastructures import MultiDict

from testimonials.stats import charts, csvfile
from testimonials.stats.filters import FilterError, Places, PlaceRef, parse, parse_series, query_of
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


@pytest.mark.parametrize(("top", "ticks"), [
    (0, [0, 1]), (1, [0, 1]), (7, [0, 2, 4, 6, 8]), (2405, [0, 500, 1000, 1500, 2000, 2500]),
    (100, [0, 20, 40, 60, 80, 100]),
])
def test_axis_ticks_are_round_and_reach_the_top(top, ticks) -> None:
    assert charts.nice_ticks(top) == ticks


def test_a_hidden_group_gets_the_marker_and_no_bar() -> None:
    bars = [charts.Bar("North", 21, "21 days"), charts.Bar("South", None, "hidden (fewer than 11)"),
            charts.Bar("West", 730, "more than 730 days", open_ended=True)]
    chart = charts.bar_chart("y", "t", "d", bars, charts.Mark(14, "Standard"))
    assert [r.css for r in chart.rects] == ["bar", "bar-open"]
    assert [t.text for t in chart.texts if t.css == "hidden-note"] == ["hidden (fewer than 11)"]
    assert max(r.x + r.width for r in chart.rects) <= chart.width


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\r=1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_made_text(text) -> None:
    assert csvfile.safe_cell(text) == "'" + text


def test_csv_keeps_numbers_and_ordinary_text() -> None:
    assert csvfile.safe_cell(12) == 12
    assert csvfile.safe_cell(0.25) == 0.25
    assert csvfile.safe_cell("I waited <3 months & cried") == "I waited <3 months & cried"


def test_csv_file_has_notes_then_a_table() -> None:
    text = csvfile.write([("title", "Waitline"), ("methods", "Line one,\nline two")],
                         [["group", "count"], ["=Evil clinic", 12]])
    assert text.startswith(csvfile.BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["title", "Waitline"], ["methods", "Line one,\nline two"], [],
                    ["group", "count"], ["'=Evil clinic", "12"]]
