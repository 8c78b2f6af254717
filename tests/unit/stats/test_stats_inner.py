"""Audit finding 5: small numbers inside a shown group follow the rule of counts.

Through the pure release builder: a release document is cut from people (as the service cuts
one), read back, and every shown group's figures are checked against its answers.
"""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
from hypothesis import given, settings

from testimonials.services.aggregates import counts_of, histograms_of
from testimonials.stats import releases, universe
from testimonials.stats.bands import BandCount
from testimonials.stats.histogram import Histogram
from testimonials.stats.inner import EDGES, STATES, protect_bands, protect_figures
from testimonials.stats.intervals import EXTREME, FEW_ANSWERS
from testimonials.stats.page import Base
from testimonials.stats.summary import summarise
from testimonials.vocab import WaitState
from tests.unit.stats.test_stats_release_document import CUT, DIMS, STANDARDS, person, totals_of

MIN_CELL = 5  # as the other release tests: small enough for a few dozen people


def cut(people: list[Any]) -> tuple[releases.Release, dict[tuple[str, str], Histogram]]:
    """A release of these people (the small-cell rule of `universe`), and its histograms."""
    total = totals_of(people)
    counts = counts_of((scope, measure, n) for (scope, measure, days), n in total.items()
                       if days == -1)
    histograms = histograms_of((scope, measure, days, n)
                               for (scope, measure, days), n in total.items())
    base = Base(1, CUT, DIMS, counts, universe.hidden_keys(DIMS, counts, MIN_CELL), MIN_CELL)
    stored, _ = releases.encode(releases.build(base, histograms, STANDARDS))
    return releases.decode(1, CUT, stored), histograms


def shown_figures(release: releases.Release) -> list[tuple[str, Any]]:
    return [(key, release.figures(key)) for key, (count, figures) in release.stored.items()
            if count is not None and figures is not None]


def small(value: int | None) -> bool:
    return value is not None and 0 < value < MIN_CELL


def at_one_facility(*waits: tuple[str, int | None], times: int = 1) -> list[Any]:
    return [((1, 10), 1, "2026-04", 0, [("intake", state, days)])
            for state, days in waits] * times


def test_band_cells_of_one_to_four_people_are_not_in_a_release() -> None:
    # Twenty waits that ended within two weeks and three people still waiting after 200 days:
    # the band "> 6 months" said that three people at this facility were still waiting.
    people = at_one_facility(("ended", 7), times=20) + at_one_facility(("waiting", 200), times=3)
    before = summarise({(7, WaitState.ENDED): 20, (200, WaitState.WAITING): 3}, 14)
    assert [cell.waiting for cell in before.bands if cell.waiting] == [3]  # as summarised
    release, _ = cut(people)
    figures = release.figures("intake|facility=10")
    assert figures is not None and figures.count == 23  # the group itself is shown
    cells = [value for band in figures.bands for value in (*band.cells, band.total)]
    assert not [value for value in cells if small(value)]
    assert None in cells  # withheld, not dropped: the marker says so


@settings(max_examples=15, deadline=None)
@given(st.lists(person, min_size=10, max_size=60))
def test_no_band_cell_of_a_release_is_small_or_can_be_worked_out(people: list[Any]) -> None:
    release, _ = cut(people)
    for key, figures in shown_figures(release):
        bands = figures.bands
        assert not [cell for band in bands for cell in (*band.cells, band.total)
                    if small(cell)], key
        # Each sum a reader knows: band totals to the answers with days, each state's cells
        # to its total with days, each shown band's cells to its total.
        lines = [[band.total for band in bands]]
        lines += [[band.cells[state] for band in bands] for state in range(4)]
        lines += [list(band.cells) for band in bands if band.total is not None]
        for line in lines:
            # One withheld cell in a sum is the sum less the others; it is allowed only when
            # the others are all zeros: it is then the sum itself, a count published anyway
            # (a state's answers with days), and nothing else could be withheld with it.
            assert line.count(None) != 1 or not any(line), (key, line)


def test_bands_of_large_cells_only_are_shown_in_full() -> None:
    bands = summarise({(7, WaitState.ENDED): 20, (40, WaitState.WAITING): 11}, 14).bands
    shown = protect_bands(bands, 11, 31)
    assert [band.total for band in shown] == [20, 0, 11, 0, 0, 0]
    assert not any(band.withheld for band in shown)


