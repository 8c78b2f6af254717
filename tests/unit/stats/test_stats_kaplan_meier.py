"""Kaplan-Meier curves and percentiles on hand-computed and textbook examples."""

from fractions import Fraction

import pytest

from testimonials.stats.histogram import histogram_of
from testimonials.stats.kaplan_meier import Percentile, kaplan_meier
from testimonials.vocab import WaitState

E, W, G = WaitState.ENDED, WaitState.WAITING, WaitState.GAVE_UP


def curve_of(*observations):
    return kaplan_meier(histogram_of(observations))


# Each case: observations, then (days, at_risk, events, censored, exact S) per distinct time.
HAND_CASES = {
    "no censoring": (
        [(1, E), (2, E), (3, E), (4, E)],
        [
            (1, 4, 1, 0, Fraction(3, 4)),
            (2, 3, 1, 0, Fraction(1, 2)),
            (3, 2, 1, 0, Fraction(1, 4)),
            (4, 1, 1, 0, Fraction(0)),
        ],
    ),
    "tied events": (
        [(2, E), (2, E), (2, E), (5, E)],
        [(2, 4, 3, 0, Fraction(1, 4)), (5, 1, 1, 0, Fraction(0))],
    ),
    # Censored at 3 is still at risk at 3: S = 1 - 2/5, not 1 - 2/4.
    "censored at the time of events": (
        [(3, E), (3, E), (3, W), (5, E), (8, W)],
        [
            (3, 5, 2, 1, Fraction(3, 5)),
            (5, 2, 1, 0, Fraction(3, 10)),
            (8, 1, 0, 1, Fraction(3, 10)),
        ],
    ),
    "censored before events": (
        [(1, W), (2, E), (2, E), (4, E)],
        [(1, 4, 0, 1, Fraction(1)), (2, 3, 2, 0, Fraction(1, 3)), (4, 1, 1, 0, Fraction(0))],
    ),
    "gave up with days is censored, without days is left out": (
        [(3, G), (4, E), (None, G), (None, G)],
        [(3, 2, 0, 1, Fraction(1)), (4, 1, 1, 0, Fraction(0))],
    ),
    "events on day zero": (
        [(0, E), (0, E), (1, W), (2, E)],
        [(0, 4, 2, 0, Fraction(1, 2)), (1, 2, 0, 1, Fraction(1, 2)), (2, 1, 1, 0, Fraction(0))],
    ),
    "only still waiting": (
        [(5, W), (5, W), (9, W)],
        [(5, 3, 0, 2, Fraction(1)), (9, 1, 0, 1, Fraction(1))],
    ),
}


@pytest.mark.parametrize("observations, expected", HAND_CASES.values(), ids=HAND_CASES.keys())
def test_curve_matches_hand_computation(observations, expected):
    steps = curve_of(*observations).steps
    assert [(s.days, s.at_risk, s.events, s.censored) for s in steps] == [
        row[:4] for row in expected
    ]
    for step, row in zip(steps, expected, strict=True):
        assert step.survival == pytest.approx(float(row[4]), abs=1e-15)


# Each case: observations, then the expected (p25, median, p75, p90); an int is a reached
# percentile, ("more than", N) one that the curve never reaches.
PERCENTILE_CASES = {
    "no censoring": ([(1, E), (2, E), (3, E), (4, E)], (1, 2, 3, 4)),
    "exact half at a tie": ([(2, E), (2, E), (7, E), (7, E)], (2, 2, 7, 7)),
    "censored at the time of events": (
        [(3, E), (3, E), (3, W), (5, E), (8, W)],
        (3, 5, ("more than", 8), ("more than", 8)),
    ),
    "censored before events": ([(1, W), (2, E), (2, E), (4, E)], (2, 2, 4, 4)),
    "only still waiting": ([(5, W), (9, W)], (("more than", 9),) * 4),
    "events on day zero": ([(0, E), (0, E), (1, W), (2, E)], (0, 0, 2, 2)),
}


