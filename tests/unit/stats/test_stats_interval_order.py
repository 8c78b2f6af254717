"""A published 95% interval reads forwards: low <= estimate <= high (audit finding 5 kept).

"More than N days" as an upper end says the true upper end lies above N, so N may not be
below the estimate or the low end. The extremes rule (`inner.protect_extremes`) moves an upper
end among the few longest answers down to a band edge, and `intervals.withhold` rounds an
upper end beyond the data down to one: an officials' report showed psychiatry's 90th
percentile as "122 days, 95% CI 122 to more than 91 days". Where the edge would fall below
the estimate (or the low end), the upper end reads "more than" that published number instead.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import hypothesis.strategies as st
from babel.support import Translations
from hypothesis import given, settings

from testimonials.stats import uncertainty
from testimonials.stats.histogram import Histogram
from testimonials.stats.inner import EDGES, _Sides, protect_figures
from testimonials.stats.intervals import Estimate, Intervals
from testimonials.stats.methods import methods_note
from testimonials.stats.summary import PERCENTILES, Summary, summarise
from testimonials.vocab import WaitState
from tests.unit.stats.test_stats_inner import cut, person, shown_figures
from tests.unit.stats.test_stats_methods_note import TRANSLATIONS

ENDED, WAITING = WaitState.ENDED, WaitState.WAITING


def psychiatry() -> dict[tuple[int | None, WaitState], int]:
    # 30 waits of 10 to 39 days, six of 4 months (122 days) and three longer: the 90th
    # percentile is 122 days, its interval 122 to 150, and 150 is the longest answer.
    histogram: dict[tuple[int | None, WaitState], int] = {
        (10 + day, ENDED): 1 for day in range(30)}
    histogram[(122, ENDED)] = 6
    histogram.update({(days, ENDED): 1 for days in (130, 140, 150)})
    return histogram


def test_an_upper_end_among_the_few_longest_is_not_moved_below_the_estimate() -> None:
    before = summarise(psychiatry(), 21)
    assert before.intervals is not None
    assert (before.intervals.p90.value, before.intervals.p90.low,
            before.intervals.p90.high) == (122, 122, 150)
    after = protect_figures(before, 5, psychiatry())
    assert after is not None and after.intervals is not None
    p90 = after.intervals.p90
    assert after.p90.days == 122 and p90.value == 122 and p90.low == 122
    # Not "more than 91" (the band edge below 150): the upper end lies above the estimate,
    # which is published anyway; 150, one person's answer, is still not.
    assert p90.high is None and p90.high_more_than == 122


def test_an_upper_end_beyond_the_data_is_not_rounded_below_the_estimate() -> None:
    # The three longest are still waiting: the interval's upper end is not reached, "more
    # than 150 days", one person's answer, which the band edge below it (91) would put
    # under the estimate.
    histogram = psychiatry()
    for days in (130, 140, 150):
        histogram[(days, WAITING)] = histogram.pop((days, ENDED))
    before = summarise(histogram, 21)
    assert before.intervals is not None and before.intervals.p90.high_more_than == 150
    after = protect_figures(before, 5, histogram)
    assert after is not None and after.intervals is not None
    p90 = after.intervals.p90
    assert (p90.value, p90.low, p90.high, p90.high_more_than) == (122, 122, None, 122)


def test_the_low_end_of_a_percentile_not_reached_is_not_one_of_the_few_longest() -> None:
    # Eleven people still waiting past four months: the 90th percentile is not reached
    # ("more than 183 days"), and its interval's low end was 170 days, one of the seven
    # longest answers, published in the CSV and the API.
    histogram: dict[tuple[int | None, WaitState], int] = {
        (10 + day, ENDED): 1 for day in range(25)}
    histogram.update({(days, ENDED): 1 for days in (130, 150, 170, 187)})
    histogram.update({(days, WAITING): 1 for days in (140, 160, 180, 190, 200, 210, 220)})
    before = summarise(histogram, 21)
    assert before.intervals is not None
    raw = before.intervals.p90
    assert raw.value is None and raw.low == 170 and raw.high is None
    after = protect_figures(before, 11, histogram)
    assert after is not None and after.intervals is not None
    p90 = after.intervals.p90
    assert p90.low == 91 and p90.high_more_than == 183  # band edges, and in order


def test_a_backwards_interval_stored_before_the_fix_is_not_shown() -> None:
    # A release cut before the fix keeps what it stored; its pages show the estimate alone.
    stored = protect_figures(summarise(psychiatry(), 21), 5, psychiatry())
    assert stored is not None and stored.intervals is not None
    backwards = Estimate(122, 122, None, 39, high_more_than=91)
    old = _with_p90(stored, backwards)
    assert uncertainty.percentile(old, "p90") is None
    shown = uncertainty.percentile(stored, "p90")
    assert shown is not None and (shown.low, shown.high, shown.more_than) == (122, None, 122)


def test_the_methods_note_says_an_upper_end_is_never_below_the_estimate() -> None:
    english = methods_note(11)
    assert "no interval reads backwards" in english
    assert "\"122 days (95% CI 122 to more than 91)\"" in english
    assert "always names a band edge or a number shown beside it" in english
    assert "N a band edge (or the estimate, where that edge would be below it)" in english
    spanish = methods_note(11, Translations.load(str(TRANSLATIONS), ["es"]).gettext)
    assert "ningún intervalo se lee al revés" in spanish
    assert "(o la propia estimación, donde ese límite quedaría por debajo de ella)" in spanish
    assert "no interval reads backwards" not in spanish


def _with_p90(summary: Summary, p90: Estimate) -> Summary:
    assert summary.intervals is not None
    return replace(summary, intervals=replace(summary.intervals, p90=p90))


# Any answers: every published interval reads forwards, and no end of one is a few people's
# own answer where the extremes rule forbids it.
answer = st.one_of(
    st.tuples(st.one_of(st.integers(0, 60), st.integers(0, 400),
                        st.sampled_from([*EDGES, 122, 730])),
              st.sampled_from([ENDED, ENDED, WAITING, WaitState.GAVE_UP,
                               WaitState.NEVER_OFFERED])),
    st.tuples(st.none(), st.sampled_from([WaitState.GAVE_UP, WaitState.NEVER_OFFERED])),
)


def histogram_of(answers: list[tuple[int | None, WaitState]]) -> Histogram:
    found: dict[tuple[int | None, WaitState], int] = {}
    for key in answers:
        found[key] = found.get(key, 0) + 1
    return found


def check_ordered(estimate: Estimate, where: Any) -> None:
    ends = [end for end in (estimate.low, estimate.value, estimate.high) if end is not None]
    assert ends == sorted(ends), where
    if estimate.high_more_than is not None:
        assert estimate.high is None, where
        assert all(estimate.high_more_than >= end for end in ends), where


def check_no_extreme_end(estimate: Estimate, p: float, histogram: Histogram, min_cell: int,
                         where: Any) -> None:
    sides = _Sides(histogram)
    if estimate.value is not None:  # the rule for the percentile itself (`protect_extremes`)
        if p < 0.5:
            assert sides.at_most(int(estimate.value)) >= min_cell, where
        elif p > 0.5:
            assert sides.at_least(int(estimate.value)) >= min_cell, where
    if estimate.low is not None and estimate.low not in EDGES:
        assert sides.at_most(int(estimate.low)) >= min_cell, where
        assert sides.at_least(int(estimate.low)) >= min_cell, where
    if estimate.high is not None:
        assert sides.at_least(int(estimate.high)) >= min_cell, where
    if estimate.high_more_than is not None:
        # A band edge, or a number the interval publishes anyway (the estimate, its low end).
        assert estimate.high_more_than in (*EDGES, estimate.value, estimate.low), where


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(st.lists(answer, min_size=3, max_size=60), st.sampled_from([3, 5, 11]),
       st.sampled_from([14, 21, 30]))
def test_every_published_interval_reads_forwards_and_hides_the_extremes(
        answers: list[tuple[int | None, WaitState]], min_cell: int, standard: int) -> None:
    histogram = histogram_of(answers)
    shown = protect_figures(summarise(histogram, standard), min_cell, histogram)
    if shown is None or shown.intervals is None:
        return
    for name in Intervals.NAMES:
        check_ordered(getattr(shown.intervals, name), (name, shown.intervals))
    for name, p in zip(Intervals.PERCENTILES, PERCENTILES, strict=True):
        estimate = getattr(shown.intervals, name)
        check_no_extreme_end(estimate, p, histogram, min_cell, (name, estimate))
        if estimate.value is not None:
            assert getattr(shown, name).days == estimate.value


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(st.lists(person, min_size=10, max_size=60))
def test_every_interval_of_a_release_read_back_reads_forwards(people: list[Any]) -> None:
    release, _ = cut(people)
    for key, figures in shown_figures(release):
        if figures.intervals is not None:
            for name in Intervals.NAMES:
                check_ordered(getattr(figures.intervals, name), (key, name))
