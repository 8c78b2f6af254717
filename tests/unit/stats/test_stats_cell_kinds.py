"""A figure the release does not give says why in its cell (issue 14, pure).

"–" used to stand for a figure withheld to protect privacy, one too uncertain to publish, one
the answers do not reach and a share over a standard that does not exist: a reader could not
tell a figure held back from one that means nothing here. Each now has its own words (the
release's own: "withheld to protect privacy", "too uncertain to publish"), its own CSS class,
and the table a footnote; "–" is left to "no legal standard applies", said aloud as such.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from testimonials.stats.intervals import EXTREME, FEW_ANSWERS, TOO_UNCERTAIN, Estimate
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.page import Filter, Series, View
from testimonials.stats.place_report import KeyFigure, PlaceRow, key_figure_kinds, place_row_kinds
from testimonials.stats.presenter import (
    DASH,
    Kind,
    Presenter,
    cell_kind,
    kind_notes,
    missing_cell,
)
from testimonials.stats.report import ShownGroup
from testimonials.stats.summary import Summary
from tests.unit.stats.test_stats_headlines import NAMES, WORDS, series


@pytest.mark.parametrize(("shown", "withheld", "applies", "kind"), [
    (True, None, True, Kind.SHOWN),
    (True, EXTREME, True, Kind.SHOWN),  # a figure given is given, whatever else is stored
    (False, FEW_ANSWERS, True, Kind.WITHHELD),
    (False, EXTREME, True, Kind.WITHHELD),  # the same words: no reader learns which rule
    (False, TOO_UNCERTAIN, True, Kind.TOO_UNCERTAIN),
    (False, None, True, Kind.NOT_ESTIMATED),
    (False, FEW_ANSWERS, False, Kind.NOT_APPLICABLE),  # no standard: nothing was held back
    (True, None, False, Kind.NOT_APPLICABLE),
])
def test_each_missing_figure_has_a_kind_of_its_own(shown: bool, withheld: str | None,
                                                   applies: bool, kind: Kind) -> None:
    assert cell_kind(shown, withheld, applies) is kind


def test_only_no_standard_is_a_dash_and_a_screen_reader_hears_what_it_means() -> None:
    cells = {kind: missing_cell(kind, str.upper) for kind in Kind if kind is not Kind.SHOWN}
    assert cells[Kind.NOT_APPLICABLE].text == DASH
    assert cells[Kind.NOT_APPLICABLE].spoken == "NO LEGAL STANDARD APPLIES"
    assert cells[Kind.WITHHELD].text == "WITHHELD TO PROTECT PRIVACY"
    assert cells[Kind.TOO_UNCERTAIN].text == "TOO UNCERTAIN TO PUBLISH"
    assert cells[Kind.NOT_ESTIMATED].text == "NOT ESTIMATED"
    assert [cell.text for cell in cells.values()].count(DASH) == 1
    assert not any(cell.spoken for kind, cell in cells.items() if kind is not Kind.NOT_APPLICABLE)
    # Set apart by a class of its own too (its style is not the only sign: the words differ).
    assert cells[Kind.WITHHELD].css == "figure-withheld"
    assert missing_cell(Kind.TOO_UNCERTAIN, str, numeric=True).css == "num figure-too-uncertain"


def test_the_footnote_explains_the_kinds_a_table_holds_once_each_in_a_fixed_order() -> None:
    notes = kind_notes([Kind.SHOWN, Kind.TOO_UNCERTAIN, Kind.WITHHELD, Kind.WITHHELD,
                        Kind.NOT_APPLICABLE], str)
    assert [note.split(":")[0] for note in notes] == [
        "–", "Withheld to protect privacy", "Too uncertain to publish"]
    assert kind_notes([Kind.SHOWN], str) == ()


def _withheld(summary: Summary, **reasons: str) -> Summary:
    """`summary` with these estimates withheld for these reasons, as a release stores them."""
    intervals = summary.intervals
    assert intervals is not None
    held = {name: Estimate(None, None, None, 40, withheld=reason)
            for name, reason in reasons.items()}
    figures = {name: Percentile(getattr(summary, name).p, None, None)
               for name in reasons if name != "share_over_standard"}
    if "share_over_standard" in reasons:
        figures["share_over_standard"] = None  # type: ignore[assignment]
    return replace(summary, intervals=replace(intervals, **held), **figures)


def _glance(*waits: Series) -> dict[str, list[tuple[str, Kind]]]:
    people: ShownGroup[Summary] = ShownGroup("respondents|all", "Total", False, 80, None, ())
    view = View(Filter(), 1, None, 11, people, waits)
    table = Presenter(view, WORDS, NAMES).glance()
    return {row[0].text: [(cell.text, cell.kind) for cell in row[2:]] for row in table.rows}


def test_the_glance_table_says_which_figures_are_withheld_and_where_no_standard_applies(
        ) -> None:
    ended = {5: 8, 10: 9, 20: 10, 40: 9, 80: 4}
    intake = series("intake", ended)
    assert intake.group.figures is not None
    intake = replace(intake, group=replace(intake.group, figures=_withheld(
        intake.group.figures, share_over_standard=TOO_UNCERTAIN, p90=EXTREME)))
    psychiatry = series("psychiatry", ended, standard=None)
    # A shown count whose figures are all withheld (they would give a hidden count back).
    first_return = series("first_return", ended)
    first_return = replace(first_return, group=replace(first_return.group, figures=None))
    rows = _glance(intake, psychiatry, first_return)
    median, law, over, _gave_up, p25, p75, p90 = rows["First (intake) appointment"]
    assert median[1] is Kind.SHOWN and law == ("10 business days", Kind.SHOWN)
    assert over == ("too uncertain to publish", Kind.TOO_UNCERTAIN)
    assert p90 == ("withheld to protect privacy", Kind.WITHHELD)
    assert p25[1] is p75[1] is Kind.SHOWN
    _median, law, over, *_rest = rows["First psychiatry or medication appointment"]
    assert law == over == (DASH, Kind.NOT_APPLICABLE)
    withheld = rows["First return (follow-up) appointment"]
    assert withheld[1] == ("10 business days", Kind.SHOWN)  # the law is no figure to hold back
    assert {cell for index, cell in enumerate(withheld) if index != 1} == {
        ("withheld to protect privacy", Kind.WITHHELD)}
    table = Presenter(View(Filter(), 1, None, 11, ShownGroup("r", "", False, 80, None, ()),
                           (intake, psychiatry)), WORDS, NAMES).glance()
    assert table.id == "glance" and [note.split(":")[0] for note in table.notes] == [
        "–", "Withheld to protect privacy", "Too uncertain to publish"]


def _key_figure(**changes: object) -> KeyFigure:
    shown = Percentile(0.5, 30, None)
    row = KeyFigure("intake", 40, 14, shown, Percentile(0.9, 80, None), 0.6, 20, 0.1, 40)
    return replace(row, **changes)  # type: ignore[arg-type]


def test_the_reports_figures_say_withheld_where_a_dash_stood() -> None:
    assert set(key_figure_kinds(_key_figure()).values()) == {Kind.SHOWN}
    # The count over the standard and the share who gave up were "–" when withheld.
    kinds = key_figure_kinds(_key_figure(n_over_standard=None, share_gave_up=None,
                                         share_over_standard=None, share_withheld=EXTREME,
                                         p90=Percentile(0.9, None, None),
                                         p90_withheld=TOO_UNCERTAIN))
    assert (kinds["n_over_standard"], kinds["share_gave_up"]) == (Kind.WITHHELD, Kind.WITHHELD)
    assert (kinds["share_over_standard"], kinds["p90"]) == (Kind.WITHHELD, Kind.TOO_UNCERTAIN)
    # Without a standard, its share and count have no meaning: "–", not "0" or "withheld".
    kinds = key_figure_kinds(_key_figure(standard_days=None, share_over_standard=None,
                                         n_over_standard=0))
    assert {kinds[name] for name in ("standard", "share_over_standard", "n_over_standard")} == {
        Kind.NOT_APPLICABLE}
    row = PlaceRow("intake|region=1", "East Bay", False, 40, Percentile(0.5, None, None), None,
                   median_withheld=FEW_ANSWERS)
    assert place_row_kinds(row, True) == {"median": Kind.WITHHELD,
                                          "share_over_standard": Kind.NOT_ESTIMATED}