def test_withheld_band_cells_add_up_to_at_least_the_minimum() -> None:
    # 3 and 4 people beyond three months: withheld together they would add up to 7 (the
    # total less the shown bands), so a third band goes too.
    bands = summarise({(7, WaitState.ENDED): 30, (20, WaitState.ENDED): 12,
                       (100, WaitState.ENDED): 3, (200, WaitState.ENDED): 4}, 14).bands
    totals = [band.total for band in protect_bands(bands, 11, 49)]
    assert totals == [30, None, 0, 0, None, None]


def test_no_band_is_shown_when_fewer_than_the_minimum_give_days() -> None:
    bands = summarise({(7, WaitState.ENDED): 8, (None, WaitState.GAVE_UP): 20}, 14).bands
    assert all(band.total in (None, 0) for band in protect_bands(bands, 11, 8))


def test_a_ninetieth_percentile_is_not_one_of_the_few_longest_answers() -> None:
    # Twenty-one waits that ended, one a day from 10 days: the 90th percentile was 28 days,
    # with only three answers (28, 29 and 30 days) at or above it.
    histogram = {(10 + day, WaitState.ENDED): 1 for day in range(21)}
    before = summarise(histogram, 14)
    assert before.p90.days == 28 and before.intervals is not None
    after = protect_figures(before, 11, histogram)
    assert after.p90.days is None and after.p90.more_than is None
    assert after.intervals is not None and after.intervals.p90.withheld == EXTREME
    assert before.intervals.p90.high == 30  # the longest answer, one person's: not published
    assert after.median.days == before.median.days  # the middle answer is no tail's


def test_the_ends_of_an_interval_are_not_among_the_few_longest_or_shortest() -> None:
    # 12 waits: the median's interval ran from the second shortest answer (5 days) to the
    # third longest (60).
    histogram = {(day, WaitState.ENDED): 1 for day in (3, 5, 9, 12, 20, 21, 22, 25, 40,
                                                       60, 90, 150)}
    before = summarise(histogram, 14).intervals
    assert before is not None and before.median.high == 60 and before.median.low == 5
    after = protect_figures(summarise(histogram, 14), 11, histogram).intervals
    assert after is not None
    assert after.median.high is None and after.median.high_more_than == 28  # a band edge
    assert after.median.low == 0  # the edge at or below 5 days


@settings(max_examples=15, deadline=None)
@given(st.lists(person, min_size=10, max_size=60))
def test_no_percentile_of_a_release_is_among_the_few_longest_or_shortest_answers(
        people: list[Any]) -> None:
    release, histograms = cut(people)
    for key, figures in shown_figures(release):
        series, scope = key.split("|", 1)
        if "|" in scope or figures.intervals is None:
            continue  # a "not stated" group: the rest of a sum, no histogram of its own
        days = [d for (d, _state), n in histograms[(series, scope)].items()
                if d is not None for _ in range(n)]
        for name, tail in (("p25", -1), ("p75", 1), ("p90", 1)):
            value = getattr(figures, name).days
            if value is not None:
                side = [d for d in days if (d >= value if tail > 0 else d <= value)]
                assert len(side) >= MIN_CELL, (key, name, value)
            high = getattr(figures.intervals, name).high
            if high is not None:
                assert len([d for d in days if d >= high]) >= MIN_CELL, (key, name, high)
        for name in ("p25", "median", "p75", "p90"):
            beyond = getattr(figures, name).more_than
            assert beyond is None or beyond in EDGES


def test_a_release_read_back_keeps_its_withheld_band_cells() -> None:
    people = at_one_facility(("ended", 7), times=20) + at_one_facility(("waiting", 200), times=3)
    release, _ = cut(people)
    figures = release.figures("intake|facility=10")
    assert figures is not None
    stored = release.stored["intake|facility=10"][1]
    assert all(len(band) == 6 for band in stored["bands"])  # format 4: the total as well
    # "> 6 months" (3) is withheld, and "≤ 2 weeks" (20) with it: else 23 - 20 gives it away.
    first, second, *_rest, last = figures.bands
    assert first == BandCount(first.band, None, None, None, None, None)
    assert last == BandCount(last.band, None, None, None, None, None)
    assert second == BandCount(second.band, 0, 0, 0, 0, 0)


