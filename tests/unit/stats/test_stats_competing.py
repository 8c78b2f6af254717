"""Never offered and gave up as competing outcomes, 730 days censored, intervals in a summary.

The cumulative incidences are checked against a hand-worked example (and against lifelines'
Aalen-Johansen in test_stats_intervals); the summary's intervals against lifelines' Kaplan-Meier.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_times

from testimonials.stats.bands import count_bands
from testimonials.stats.cells import measures
from testimonials.stats.histogram import histogram_of, tally
from testimonials.stats.inner import protect_figures
from testimonials.stats.intervals import (
    FEW_ANSWERS,
    TOO_UNCERTAIN,
    Estimate,
    incidence,
    incidence_at,
    too_uncertain,
)
from testimonials.stats.kaplan_meier import kaplan_meier
from testimonials.stats.releases import _decode, _encode
from testimonials.stats.summary import count_at_standard, summarise
from testimonials.vocab import WaitState

E, W, G, N = (WaitState.ENDED, WaitState.WAITING, WaitState.GAVE_UP,
              WaitState.NEVER_OFFERED)

# Six answers, worked by hand below: the all-cause survival S and each incidence F.
#   t=2  n=6  E         S = 5/6
#   t=3  n=5  G         F_G += 5/6 * 1/5 = 1/6          S = 2/3
#   t=5  n=4  N (+1 W)  F_N += 2/3 * 1/4 = 1/6          S = 1/2
#   t=7  n=2  E                                         S = 1/4
#   t=8  n=1  G         F_G += 1/4 * 1/1 = 1/4 (5/12)   S = 0
HAND = [(2, E), (3, G), (5, N), (5, W), (7, E), (8, G)]


def at(steps, days):  # type: ignore[no-untyped-def]
    return incidence_at(steps, days, 6).value


def test_giving_up_and_never_offered_have_their_own_incidence_worked_by_hand() -> None:
    histogram = histogram_of(HAND)
    gave_up, never = incidence(histogram, G), incidence(histogram, N)
    assert at(gave_up, 2) == 0.0
    assert at(gave_up, 4) == pytest.approx(float(Fraction(1, 6)))
    assert at(never, 4) == 0.0
    assert at(never, 5) == pytest.approx(float(Fraction(1, 6)))
    assert at(gave_up, 8) == pytest.approx(float(Fraction(5, 12)))
    # With the appointments' own incidence (1/6 + 1/4), the three ends account for everyone.
    assert at(gave_up, 8) + at(never, 8) + float(Fraction(5, 12)) == pytest.approx(1.0)


def test_giving_up_is_not_censored_into_a_shorter_wait() -> None:
    # Censoring the giving up would say nobody gave up; the incidence says 5/12 did.
    summary = summarise(histogram_of(HAND), 8)
    assert summary.intervals is not None
    assert summary.intervals.gave_up_by_standard.value == pytest.approx(5 / 12)
    assert summary.intervals.never_offered_by_standard.value == pytest.approx(1 / 6)
    assert summary.intervals.gave_up_by_standard.n == 6


def test_an_incidence_past_the_longest_wait_is_not_estimated_while_some_still_wait() -> None:
    summary = summarise(histogram_of([(3, G), (5, W), (4, E)]), 30)
    assert summary.intervals is not None
    assert summary.intervals.gave_up_by_standard.value is None


def test_never_offered_answers_are_counted_apart_from_gave_up() -> None:
    histogram = histogram_of([(10, G), (None, G), (20, N), (None, N), (None, N), (5, E), (9, W)])
    counts = tally(histogram)
    assert (counts.gave_up, counts.gave_up_without_days) == (2, 1)
    assert (counts.never_offered, counts.never_offered_without_days) == (3, 2)
    assert counts.total == 7 and counts.with_days == 4
    summary = summarise(histogram, 14)
    assert (summary.n_gave_up, summary.n_never_offered) == (2, 3)
    assert summary.n_never_offered_without_days == 2 and summary.n_in_estimate == 4
    assert summary.share_gave_up == pytest.approx(2 / 7)
    assert summary.share_never_offered == pytest.approx(3 / 7)
    first, second = count_bands(histogram)[:2]
    assert (first.gave_up, first.never_offered, first.total) == (1, 0, 3)
    assert (second.never_offered, second.total) == (1, 1)


def test_a_never_offered_answer_has_its_own_aggregate_cell() -> None:
    found = measures(1, 0, [("intake", "never_offered", None), ("psychiatry", "never_offered", 40)])
    assert ("intake:never_offered", -1) in found and ("psychiatry:never_offered", 40) in found


@pytest.mark.parametrize("state", [E, G, N, W])
def test_a_wait_of_730_days_is_censored_whatever_its_state(state: WaitState) -> None:
    histogram = histogram_of([(100, E), (730, state), (730, state)])
    curve = kaplan_meier(histogram)
    last = curve.steps[-1]
    assert (last.days, last.events, last.censored) == (730, 0, 2)
    assert curve.percentile(0.5).days is None and curve.percentile(0.5).more_than == 730
    for cause in (G, N):
        assert incidence_at(incidence(histogram, cause), 730, 3).value == 0.0


def test_answers_exactly_on_the_standard_are_counted_whatever_their_state() -> None:
    histogram = histogram_of([(14, E), (14, W), (14, G), (15, E), (13, E), (None, G)])
    assert count_at_standard(histogram, 14) == 3
    assert summarise(histogram, 14).n_at_standard == 3
    assert summarise(histogram, 14).n_over_standard == 1  # on the line is not over it


def test_summary_intervals_agree_with_lifelines() -> None:
    sample = [(days, E) for days in range(1, 60)] + [(days, W) for days in range(20, 90, 3)]
    sample += [(days, G) for days in range(5, 50, 7)] + [(30, N), (45, N)]
    summary = summarise(histogram_of(sample), 14)
    fitter = KaplanMeierFitter().fit([d for d, _ in sample], [s is E for _, s in sample])
    band = fitter.confidence_interval_survival_function_
    intervals = summary.intervals
    assert intervals is not None
    median = intervals.median
    low, high = qth_survival_times(0.5, band).iloc[0]
    assert (median.value, median.low, median.high) == (summary.median.days, low, high)
    assert median.n == summary.n_in_estimate == len(sample)
    share = intervals.share_over_standard
    assert share.value == pytest.approx(fitter.predict(14))
    low_column, high_column = band.columns
    assert share.low == pytest.approx(band.loc[14, low_column])
    assert share.high == pytest.approx(band.loc[14, high_column])


def test_thin_estimates_are_withheld_with_their_intervals() -> None:
    # 8 answers with days in a group of 20 (12 gave up without saying after how long).
    sample = [(d, E) for d in range(1, 6)] + [(d, W) for d in (2, 4, 6)] + [(None, G)] * 12
    summary = protect_figures(summarise(histogram_of(sample), 4), 11)
    assert summary is not None and summary.intervals is not None
    assert summary.intervals.median == Estimate(None, None, None, 8, None, FEW_ANSWERS)
    assert summary.intervals.share_over_standard.withheld == FEW_ANSWERS
    assert summary.median.days is None and summary.share_over_standard is None


def test_a_share_too_uncertain_to_say_anything_is_withheld() -> None:
    assert too_uncertain(Estimate(0.5, 0.3, 0.62, 20))  # 0.32 wide
    assert too_uncertain(Estimate(0.04, 0.01, 0.1, 60))  # 0.09 wide, 225% of the share
    assert not too_uncertain(Estimate(0.9, 0.8, 0.95, 60))
    assert not too_uncertain(Estimate(0.0, 0.0, 0.0, 60))
    # 12 answers, half over the standard: the share is 0.5, its interval far too wide.
    sample = [(d, E) for d in range(1, 13)]
    summary = protect_figures(summarise(histogram_of(sample), 6), 11)
    assert summary.intervals is not None
    assert summary.intervals.share_over_standard.withheld == TOO_UNCERTAIN
    assert summary.share_over_standard is None
    assert summary.intervals.median.value == summary.median.days == 6  # percentiles stay


def test_an_upper_bound_beyond_the_data_is_a_band_edge_not_an_answer() -> None:
    sample = [(d, E) for d in range(1, 12)] + [(200, W)] * 10
    summary = protect_figures(summarise(histogram_of(sample), 14), 11)
    assert summary.intervals is not None
    median = summary.intervals.median
    assert median.high is None and median.high_more_than == 183


def test_small_counts_on_the_standard_are_not_shown() -> None:
    sample = [(d, E) for d in range(1, 30)] + [(14, E)] * 2
    assert protect_figures(summarise(histogram_of(sample), 14), 11).n_at_standard is None
    sample += [(14, E)] * 10
    assert protect_figures(summarise(histogram_of(sample), 14), 11).n_at_standard == 13


def test_a_release_document_keeps_every_interval() -> None:
    summary = protect_figures(summarise(histogram_of(HAND * 4 + [(None, N)]), 4), 11)
    assert _decode(_encode(summary)) == summary


def test_a_format_1_document_still_reads_without_intervals() -> None:
    stored = _encode(summarise(histogram_of(HAND), 4))
    assert stored is not None
    for name in ("intervals", "n_never_offered", "n_never_offered_without_days",
                 "n_at_standard"):
        stored.pop(name)
    stored["bands"] = [row[:4] for row in stored["bands"]]
    old = _decode(stored)
    assert old is not None and old.intervals is None and old.n_never_offered == 0
