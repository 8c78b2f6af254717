"""The Kaplan-Meier estimate of how long a wait lasts, from a histogram.

ENDED answers are events (the wait ended after `days`). WAITING answers are right-censored at
`days` (still waiting after that long). GAVE_UP and NEVER_OFFERED answers with days are
censored at those days too: the curve answers "how long until an appointment, had nobody
stopped waiting", and `intervals` reports giving up and never being offered one beside it as
competing outcomes (cumulative incidence), so that no one's stopping reads as a shorter wait.
Answers of exactly MAX_DAYS (730, "730 days or more") are censored there whatever their state.
GAVE_UP and NEVER_OFFERED answers without days carry no time at all and are left out of the
estimate; `summary` counts and reports them separately.

Ties follow the standard convention (and lifelines'): at each distinct time t, the answers
censored at t are still at risk at t, so with d events among n at risk, S *= 1 - d/n.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from testimonials.stats.histogram import Histogram, at_the_cap, normalise
from testimonials.vocab import WaitState

# Floating-point products of up to 731 factors are off by far less than this; a survival value
# this close to a percentile's threshold is settled in exact integer arithmetic instead.
_NEAR = 1e-9


@dataclass(frozen=True)
class Step:
    """One distinct observed time of the curve, with the survival just after it."""

    days: int
    at_risk: int  # answers whose wait had lasted at least `days` and was still observed
    events: int  # waits that ended at `days`
    censored: int  # answers still waiting (or who gave up) at `days`
    survival: float  # estimated probability that a wait lasts longer than `days`


@dataclass(frozen=True)
class Percentile:
    """A Kaplan-Meier percentile of the wait, or how far the data reach when it is not reached."""

    p: float  # 0.5 for the median
    days: int | None  # the estimate; None when the curve never falls to 1 - p
    more_than: int | None  # when not reached: the longest observed wait, so "more than N days"

    @property
    def reached(self) -> bool:
        return self.days is not None


@dataclass(frozen=True)
class Curve:
    """A Kaplan-Meier survival curve: S(t), the estimated share of waits longer than t days."""

    steps: tuple[Step, ...]  # one per distinct observed time, ascending

    @property
    def n(self) -> int:
        """Answers in the estimate (all answers with days)."""
        return self.steps[0].at_risk if self.steps else 0

    @property
    def last_observed(self) -> int | None:
        """The longest observed time (event or censored), or None for an empty curve."""
        return self.steps[-1].days if self.steps else None

    def survival_at(self, days: int) -> float | None:
        """S(days); None past the longest observed time unless the curve has already hit 0.

        Past the last observation the estimate says nothing (lifelines carries the last value
        forward; we refuse rather than guess), except that once every wait has ended S stays 0.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        if not self.steps:
            return None
        if days > self.steps[-1].days:
            return 0.0 if self.steps[-1].survival == 0.0 else None
        survival = 1.0
        for step in self.steps:
            if step.days > days:
                break
            survival = step.survival
        return survival

    def percentile(self, p: float) -> Percentile:
        """The smallest observed time t with S(t) <= 1 - p (lifelines' `qth_survival_time(1 - p)`).

        The comparison is exact: values within rounding distance of 1 - p are rechecked in
        integers, so 5 events out of 10 give a median at that time, as on paper.
        """
        if not 0 < p < 1:
            raise ValueError("p must be between 0 and 1, exclusive")
        threshold = 1 - Fraction(p).limit_denominator(10**6)  # 0.9 means 9/10, not its float
        bound = float(threshold)
        for index, step in enumerate(self.steps):
            if step.survival < bound - _NEAR:
                return Percentile(p, step.days, None)
            if step.survival <= bound + _NEAR and self._exactly_at_most(index, threshold):
                return Percentile(p, step.days, None)
        return Percentile(p, None, self.last_observed)

    def _exactly_at_most(self, index: int, threshold: Fraction) -> bool:
        # S = prod (n - d) / prod n; compare cross-multiplied, without any rounding.
        numerator = denominator = 1
        for step in self.steps[: index + 1]:
            numerator *= step.at_risk - step.events
            denominator *= step.at_risk
        return numerator * threshold.denominator <= denominator * threshold.numerator


def kaplan_meier(histogram: Histogram) -> Curve:
    """The Kaplan-Meier curve of the answers with days; only ENDED before 730 days is an event."""
    events: dict[int, int] = {}
    censored: dict[int, int] = {}
    for (days, state), count in normalise(histogram).items():
        if days is None:
            continue  # GAVE_UP without a time: no place on the time axis
        target = events if state is WaitState.ENDED and not at_the_cap(days) else censored
        target[days] = target.get(days, 0) + count
    at_risk = sum(events.values()) + sum(censored.values())
    survival = 1.0
    steps: list[Step] = []
    for days in sorted(events.keys() | censored.keys()):
        died, lost = events.get(days, 0), censored.get(days, 0)
        survival *= 1 - died / at_risk
        steps.append(Step(days, at_risk, died, lost, survival))
        at_risk -= died + lost
    return Curve(tuple(steps))
