"""The 95% intervals of a release's figures, as the release page shows them: one seam.

The intervals themselves are computed when a release is cut (`intervals`, stream s14); here
they are only read off a group's `Summary`. Until a release carries them, every function
returns None and the pages show the estimate alone, so nothing else needs to know whether a
release has intervals. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from testimonials.stats.summary import Summary


@dataclass(frozen=True)
class Range:
    """A 95% interval; `high` None means its upper end was not reached ("more than")."""

    low: float
    high: float | None


def _interval(figures: Summary | None, name: str) -> Any:
    intervals = getattr(figures, "intervals", None)
    return getattr(intervals, name, None) if intervals is not None else None


def share_over_standard(figures: Summary | None) -> Range | None:
    """The interval of the estimated share of waits longer than the standard (0 to 1)."""
    found = _interval(figures, "share_over_standard")
    if found is None or found.low is None or found.high is None:
        return None
    return Range(float(found.low), float(found.high))


def median(figures: Summary | None) -> Range | None:
    """The interval of the median wait in days (its upper end may not be reached)."""
    found = _interval(figures, "median")
    if found is None or found.low is None:
        return None
    return Range(float(found.low), None if found.high is None else float(found.high))