@pytest.mark.parametrize(
    "observations, expected", PERCENTILE_CASES.values(), ids=PERCENTILE_CASES.keys()
)
def test_percentiles_are_the_first_time_the_curve_reaches_one_minus_p(observations, expected):
    curve = curve_of(*observations)
    for p, want in zip((0.25, 0.5, 0.75, 0.9), expected, strict=True):
        got = curve.percentile(p)
        if isinstance(want, int):
            assert (got.days, got.more_than, got.reached) == (want, None, True)
        else:
            assert (got.days, got.more_than, got.reached) == (None, want[1], False)


@pytest.mark.parametrize("n", range(2, 400, 2))
def test_median_of_n_distinct_ended_waits_is_exactly_the_middle_one(n):
    # S(n/2) is exactly 1/2; floating point alone lands either side of it (lifelines does).
    curve = curve_of(*[(day, E) for day in range(1, n + 1)])
    assert curve.percentile(0.5).days == n // 2


@pytest.mark.parametrize("n", range(10, 400, 10))
def test_ninetieth_percentile_uses_nine_tenths_exactly(n):
    curve = curve_of(*[(day, E) for day in range(1, n + 1)])
    assert curve.percentile(0.9).days == n * 9 // 10


def test_empty_curve_reaches_nothing_and_estimates_nothing():
    curve = kaplan_meier({})
    assert curve.n == 0
    assert curve.last_observed is None
    assert curve.percentile(0.5) == Percentile(0.5, None, None)
    assert curve.survival_at(0) is None


def test_survival_at_steps_and_stops_at_the_last_observation():
    curve = curve_of((3, E), (3, E), (3, W), (5, E), (8, W))
    assert [curve.survival_at(day) for day in (0, 2, 3, 4, 5, 8)] == pytest.approx(
        [1.0, 1.0, 0.6, 0.6, 0.3, 0.3]
    )
    assert curve.survival_at(9) is None  # nobody was followed past 8 days


def test_survival_past_the_end_is_zero_once_every_wait_ended():
    assert curve_of((1, W), (2, E)).survival_at(500) == 0.0


def test_percentile_and_survival_reject_out_of_range_arguments():
    curve = curve_of((1, E))
    for p in (0, 1, -0.5, 1.5):
        with pytest.raises(ValueError):
            curve.percentile(p)
    with pytest.raises(ValueError):
        curve.survival_at(-1)


# Freireich et al. (1963), 6-MP trial of remission in acute leukaemia, times in weeks
# (* censored). S(t) from Kleinbaum & Klein, "Survival Analysis: A Self-Learning Text",
# chapter 2, the KM table for each group, printed to 4 decimals.
SIX_MP = "6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*"
PLACEBO = "1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23"
SIX_MP_TABLE = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}
PLACEBO_TABLE = {
    1: 0.9048,
    2: 0.8095,
    3: 0.7619,
    4: 0.6667,
    5: 0.5714,
    8: 0.3810,
    11: 0.2857,
    12: 0.1905,
    15: 0.1429,
    17: 0.0952,
    22: 0.0476,
    23: 0.0,
}


def freireich(column):
    return [(int(t.rstrip("*")), W if t.endswith("*") else E) for t in column.split()]


@pytest.mark.parametrize(
    "column, table, median",
    [(SIX_MP, SIX_MP_TABLE, 23), (PLACEBO, PLACEBO_TABLE, 8)],
    ids=["6-MP", "placebo"],
)
def test_freireich_leukaemia_matches_the_textbook(column, table, median):
    curve = curve_of(*freireich(column))
    assert curve.n == 21
    for weeks, survival in table.items():
        assert curve.survival_at(weeks) == pytest.approx(survival, abs=5e-5)
    assert curve.percentile(0.5).days == median


def test_freireich_6mp_quartiles_and_an_unreached_upper_quartile():
    curve = curve_of(*freireich(SIX_MP))
    assert curve.percentile(0.25).days == 13  # S(10) = 0.7529 is still above 0.75
    upper = curve.percentile(0.75)
    assert (upper.reached, upper.more_than) == (False, 35)
