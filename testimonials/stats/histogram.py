"""Histograms of waits: the one input every statistic in this package takes.

The app keeps counts, not rows, so that /stats stays fast at a million answers: for one group
and one wait kind, a histogram maps ``(days, state)`` to the number of answers with exactly that
wait and state. ``days`` is a whole number of calendar days from 0 to ``MAX_DAYS``; it may be
None only for GAVE_UP and NEVER_OFFERED (without saying after how long).

``MAX_DAYS`` (730) means "730 days or more": the form stores longer waits as 730, so an answer
of exactly 730 days, whatever its state, is censored there ("still not over at 730 days" as far
as anyone can tell); `at_the_cap` says so, and every estimate treats it that way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from testimonials.vocab import WaitState

MAX_DAYS = 730


def at_the_cap(days: int | None) -> bool:
    """True for "730 days or more": censored at MAX_DAYS, whatever the answer's state."""
    return days == MAX_DAYS

Key: TypeAlias = tuple[int | None, WaitState]
Histogram: TypeAlias = Mapping[Key, int]


class _Clean(dict[Key, int]):
    """A histogram `normalise` already checked: checking it again would find nothing new."""


def normalise(histogram: Histogram) -> dict[Key, int]:
    """A validated copy with WaitState keys (plain strings are accepted) and no zero counts.

    Raises ValueError for days outside 0..MAX_DAYS, days missing on an ENDED or WAITING answer,
    an unknown state, or a negative or non-integer count.
    """
    if type(histogram) is _Clean:
        # Every figure of a summary normalises its input; the checks need to run only once.
        return _Clean(histogram)
    clean: dict[Key, int] = _Clean()
    for (days, raw_state), count in histogram.items():
        state = _STATES.get(raw_state) if isinstance(raw_state, str) else None
        if state is None:
            state = WaitState(raw_state)  # ValueError for an unknown state
        # The usual case first, in a few comparisons (a page checks many thousands of keys).
        if not (type(days) is int and 0 <= days <= MAX_DAYS):
            _check_days(days, state)
        if type(count) is not int or count < 0:
            raise ValueError(f"count for {(days, state)!r} must be a whole number >= 0: {count!r}")
        if count:
            clean[(days, state)] = count
    return clean


_STATES: dict[str, WaitState] = {state.value: state for state in WaitState}


def _check_days(days: int | None, state: WaitState) -> None:
    if days is None:
        if not state.days_optional:
            raise ValueError(f"a {state.value} answer needs its days")
        return
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        raise ValueError(f"days must be a whole number from 0 to {MAX_DAYS}: {days!r}")


def histogram_of(observations: Iterable[tuple[int | None, WaitState]]) -> dict[Key, int]:
    """The histogram of a list of ``(days, state)`` observations, validated like `normalise`."""
    counts: dict[Key, int] = {}
    for days, state in observations:
        key = (days, WaitState(state))
        counts[key] = counts.get(key, 0) + 1
    return normalise(counts)


def merge(*histograms: Histogram) -> dict[Key, int]:
    """The histogram of all the answers in the given histograms together (e.g. months to a year)."""
    total: dict[Key, int] = {}
    for histogram in histograms:
        for key, count in normalise(histogram).items():
            total[key] = total.get(key, 0) + count
    return total


@dataclass(frozen=True)
class Tally:
    """How many answers a histogram holds, by state."""

    ended: int
    waiting: int
    gave_up: int
    gave_up_without_days: int  # included in gave_up
    never_offered: int = 0
    never_offered_without_days: int = 0  # included in never_offered

    @property
    def total(self) -> int:
        return self.ended + self.waiting + self.gave_up + self.never_offered

    @property
    def with_days(self) -> int:
        """Answers that say how many days: the ones the Kaplan-Meier estimate uses."""
        return self.total - self.gave_up_without_days - self.never_offered_without_days


def tally(histogram: Histogram) -> Tally:
    """Counts by state; every answer in the histogram is counted exactly once."""
    by_state = dict.fromkeys(WaitState, 0)
    without_days = dict.fromkeys(WaitState, 0)
    for (days, state), count in normalise(histogram).items():
        by_state[state] += count
        if days is None:
            without_days[state] += count
    return Tally(
        ended=by_state[WaitState.ENDED],
        waiting=by_state[WaitState.WAITING],
        gave_up=by_state[WaitState.GAVE_UP],
        gave_up_without_days=without_days[WaitState.GAVE_UP],
        never_offered=by_state[WaitState.NEVER_OFFERED],
        never_offered_without_days=without_days[WaitState.NEVER_OFFERED],
    )
