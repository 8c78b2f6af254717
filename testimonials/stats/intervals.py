"""95% confidence intervals for the wait estimates, and giving up as a competing outcome.

Pure functions over `kaplan_meier.Curve` and histograms; no Flask, no database.

- Survival S(t) (the share still waiting after t days, and so the share over a standard): the
  "exponential Greenwood" interval, Greenwood's variance on the log(-log S) scale (Kalbfleisch and
  Prentice), which stays inside 0..1. lifelines computes the same (its default).
- Percentiles (the median and the others): the times at which the interval's bounds cross the
  percentile's level, i.e. the pointwise interval inverted (Brookmeyer and Crowley's construction
  with the log-log transform); lifelines' `median_survival_times(confidence_interval_)` agrees.
  The upper end may not be reached: then the data say only "more than" the longest observed wait.
- Giving up and never being offered an appointment: with "got the appointment", "gave up" and
  "never offered" as three kinds of end (competing outcomes), the Aalen-Johansen cumulative
  incidence of one kind by t days, with the delta-method variance of Collett (Modelling
  Survival Data in Medical Research, 3rd ed., p. 411) on the log(-log F) scale. Censoring
  them, as the Kaplan-Meier percentiles do, answers "how long would the wait be had nobody
  stopped waiting"; the cumulative incidence answers "how many stopped", and is reported
  beside them so that nobody's giving up is silently read as a shorter wait.
- An answer of exactly 730 days ("730 days or more") is censored there, whatever its state.
- At the edges (an estimate of exactly 0 or 1: nobody had their appointment within the
  standard, or nobody gave up) the log-log interval collapses to that one value, which would
  print "100% (100% to 100%)" as if certain. There the interval is instead the exact binomial
  (Clopper-Pearson) one for "all n" or "none of n", with n the answers whose outcome at that
  time is known (all answers with days, less those censored before it): 124 answers all over
  the standard give 97.1% to 100%. lifelines keeps the collapsed value; that is the one place
  we differ from it, on purpose.

`intervals_of` puts them together for `summary.summarise`; `withhold` applies the rule for
estimates too thin or too uncertain to publish (see `methods`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from math import exp, log, sqrt
from statistics import NormalDist

from testimonials.stats.histogram import Histogram, at_the_cap, normalise
from testimonials.stats.kaplan_meier import Curve
from testimonials.vocab import WaitState

Z95 = NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Estimate:
    """One published figure with its 95% interval and the number of answers it rests on.

    `value`, `low` and `high` are whole days for a percentile, shares from 0 to 1 otherwise.
    `value` None: not shown, either not estimable (the data do not reach it; see the
    percentile's "more than") or withheld (`withheld` says why). `high` None with a value:
    the upper bound lies beyond the data, "more than `high_more_than` days" (a band edge, or
    the estimate or `low` where that edge would be below them: see `beyond`).
    """

    value: float | None
    low: float | None
    high: float | None
    n: int  # answers in this estimate (those with days; all answers for a share of answers)
    high_more_than: int | None = None
    withheld: str | None = None  # None when shown; FEW_ANSWERS, TOO_UNCERTAIN or EXTREME


FEW_ANSWERS = "few_answers"  # fewer answers with days than STATS_MIN_CELL
TOO_UNCERTAIN = "too_uncertain"  # a share whose interval is too wide to say anything
# A percentile among fewer than STATS_MIN_CELL longest or shortest answers (`inner`): its
# value would be one of a few people's own answers (release format 4 on).
EXTREME = "extreme"


@dataclass(frozen=True)
class Intervals:
    """Every estimate of one group with its 95% interval and n (see `methods`)."""

    p25: Estimate  # days
    median: Estimate  # days
    p75: Estimate  # days
    p90: Estimate  # days
    share_over_standard: Estimate  # Kaplan-Meier share of waits longer than the standard
    gave_up_by_standard: Estimate  # cumulative incidence of giving up within the standard
    never_offered_by_standard: Estimate  # the same for "never offered an appointment"

    PERCENTILES = ("p25", "median", "p75", "p90")
    SHARES = ("share_over_standard", "gave_up_by_standard", "never_offered_by_standard")
    NAMES = (*PERCENTILES, *SHARES)


@dataclass(frozen=True)
class Interval:
    """An estimate with its 95% interval and the number of answers it rests on."""

    value: float | None
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class DaysInterval:
    """A percentile in days with its 95% interval; `high` None means not reached."""

    value: int | None
    low: int | None
    high: int | None
    more_than: int | None  # when `high` (or the value) is not reached: the longest observed wait
    n: int


def _log_log_bounds(estimate: float, standard_error_of_log: float) -> tuple[float, float]:
    """Bounds for a probability whose log has the given standard error, on the log(-log) scale.

    `standard_error_of_log` is sqrt(Greenwood's sum), the standard error of log S.
    """
    if estimate >= 1.0:
        return 1.0, 1.0  # nothing has happened yet: no spread to speak of (lifelines: 1, 1)
    if estimate <= 0.0:
        return 0.0, 0.0
    log_s = log(estimate)
    theta = log(-log_s)
    spread = Z95 * standard_error_of_log / abs(log_s)
    return exp(-exp(theta + spread)), exp(-exp(theta - spread))


def survival_bands(curve: Curve) -> list[tuple[int, float, float]]:
    """(days, low, high) just after each observed time: the pointwise 95% band of S."""
    greenwood = 0.0
    bands: list[tuple[int, float, float]] = []
    for step in curve.steps:
        if step.events and step.at_risk > step.events:
            greenwood += step.events / (step.at_risk * (step.at_risk - step.events))
        low, high = _log_log_bounds(step.survival, sqrt(greenwood))
        bands.append((step.days, low, high))
    return bands


Bands = list[tuple[int, float, float]]


def survival_interval(curve: Curve, days: int, bands: Bands | None = None) -> Interval:
    """S(days) with its interval: for a standard, the share who waited longer than it.

    `bands`: `survival_bands(curve)` when the caller has it already.
    """
    value = curve.survival_at(days)
    if value is None:
        return Interval(None, None, None, curve.n)
    if value >= 1.0 or value <= 0.0:
        return _at_the_edge(value, _known_at(curve, days), curve.n)
    low = high = 1.0
    for step_days, step_low, step_high in survival_bands(curve) if bands is None else bands:
        if step_days > days:
            break
        low, high = step_low, step_high
    return Interval(value, low, high, curve.n)


def exact_edge(known: int) -> float:
    """The Clopper-Pearson 95% bound for "all of `known`" (its lower bound): 0.025 ** (1/n).

    "None of `known`" has 1 minus it as its upper bound. Zero answers known: no bound (0).
    """
    return 0.025 ** (1 / known) if known else 0.0


def _at_the_edge(value: float, known: int, n: int) -> Interval:
    """An estimate of exactly 1 or 0 with its exact binomial interval (see the module note)."""
    bound = exact_edge(known)
    if value >= 1.0:
        return Interval(value, bound, 1.0, n)
    return Interval(value, 0.0, 1.0 - bound if known else 1.0, n)


def _known_at(curve: Curve, days: int) -> int:
    """Answers whose outcome at `days` is known: all answers less those censored before it."""
    return curve.n - sum(step.censored for step in curve.steps if step.days < days)


def percentile_interval(curve: Curve, p: float, bands: Bands | None = None) -> DaysInterval:
    """The p-th percentile of the wait with its 95% interval, from the inverted band."""
    estimate = curve.percentile(p)
    level = 1 - p
    low = high = None
    for days, band_low, band_high in survival_bands(curve) if bands is None else bands:
        if low is None and band_low <= level:
            low = days
        if high is None and band_high <= level:
            high = days
            break
    reached_all = estimate.days is not None and high is not None
    more_than = None if reached_all else curve.last_observed
    return DaysInterval(estimate.days, low, high, more_than, curve.n)


@dataclass(frozen=True)
class IncidenceStep:
    days: int
    incidence: float  # estimated share who gave up within `days`
    low: float
    high: float


STOPPED: tuple[WaitState, ...] = (WaitState.GAVE_UP, WaitState.NEVER_OFFERED)


def incidence(histogram: Histogram, cause: WaitState, until: int | None = None
              ) -> tuple[IncidenceStep, ...]:
    """Cumulative incidence of one way of stopping (`STOPPED`) over time, the others competing.

    Answers: ENDED (got the appointment), GAVE_UP and NEVER_OFFERED with days are the three
    ends, `cause` the one of interest; WAITING is censored, and so is any answer of exactly
    730 days ("730 days or more"). Answers without days have no place in time and are left out
    (reported as counts). `until`: stop after that many days (a release needs one time only).
    """
    if cause not in STOPPED:
        raise ValueError(f"cause must be one of {[c.value for c in STOPPED]}: {cause!r}")
    ends: dict[int, int] = {}  # all three ends together
    of_interest: dict[int, int] = {}
    censored: dict[int, int] = {}
    for (days, state), count in normalise(histogram).items():
        if days is None:
            continue
        if state is WaitState.WAITING or at_the_cap(days):
            censored[days] = censored.get(days, 0) + count
            continue
        ends[days] = ends.get(days, 0) + count
        if state is cause:
            of_interest[days] = of_interest.get(days, 0) + count
    at_risk = sum(ends.values()) + sum(censored.values())
    survival = 1.0  # all-cause: still waiting, no end reached yet
    cumulative = 0.0
    rows: list[tuple[int, int, int, int, float, float]] = []  # t, n, d_all, d_k, S(t-), F(t)
    for days in sorted(ends.keys() | censored.keys()):
        if until is not None and days > until:
            break
        d_k = of_interest.get(days, 0)
        d_all = ends.get(days, 0)
        lagged = survival
        cumulative += lagged * d_k / at_risk
        survival *= 1 - d_all / at_risk
        rows.append((days, at_risk, d_all, d_k, lagged, cumulative))
        at_risk -= d_all + censored.get(days, 0)
    return tuple(_with_bounds(rows))


def _with_bounds(
    rows: list[tuple[int, int, int, int, float, float]],
) -> list[IncidenceStep]:
    """Collett's variance of the cumulative incidence at each time, and log(-log) bounds.

    Var F(t) = sum_i (F(t) - F_i)^2 a_i + sum_i b_i - 2 sum_i (F(t) - F_i) c_i over times up
    to t, with a_i = d/(n(n-d)), b_i = S_{i-1}^2 d_k (n - d_k)/n^3, c_i = S_{i-1} d_k/n^2.
    Expanding the squares keeps running sums, so a curve costs one pass, not one per time.
    """
    sum_a = sum_af = sum_aff = sum_b = sum_c = sum_cf = 0.0
    steps: list[IncidenceStep] = []
    for days, n, d_all, d_k, lagged, f_t in rows:
        a = d_all / (n * (n - d_all)) if n > d_all else 0.0
        c = lagged * d_k / n**2
        sum_a += a
        sum_af += a * f_t
        sum_aff += a * f_t * f_t
        sum_b += lagged * lagged * d_k * (n - d_k) / n**3
        sum_c += c
        sum_cf += c * f_t
        variance = (f_t * f_t * sum_a - 2 * f_t * sum_af + sum_aff) + sum_b - 2 * (
            f_t * sum_c - sum_cf
        )
        low, high = _incidence_bounds(f_t, max(variance, 0.0))
        steps.append(IncidenceStep(days, f_t, low, high))
    return steps


def _incidence_bounds(incidence: float, variance: float) -> tuple[float, float]:
    if incidence <= 0.0:
        return 0.0, 0.0
    if incidence >= 1.0:
        return 1.0, 1.0
    log_f = log(incidence)
    spread = Z95 * sqrt(variance) / (incidence * abs(log_f))
    theta = log(-log_f)
    return exp(-exp(theta + spread)), exp(-exp(theta - spread))


def incidence_at(steps: tuple[IncidenceStep, ...], days: int, n: int) -> Interval:
    """The share who gave up within `days`, with its interval (0 before anyone did)."""
    current = Interval(0.0, 0.0, 0.0, n)
    for step in steps:
        if step.days > days:
            break
        current = Interval(step.incidence, step.low, step.high, n)
    return current


def incidence_by(histogram: Histogram, cause: WaitState, days: int, curve: Curve) -> Interval:
    """The share who stopped in this way within `days`, with its interval; n answers with days.

    Not estimable (value None) past the longest observed time while some waits were still
    going on, as for the survival: nobody was followed that long, so the data cannot say.
    """
    n = curve.n
    if not curve.steps or (days > curve.steps[-1].days and not _all_ended(histogram)):
        return Interval(None, None, None, n)
    found = incidence_at(incidence(histogram, cause, until=days), days, n)
    if found.value is not None and (found.value <= 0.0 or found.value >= 1.0):
        still_waiting_before = sum(
            count for (answer, state), count in normalise(histogram).items()
            if answer is not None and answer < days
            and (state is WaitState.WAITING or at_the_cap(answer)))
        return _at_the_edge(found.value, n - still_waiting_before, n)
    return found


def _all_ended(histogram: Histogram) -> bool:
    """True when every answer with days reached an end (none still waiting, none at 730)."""
    return all(days is None or (state is not WaitState.WAITING and not at_the_cap(days))
               for days, state in normalise(histogram))


def intervals_of(histogram: Histogram, curve: Curve, standard_days: int) -> Intervals:
    """Every estimate of one group with its raw 95% interval and n (nothing withheld yet)."""
    bands = survival_bands(curve)
    p25, median, p75, p90 = (_days_estimate(percentile_interval(curve, p, bands))
                             for p in (0.25, 0.5, 0.75, 0.9))
    return Intervals(
        p25, median, p75, p90,
        share_over_standard=_share_estimate(survival_interval(curve, standard_days, bands)),
        gave_up_by_standard=_share_estimate(
            incidence_by(histogram, WaitState.GAVE_UP, standard_days, curve)),
        never_offered_by_standard=_share_estimate(
            incidence_by(histogram, WaitState.NEVER_OFFERED, standard_days, curve)),
    )


def _days_estimate(found: DaysInterval) -> Estimate:
    beyond = found.more_than if found.high is None else None
    return Estimate(found.value, found.low, found.high, found.n, beyond)


def _share_estimate(found: Interval) -> Estimate:
    if found.value is None:
        return Estimate(None, None, None, found.n)
    return Estimate(found.value, found.low, found.high, found.n)


# The rule for shares, after the US National Center for Health Statistics' data presentation
# standards for proportions (Parker et al., Vital Health Stat 2(175), 2017): a share is not
# shown when its 95% interval is 0.30 wide or more, or when it is more than 0.05 wide and
# wider than 130% of the share: such a figure would say little more than its interval does.
# (NCHS only flags for review a share whose complement fails the relative test; we do not
# withhold it either.) Percentiles keep their interval whatever its width (days are not
# bounded as shares are; the interval itself says how uncertain they are).
MAX_WIDTH = 0.30
SMALL_WIDTH = 0.05
MAX_RELATIVE_WIDTH = 1.30


def too_uncertain(estimate: Estimate) -> bool:
    """True for a share whose interval is too wide to publish the share as a number."""
    if estimate.value is None or estimate.low is None or estimate.high is None:
        return False
    width = estimate.high - estimate.low
    if width >= MAX_WIDTH:
        return True
    return width > SMALL_WIDTH and (estimate.value <= 0
                                    or width / estimate.value > MAX_RELATIVE_WIDTH)


def beyond(estimate: Estimate, more_than: int) -> int:
    """N for an upper end published as "more than N days": `more_than`, or the estimate or
    the low end where `more_than` is below them.

    `more_than` is a band edge at or below the true upper end (`inner.edge_below`), which
    keeps a few people's own answers out of the interval, but the edge below an upper end
    can lie below the estimate: "122 days (95% CI 122 to more than 91)" reads backwards, as
    if the interval ran down. The true upper end lies above the estimate and the low end (an
    upper end moved for the extremes rule is beyond answers the estimate has at or above it;
    one beyond the data is past the longest wait, and so past both), so "more than" either
    of them is as true, and they are published anyway: it gives away no one's answer.
    """
    return max((more_than, *(int(end) for end in (estimate.value, estimate.low)
                             if end is not None)))


def ordered(estimate: Estimate) -> bool:
    """True when the interval reads forwards: low <= value <= high, or <= "more than" N."""
    ends = [end for end in (estimate.low, estimate.value, estimate.high) if end is not None]
    if estimate.high is None and estimate.high_more_than is not None:
        ends.append(estimate.high_more_than)
    return all(below <= above for below, above in pairwise(ends))


def withhold(intervals: Intervals, min_cell: int, round_beyond: Callable[[int], int]
             ) -> Intervals:
    """The intervals as published: thin or too uncertain estimates withheld, extremes rounded.

    An estimate resting on fewer than `min_cell` answers with days is withheld (FEW_ANSWERS),
    as is a share `too_uncertain` (TOO_UNCERTAIN). "More than N days" is rounded by
    `round_beyond` (to a band edge), so that N is no one's own answer, and never below the
    estimate or the low end (`beyond`).
    """
    def days(estimate: Estimate) -> Estimate:
        if estimate.n < min_cell:
            return Estimate(None, None, None, estimate.n, None, FEW_ANSWERS)
        if estimate.high_more_than is not None:
            return replace(estimate, high_more_than=beyond(
                estimate, round_beyond(estimate.high_more_than)))
        return estimate

    def share(estimate: Estimate) -> Estimate:
        if estimate.n < min_cell:
            return Estimate(None, None, None, estimate.n, None, FEW_ANSWERS)
        if too_uncertain(estimate):
            return Estimate(None, None, None, estimate.n, None, TOO_UNCERTAIN)
        return estimate

    return Intervals(
        *(days(getattr(intervals, name)) for name in Intervals.PERCENTILES),
        *(share(getattr(intervals, name)) for name in Intervals.SHARES),
    )
