"""The report's pure parts: places as `--place` writes them, and a view's key figures."""

from __future__ import annotations

import pytest

from testimonials.stats.histogram import histogram_of
from testimonials.stats.page import Filter, Series, View
from testimonials.stats.place_report import Place, PlaceError, key_figures, parse_place
from testimonials.stats.report import ShownGroup
from testimonials.stats.summary import summarise
from testimonials.vocab import WaitState

E, W = WaitState.ENDED, WaitState.WAITING


@pytest.mark.parametrize("text, place, view_filter", [
    ("site", Place("site"), Filter()),
    ("region:3", Place("region", 3), Filter(region=3)),
    (" facility:12 ", Place("facility", 12), Filter(facility=12)),
])
def test_a_place_is_read_as_the_export_command_writes_it(text, place, view_filter):
    assert parse_place(text) == place
    assert place.filter == view_filter
    assert str(place) == text.strip()


@pytest.mark.parametrize("text", ["", "county:3", "region:", "region:0", "facility:-1",
                                  "facility:1x", "region:1234567890", "site:1"])
def test_anything_else_is_refused(text):
    with pytest.raises(PlaceError):
        parse_place(text)


def _group(key, count, summary=None, suppressed=False):
    return ShownGroup(key, "Total", suppressed, None if suppressed else count,
                      None if suppressed else summary, ())


def test_hidden_and_empty_waits_are_named_not_given_figures():
    shown = summarise(histogram_of([(d, E) for d in range(5, 45, 2)] + [(30, W)] * 5), 14)
    view = View(Filter(facility=7), 1, None, 11, _group("respondents|f=7", 25), (
        Series("intake", 14, _group("intake|f=7", 25, shown)),
        Series("urgent_intake", 2, _group("urgent_intake|f=7", 4, suppressed=True)),
        Series("first_return", 14, _group("first_return|f=7", 0)),
        Series("psychiatry", None, _group("psychiatry|f=7", 25, shown)),
    ))
    figures = key_figures(view)
    assert [row.series for row in figures.shown] == ["intake", "psychiatry"]
    assert figures.hidden == ("urgent_intake",)
    assert figures.without_answers == ("first_return",)
    intake, psychiatry = figures.shown
    assert intake.count == 25 and intake.median == shown.median
    assert intake.share_over_standard == shown.share_over_standard
    assert psychiatry.share_over_standard is None  # no standard: nothing to compare with
    assert figures.headline == intake
    assert figures.respondents == 25


def test_a_wait_whose_figures_are_withheld_is_hidden_not_unanswered():
    """36 people answered; the release shows their count and withholds their figures (they
    would give a hidden count back): named with the hidden waits, never "nobody told us"."""
    view = View(Filter(region=1), 1, None, 11, _group("respondents|r=1", 55), (
        Series("first_return", 14, _group("first_return|r=1", 36)),))
    figures = key_figures(view)
    assert figures.hidden == ("first_return",) and figures.without_answers == ()
    assert figures.shown == ()


def test_a_hidden_total_gives_no_count_and_no_headline():
    view = View(Filter(), 1, None, 11, _group("respondents|all", 0, suppressed=True), (
        Series("intake", 14, _group("intake|all", 0, suppressed=True)),))
    figures = key_figures(view)
    assert figures.respondents is None and figures.shown == () and figures.headline is None


def test_the_running_header_cannot_break_out_of_its_css_string():
    from testimonials.public.report_views import css_string

    text = css_string('Clinic "A" } body { display: none } </style> · \\')
    assert text.startswith('"') and text.endswith('"')
    inner = text[1:-1]
    assert '"' not in inner and "}" not in inner and "<" not in inner
    assert css_string("a · b") == '"a \\0000b7  b"'  # the escape eats one space, not two


def test_places_within_show_the_shown_places_most_over_the_standard_first():
    from testimonials.stats.place_report import places_within
    from testimonials.stats.report import ShownBreakdown

    slow = summarise(histogram_of([(d, E) for d in range(20, 60, 2)]), 14)
    quick = summarise(histogram_of([(d, E) for d in range(1, 21)]), 14)
    children = (
        ShownGroup("intake|r=1", "East Bay", False, 20, quick, ()),
        ShownGroup("intake|r=2", "North Bay", True, None, None, ()),
        ShownGroup("intake|r=3", "South Bay", False, 20, slow, ()),
        ShownGroup("intake|all|none:region", "Facility not listed or not given", False, 0,
                   None, ()),
    )
    total = ShownGroup("intake|all", "Total", False, 52, slow,
                       (ShownBreakdown("region", children, True),))
    view = View(Filter(), 1, None, 11, _group("respondents|all", 52),
                (Series("intake", 14, total),))
    found = places_within(view, "intake")
    assert [row.label for row in found.shown] == ["South Bay", "East Bay"]
    assert found.hidden == 1 and found.breakdown == "region"
    assert places_within(view, "psychiatry") is None
