"""Our Kaplan-Meier estimate agrees with lifelines (and with exact fractions) on random samples.

lifelines computes S(t) as exp(sum of logs), so where S(t) is exactly 1 - p its percentile can
fall either side by rounding (it gives 4 as the median of 1..6). There we compare with an exact
reference instead; everywhere else the percentiles must be identical.
"""

from fractions import Fraction

import hypothesis.strategies as st
from hypothesis import given, settings
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_time

from testimonials.stats.histogram import histogram_of
from testimonials.stats.kaplan_meier import kaplan_meier
from testimonials.stats.summary import share_over_standard
from testimonials.vocab import WaitState

E, W, G = WaitState.ENDED, WaitState.WAITING, WaitState.GAVE_UP
N = WaitState.NEVER_OFFERED
CAP = 730  # "730 days or more": censored whatever the state
PS = (0.25, 0.5, 0.75, 0.9)
KNIFE_EDGE = 1e-9


@st.composite
def observations(draw):
    # A narrow range of days makes ties between events and censorings common.
    longest = draw(st.sampled_from([3, 20, 120, 730]))
    days = st.integers(0, longest)
    answer = st.one_of(
        st.tuples(days, st.sampled_from([E, E, E, W, G, N])),
        st.tuples(st.none(), st.sampled_from([G, N])),
    )
    return draw(st.lists(answer, min_size=1, max_size=300))


def exact_curve(sample):
    """S(t) at each distinct time with days, in fractions, straight from the definition."""
    timed = [(days, state) for days, state in sample if days is not None]
    survival, curve = Fraction(1), {}
    for time in sorted({days for days, _ in timed}):
        at_risk = sum(1 for days, _ in timed if days >= time)
        events = sum(1 for days, state in timed if days == time and state is E and days < CAP)
        survival *= 1 - Fraction(events, at_risk)
        curve[time] = survival
    return curve


def exact_percentile(curve, p):
    threshold = 1 - Fraction(p).limit_denominator(100)
    return next((time for time, s in curve.items() if s <= threshold), None)


def lifelines_fit(sample):
    timed = [(days, state) for days, state in sample if days is not None]
    fitter = KaplanMeierFitter()
    fitter.fit([days for days, _ in timed], [state is E and days < CAP for days, state in timed])
    return fitter.survival_function_["KM_estimate"]


@settings(max_examples=150, deadline=None)
@given(observations())
def test_curve_and_percentiles_match_lifelines(sample):
    ours = kaplan_meier(histogram_of(sample))
    exact = exact_curve(sample)
    assert [step.days for step in ours.steps] == list(exact)
    if not exact:
        assert all(not ours.percentile(p).reached for p in PS)
        return
    theirs = lifelines_fit(sample)
    for step in ours.steps:
        assert abs(step.survival - theirs.loc[step.days]) < 1e-12
        assert abs(step.survival - float(exact[step.days])) < 1e-12
    for p in PS:
        got = ours.percentile(p)
        assert got.days == exact_percentile(exact, p)
        assert got.more_than == (None if got.reached else max(exact))
        if all(abs(float(s) - (1 - p)) > KNIFE_EDGE for s in exact.values()):
            expected = qth_survival_time(1 - p, theirs)
            assert got.days == (None if expected == float("inf") else expected)


@settings(max_examples=50, deadline=None)
@given(observations(), st.integers(0, 730))
def test_share_over_standard_is_lifelines_survival_at_the_standard(sample, standard):
    share = share_over_standard(kaplan_meier(histogram_of(sample)), standard)
    exact = exact_curve(sample)
    if not exact or (standard > max(exact) and exact[max(exact)] > 0):
        assert share is None  # nobody observed that long: not estimable
        return
    theirs = lifelines_fit(sample)
    # lifelines' step function carries the last value forward, which is 0 past the end here.
    expected = theirs[theirs.index <= standard].iloc[-1]
    assert share is not None and abs(share - expected) < 1e-12