def test_an_earlier_format_is_read_as_it_was_stored() -> None:
    # Format 1 stored three columns, formats 2 and 3 four, each band's total their sum.
    assert releases._band("184+", [1, 2, 3]).total == 6  # noqa: SLF001
    assert releases._band("184+", [1, 2, 3, 4]).total == 10  # noqa: SLF001
    assert releases._band("184+", [None, None, 3, 4, 12]).total == 12  # noqa: SLF001


def test_withheld_bands_side_by_side_are_drawn_as_one_bar() -> None:
    from testimonials.stats.presenter import _bins  # noqa: PLC0415 - the chart's own seam

    histogram = {(7, WaitState.ENDED): 30, (20, WaitState.ENDED): 12,
                 (100, WaitState.ENDED): 3, (200, WaitState.ENDED): 9}
    figures = protect_figures(summarise(histogram, 14), 11, histogram)
    assert [band.total for band in figures.bands] == [30, 12, 0, 0, None, None]
    bars = [(bar.low, bar.high, bar.count) for bar in _bins(figures, 366)]
    assert bars == [(0, 14, 30), (15, 28, 12), (29, 61, 0), (62, 91, 0), (92, 365, 12)]
    apart = {(7, WaitState.ENDED): 30, (20, WaitState.ENDED): 3, (200, WaitState.ENDED): 9}
    assert _bins(protect_figures(summarise(apart, 14), 11, apart), 366) == []


def test_a_few_answers_over_the_standard_are_not_counted_or_shared_out() -> None:
    # 400 waits within the standard and 3 beyond it: "3 of the 403 answers were already
    # longer than the standard", and a share of 0.7% of 403 (its interval narrow enough to
    # be shown), said how many were.
    histogram = {(10, WaitState.ENDED): 400, (60, WaitState.ENDED): 3}
    before = summarise(histogram, 14)
    assert before.n_over_standard == 3 and before.share_over_standard is not None
    after = protect_figures(before, 11, histogram)
    assert after.n_over_standard is None and after.share_over_standard is None
    assert after.intervals is not None
    assert after.intervals.share_over_standard.withheld == EXTREME
    # And the other way round: 3 answers within the standard, 40 beyond it.
    flipped = {(10, WaitState.ENDED): 3, (60, WaitState.ENDED): 40}
    assert protect_figures(summarise(flipped, 14), 11, flipped).n_over_standard is None
    enough = {(10, WaitState.ENDED): 30, (60, WaitState.ENDED): 13}
    assert protect_figures(summarise(enough, 14), 11, enough).n_over_standard == 13


# Release format 5: the counts of how the wait stood, inside a shown group.
def test_a_few_people_still_waiting_or_giving_up_are_not_counted_inside_a_shown_group() -> None:
    # 25 waits that ended, 3 people still waiting and 4 who gave up (2 without days): 3 and
    # 4 would be withheld together, but add up to 7, so the 25 go too; each withheld count
    # takes its share, its count without days and its band cells with it.
    summary = summarise({(7, WaitState.ENDED): 25, (40, WaitState.WAITING): 3,
                         (30, WaitState.GAVE_UP): 2, (None, WaitState.GAVE_UP): 2}, 14)
    assert (summary.n_ended, summary.n_waiting, summary.n_gave_up) == (25, 3, 4)
    shown = protect_figures(summary, 11)
    assert (shown.count, shown.n_in_estimate, shown.n_never_offered) == (32, 30, 0)
    assert (shown.n_ended, shown.n_waiting, shown.n_gave_up, shown.n_gave_up_without_days,
            shown.share_gave_up) == (None,) * 5
    assert shown.share_never_offered == 0
    assert not [cell for band in shown.bands for cell in band.cells[:3] if cell]


