"""Our confidence intervals agree with lifelines on random samples (the oracle), and behave.

- Survival bands: lifelines' exponential Greenwood interval, at every observed time.
- Percentile intervals: lifelines' `qth_survival_times` on its own interval columns.
- Giving up and never offered: lifelines' AalenJohansenFitter, on samples without tied times
  (it jitters ties, which would make the comparison random), for the incidence and its bounds,
  with the other two ends competing.
- A wait of exactly 730 days ("730 days or more") is censored, whatever its state: the oracle
  gets it as censored.
- At the edges (an estimate of exactly 0 or 1) we give the exact binomial interval where
  lifelines keeps the collapsed one; the last tests pin those values.
"""

from __future__ import annotations

import math

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.utils import qth_survival_times

from testimonials.stats.histogram import histogram_of
from testimonials.stats.intervals import (
    incidence,
    incidence_at,
    incidence_by,
    percentile_interval,
    survival_bands,
    survival_interval,
)
from testimonials.stats.kaplan_meier import kaplan_meier
from testimonials.vocab import WaitState

E, W, G = WaitState.ENDED, WaitState.WAITING, WaitState.GAVE_UP
N = WaitState.NEVER_OFFERED
CAP = 730
KNIFE_EDGE = 1e-9


@st.composite
def observations(draw):
    longest = draw(st.sampled_from([5, 30, 200, 730]))
    answer = st.tuples(st.integers(1, longest), st.sampled_from([E, E, E, W, G, N]))
    return draw(st.lists(answer, min_size=2, max_size=200))


def km_fit(sample):
    fitter = KaplanMeierFitter()
    fitter.fit([days for days, _ in sample],
               [state is E and days < CAP for days, state in sample])
    return fitter


@settings(max_examples=60, deadline=None)
@given(observations())
def test_survival_band_matches_lifelines(sample):
    fitter = km_fit(sample)
    band = fitter.confidence_interval_survival_function_
    low_column, high_column = band.columns
    for days, low, high in survival_bands(kaplan_meier(histogram_of(sample))):
        assert low == pytest.approx(band.loc[days, low_column], abs=1e-9)
        assert high == pytest.approx(band.loc[days, high_column], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(observations(), st.sampled_from([0.25, 0.5, 0.75, 0.9]))
def test_percentile_interval_matches_lifelines(sample, p):
    curve = kaplan_meier(histogram_of(sample))
    fitter = km_fit(sample)
    band = fitter.confidence_interval_survival_function_
    if any(abs(value - (1 - p)) < KNIFE_EDGE for value in band.to_numpy().ravel()):
        return  # a bound exactly on the level: either side is right in floating point
    theirs = qth_survival_times(1 - p, band).iloc[0]
    ours = percentile_interval(curve, p)

    def as_days(value):
        return None if math.isinf(value) else int(value)

    assert ours.low == as_days(theirs.iloc[0])
    assert ours.high == as_days(theirs.iloc[1])
    assert ours.n == len(sample)
    if ours.value is not None and ours.low is not None:
        assert ours.low <= ours.value
    if ours.value is not None and ours.high is not None:
        assert ours.value <= ours.high


@st.composite
def untied(draw):
    """Distinct times (lifelines' Aalen-Johansen jitters ties), with both ends present."""
    times = draw(st.lists(st.integers(1, 730), min_size=3, max_size=120, unique=True))
    states = draw(st.lists(st.sampled_from([E, E, W, G, N]), min_size=len(times),
                           max_size=len(times)))
    return list(zip(times, states, strict=True))


@settings(max_examples=60, deadline=None)
@given(untied(), st.sampled_from([G, N]))
def test_stopping_incidence_matches_lifelines(sample, cause):
    codes = {E: 3, G: 1, N: 2, W: 0}
    fitter = AalenJohansenFitter(calculate_variance=True)
    fitter.fit([d for d, _ in sample], [0 if d == CAP else codes[s] for d, s in sample],
               event_of_interest=codes[cause])
    incidence_ = fitter.cumulative_density_.iloc[:, 0]
    bounds = fitter.confidence_interval_
    ours = incidence(histogram_of(sample), cause)
    for step in ours:
        assert step.incidence == pytest.approx(incidence_.loc[step.days], abs=1e-9)
        if 0 < step.incidence < 1:
            theirs = sorted(bounds.loc[step.days])
            if any(math.isnan(bound) for bound in theirs):
                # lifelines divides by n - d = 0 where everyone left ends at once; we take that
                # term as 0, as Greenwood's sum does (and lifelines does for Kaplan-Meier).
                continue
            assert [step.low, step.high] == pytest.approx(theirs, abs=1e-9)


def test_share_over_standard_interval_contains_the_estimate_and_narrows_with_more_answers():
    small = [(days, E) for days in range(1, 41)]
    large = small * 10
    a = survival_interval(kaplan_meier(histogram_of(small)), 14)
    b = survival_interval(kaplan_meier(histogram_of(large)), 14)
    assert a.value == b.value == pytest.approx(26 / 40)
    assert a.low < a.value < a.high and b.low < b.value < b.high
    assert (b.high - b.low) < (a.high - a.low) / 2
    assert (a.n, b.n) == (40, 400)


def test_standard_beyond_the_data_has_no_interval():
    curve = kaplan_meier(histogram_of([(5, E), (8, W)]))
    assert survival_interval(curve, 30).value is None


def test_percentile_not_reached_says_more_than_the_longest_wait():
    curve = kaplan_meier(histogram_of([(10, E), (20, W), (30, W), (40, W)]))
    got = percentile_interval(curve, 0.5)
    assert got.value is None and got.high is None and got.more_than == 40


def test_nobody_gave_up_means_zero_incidence():
    steps = incidence(histogram_of([(3, E), (9, W)]), WaitState.GAVE_UP)
    assert incidence_at(steps, 100, 2).value == 0.0


def test_everyone_over_the_standard_gets_an_exact_interval_not_a_certain_100_percent():
    # 124 answers, none ended within 14 days: log-log collapses to "100% (100% to 100%)"; the
    # Clopper-Pearson interval for 124 of 124 is 97.1% to 100%.
    curve = kaplan_meier(histogram_of([(60, E)] * 124))
    got = survival_interval(curve, 14)
    assert got.value == 1.0 and got.high == 1.0
    assert got.low == pytest.approx(0.025 ** (1 / 124))
    assert got.low == pytest.approx(0.9707, abs=1e-4)


def test_nobody_over_the_standard_gets_an_exact_upper_bound():
    curve = kaplan_meier(histogram_of([(3, E)] * 40))
    got = survival_interval(curve, 14)
    assert (got.value, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(1 - 0.025 ** (1 / 40))  # 8.8%


def test_answers_censored_before_the_standard_do_not_count_as_known_at_the_edge():
    # 10 still waiting at day 5 say nothing about day 14: the bound rests on the other 30.
    curve = kaplan_meier(histogram_of([(5, W)] * 10 + [(60, E)] * 30))
    got = survival_interval(curve, 14)
    assert got.value == 1.0 and got.n == 40
    assert got.low == pytest.approx(0.025 ** (1 / 30))


def test_nobody_gave_up_within_the_standard_still_has_an_upper_bound():
    sample = [(3, E)] * 20 + [(30, W)] * 5
    curve = kaplan_meier(histogram_of(sample))
    got = incidence_by(histogram_of(sample), WaitState.GAVE_UP, 14, curve)
    assert (got.value, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(1 - 0.025 ** (1 / 25))
