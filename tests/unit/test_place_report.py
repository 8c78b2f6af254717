"""The report's pure parts: places as `--place` writes them, and a view's key figures."""

from __future__ import annotations

import datetime as dt

import pytest

from testimonials.stats.histogram import histogram_of
from testimonials.stats.page import Filter, Series, View
from testimonials.stats.place_report import (
    AsOf,
    HeldCount,
    Place,
    PlaceError,
    PlaceFigures,
    key_figure_kinds,
    key_figures,
    parse_place,
    place_row_kinds,
    places_within,
)
from testimonials.stats.presenter import Kind
from testimonials.stats.report import Held, ShownBreakdown, ShownGroup
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


# Held figures: a group hidden in this release that an earlier release showed carries what
# that release showed of it (`ShownGroup.held`); the report gives it apart, marked as of then.
RELEASE_1 = dt.date(2026, 10, 5)


def _held(key, count, summary, release=1, date=RELEASE_1):
    return ShownGroup(key, "Total", True, None, None, (), Held(release, date, count, summary))


def test_a_hidden_wait_an_earlier_release_showed_is_given_its_figures_as_of_then():
    now = summarise(histogram_of([(d, E) for d in range(5, 45, 2)] + [(30, W)] * 5), 14)
    then = summarise(histogram_of([(d, E) for d in range(20, 80, 2)]), 14)
    view = View(Filter(facility=7), 2, None, 11, _held("respondents|f=7", 61, None), (
        Series("intake", 14, _group("intake|f=7", 25, now)),
        Series("first_return", 14, _held("first_return|f=7", 30, then)),
        Series("urgent_intake", 2, _group("urgent_intake|f=7", 4, suppressed=True)),
    ))
    figures = key_figures(view)
    assert [row.series for row in figures.shown] == ["intake"]
    assert figures.hidden == ("urgent_intake",)  # hidden, and no earlier release showed it
    (held,) = figures.held
    assert held.series == "first_return" and held.as_of == AsOf(1, RELEASE_1)
    assert (held.count, held.median, held.p90) == (30, then.median, then.p90)
    assert held.share_over_standard == then.share_over_standard
    assert held.n_over_standard == then.n_over_standard and held.n_in_estimate == 30
    assert all(row.as_of is None for row in figures.shown)
    assert figures.respondents is None
    assert figures.held_respondents == HeldCount(61, AsOf(1, RELEASE_1))
    # More people and a share over the standard, but an earlier release's: never the headline.
    assert figures.headline is not None and figures.headline.series == "intake"


def test_no_held_figure_ever_becomes_the_headline():
    then = summarise(histogram_of([(d, E) for d in range(20, 80, 2)]), 14)
    assert then.share_over_standard is not None
    view = View(Filter(region=2), 3, None, 11, _group("respondents|r=2", 30), (
        Series("intake", 14, _held("intake|r=2", 30, then, release=2)),))
    figures = key_figures(view)
    assert figures.shown == () and len(figures.held) == 1
    assert figures.headline is None
    # Even a held row among the current ones (which key_figures never makes) is passed over.
    assert PlaceFigures(30, figures.held, (), ()).headline is None


def test_a_held_wait_whose_release_showed_its_count_alone_gives_its_figures_as_withheld():
    view = View(Filter(facility=7), 2, None, 11, _group("respondents|f=7", 40), (
        Series("first_return", 14, _held("first_return|f=7", 36, None)),
        Series("psychiatry", None, _held("psychiatry|f=7", 12, None)),))
    first_return, psychiatry = key_figures(view).held
    assert first_return.count == 36 and first_return.share_over_standard is None
    kinds = key_figure_kinds(first_return)
    for field in ("median", "p90", "share_over_standard", "n_over_standard", "share_gave_up"):
        assert kinds[field] is Kind.WITHHELD, field
    kinds = key_figure_kinds(psychiatry)  # no standard: "–", not withheld
    assert kinds["share_over_standard"] is Kind.NOT_APPLICABLE
    assert kinds["n_over_standard"] is Kind.NOT_APPLICABLE and kinds["median"] is Kind.WITHHELD


def test_places_within_list_held_places_apart_and_count_only_the_rest_as_hidden():
    slow = summarise(histogram_of([(d, E) for d in range(20, 60, 2)]), 14)
    quick = summarise(histogram_of([(d, E) for d in range(1, 21)]), 14)
    slowest = summarise(histogram_of([(d, E) for d in range(40, 100, 3)]), 14)
    children = (
        ShownGroup("intake|r=1", "East Bay", False, 20, quick, ()),
        # Held, and further over the standard than any current place: still listed apart.
        ShownGroup("intake|r=2", "North Bay", True, None, None, (),
                   Held(1, RELEASE_1, 20, slowest)),
        ShownGroup("intake|r=3", "South Bay", False, 20, slow, ()),
        ShownGroup("intake|r=4", "West Bay", True, None, None, ()),
        ShownGroup("intake|r=5", "Delta", True, None, None, (), Held(2, RELEASE_1, 14, None)),
    )
    total = ShownGroup("intake|all", "Total", False, 88, slow,
                       (ShownBreakdown("region", children, False),))
    view = View(Filter(), 3, None, 11, _group("respondents|all", 88),
                (Series("intake", 14, total),))
    found = places_within(view, "intake")
    assert [row.label for row in found.shown] == ["South Bay", "East Bay"]
    assert all(row.as_of is None for row in found.shown)
    assert [(row.label, row.as_of) for row in found.held] == [
        ("North Bay", AsOf(1, RELEASE_1)), ("Delta", AsOf(2, RELEASE_1))]
    north, delta = found.held
    assert (north.count, north.median) == (20, slowest.median)
    assert north.share_over_standard == slowest.share_over_standard
    assert delta.count == 14 and delta.share_over_standard is None
    assert place_row_kinds(delta, True)["share_over_standard"] is Kind.WITHHELD
    assert found.hidden == 1  # West Bay alone: hidden, and shown by no earlier release