def test_large_counts_of_how_the_wait_stood_are_shown() -> None:
    summary = summarise({(7, WaitState.ENDED): 20, (40, WaitState.WAITING): 15,
                         (7, WaitState.GAVE_UP): 1, (None, WaitState.GAVE_UP): 2}, 14)
    shown = protect_figures(summary, 11)
    assert shown is not None
    # 3 gave up, withheld with the smallest other (15 still waiting): 18, two counts.
    assert (shown.n_ended, shown.n_waiting, shown.n_gave_up) == (20, None, None)
    assert shown.n_gave_up_without_days is None
    # The answers without days are the count less those with days, both published.
    assert shown.count - shown.n_in_estimate == 2
    # Had all 3 given no days, the count less those with days would be all who gave up
    # (none was never offered) were their band cells all shown as 0: some are withheld.
    alone = protect_figures(summarise({(7, WaitState.ENDED): 20, (40, WaitState.WAITING): 15,
                                       (None, WaitState.GAVE_UP): 3}, 14), 11)
    assert alone is not None and alone.n_gave_up is None
    assert None in [band.gave_up for band in alone.bands]
    bigger = protect_figures(summarise({(7, WaitState.ENDED): 20,
                                        (40, WaitState.WAITING): 15}, 14), 11)
    assert bigger is not None
    assert (bigger.n_ended, bigger.n_waiting, bigger.n_gave_up) == (20, 15, 0)


def test_a_withheld_count_takes_its_cumulative_incidence_with_it() -> None:
    # Nobody still waiting: by the standard, the cumulative incidence of being never offered
    # an appointment is 4 / 250 exactly, and x 250 answers with days would give the 4 back.
    histogram = {(3, WaitState.NEVER_OFFERED): 4, (20, WaitState.ENDED): 232,
                 (30, WaitState.GAVE_UP): 14}
    summary = summarise(histogram, 14)
    assert summary.intervals is not None
    assert summary.intervals.never_offered_by_standard.value == 4 / 250
    shown = protect_figures(summary, 11, histogram)
    assert (shown.n_gave_up, shown.n_never_offered) == (None, None)  # 4 and 14: 18
    assert shown.intervals is not None
    for name in ("gave_up_by_standard", "never_offered_by_standard"):
        estimate = getattr(shown.intervals, name)
        assert (estimate.value, estimate.low, estimate.high, estimate.n, estimate.withheld) \
            == (None, None, None, 250, FEW_ANSWERS), name
    # Counts shown: so are their incidences (0 who gave up by 14 days: 0, with an interval).
    large = {**histogram, (3, WaitState.NEVER_OFFERED): 40}
    shown = protect_figures(summarise(large, 14), 11, large)
    assert shown.intervals is not None and shown.n_never_offered == 40
    assert shown.intervals.never_offered_by_standard.value == 40 / 286
    assert shown.intervals.gave_up_by_standard.value == 0


def test_answers_without_days_of_both_kinds_are_withheld_together() -> None:
    histogram = {(7, WaitState.ENDED): 20, (30, WaitState.GAVE_UP): 12,
                 (None, WaitState.GAVE_UP): 2, (40, WaitState.NEVER_OFFERED): 11,
                 (None, WaitState.NEVER_OFFERED): 3}
    shown = protect_figures(summarise(histogram, 14), 11)
    assert (shown.n_gave_up, shown.n_never_offered) == (14, 14)
    assert (shown.n_gave_up_without_days, shown.n_never_offered_without_days) == (None, None)
    # Only one kind without days: its count is the count less those with days, shown.
    alone = protect_figures(summarise({**histogram, (None, WaitState.NEVER_OFFERED): 0}, 14),
                            11)
    assert (alone.n_gave_up_without_days, alone.n_never_offered_without_days) == (2, 0)


@settings(max_examples=15, deadline=None)
@given(st.lists(person, min_size=10, max_size=60))
def test_no_count_of_how_the_wait_stood_is_small_or_can_be_worked_out(people: list[Any]
                                                                       ) -> None:
    release, _ = cut(people)
    for key, figures in shown_figures(release):
        states = [getattr(figures, name) for name in STATES]
        assert not [value for value in states if small(value)], key
        withheld = [state for state, value in enumerate(states) if value is None]
        if withheld:
            # Withheld two or more at a time, adding up (the count less the shown) to
            # MIN_CELL or more; and no shown share or band column gives one back.
            assert len(withheld) >= 2, key
            assert figures.count - sum(value or 0 for value in states) >= MIN_CELL, key
        for state in withheld:
            assert not [band.cells[state] for band in figures.bands if band.cells[state]], key
        assert (figures.n_gave_up is None) == (figures.share_gave_up is None), key
        assert (figures.n_never_offered is None) == (figures.share_never_offered is None), key
        for count, name in (("n_gave_up", "gave_up_by_standard"),
                            ("n_never_offered", "never_offered_by_standard")):
            if getattr(figures, count) is None and figures.intervals is not None:
                assert getattr(figures.intervals, name).withheld == FEW_ANSWERS, key
