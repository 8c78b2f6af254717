"""The 95% intervals of a release's figures, as the release page shows them: one seam.

The intervals themselves are computed when a release is cut (`intervals.Intervals` on
`Summary.intervals`); here they are only read off a group's summary. A release cut before
intervals existed (format 1), an interval withheld, or one stored reading backwards (cut
before `intervals.beyond`), gives None, and the pages then show the estimate alone: nothing
else needs to know whether a release has intervals. Why a figure is withheld (`withheld`) is
read here too: the release stores it with the interval. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from testimonials.stats.intervals import Estimate, ordered
from testimonials.stats.summary import Summary


@dataclass(frozen=True)
class Range:
    """A 95% interval and the answers it rests on.

    `high` None: the upper end lies beyond the data, "more than `more_than` days".
    """

    low: float
    high: float | None
    n: int
    more_than: int | None = None


def _estimate(figures: Summary | None, name: str) -> Estimate | None:
    intervals = figures.intervals if figures is not None else None
    found: Estimate | None = getattr(intervals, name) if intervals is not None else None
    if found is None or found.withheld is not None or found.value is None or found.low is None:
        return None
    # Releases cut before `intervals.beyond` may have stored an interval that reads backwards
    # ("122 to more than 91"); they keep it, but the pages show the estimate alone.
    return found if ordered(found) else None


def withheld(figures: Summary | None, name: str) -> str | None:
    """Why the release withholds one estimate ("share_over_standard", "median", ...): its
    code, `intervals.FEW_ANSWERS`, `TOO_UNCERTAIN` or `EXTREME`. None when it is shown or
    not estimable (the data do not reach it), and in a release without intervals (format 1)."""
    intervals = figures.intervals if figures is not None else None
    found: Estimate | None = getattr(intervals, name) if intervals is not None else None
    return found.withheld if found is not None else None


def share_over_standard(figures: Summary | None) -> Range | None:
    """The interval of the estimated share of waits longer than the standard (0 to 1)."""
    found = _estimate(figures, "share_over_standard")
    if found is None or found.low is None or found.high is None:
        return None
    return Range(float(found.low), float(found.high), found.n)


def median(figures: Summary | None) -> Range | None:
    """The interval of the median wait in days (its upper end may lie beyond the data)."""
    return percentile(figures, "median")


def percentile(figures: Summary | None, name: str) -> Range | None:
    """The interval of one percentile ("p25", "median", "p75", "p90") in days."""
    found = _estimate(figures, name)
    if found is None or found.low is None:
        return None
    return Range(float(found.low), None if found.high is None else float(found.high), found.n,
                 found.high_more_than)
