"""Small numbers inside a shown group (audit finding 5), applied to its figures (pure).

- "more than N days" said N was the longest wait one person reported: N is now the band edge
  at or below it (0, 14, 28, 61, 91 or 183 days), still true and no one's answer.
- A percentile or a share over the standard resting on fewer than `min_cell` answers with
  days (a shown group can have many answers without days) is not shown as a number.
- Their 95% intervals follow the same rule, and a share whose interval is too wide to say
  anything (`intervals.too_uncertain`) is withheld with its interval (`intervals.withhold`).
- The count of answers exactly on the standard is a count like a band cell: 1 to
  `min_cell` - 1 of them is not shown (None).
"""

from __future__ import annotations

from dataclasses import replace

from testimonials.stats.bands import BANDS
from testimonials.stats.intervals import withhold
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.summary import Summary

EDGES: tuple[int, ...] = (0, *(band.high for band in BANDS if band.high is not None))


def edge_below(days: int) -> int:
    """The largest band edge at or below `days`."""
    return max(edge for edge in EDGES if edge <= days)


def protect_figures(summary: Summary, min_cell: int) -> Summary:
    """The summary with extremes rounded to band edges and thin estimates withheld."""
    thin = summary.n_in_estimate < min_cell

    def safe(percentile: Percentile) -> Percentile:
        if thin:
            return Percentile(percentile.p, None, None)
        if percentile.more_than is not None:
            return Percentile(percentile.p, percentile.days, edge_below(percentile.more_than))
        return percentile

    intervals = (None if summary.intervals is None
                 else withhold(summary.intervals, min_cell, edge_below))
    share = summary.share_over_standard
    if thin or (intervals is not None and intervals.share_over_standard.value is None):
        share = None
    return replace(summary, p25=safe(summary.p25), median=safe(summary.median),
                   p75=safe(summary.p75), p90=safe(summary.p90),
                   share_over_standard=share, intervals=intervals,
                   n_at_standard=_small_count(summary.n_at_standard, min_cell))


def _small_count(count: int | None, min_cell: int) -> int | None:
    return None if count is not None and 0 < count < min_cell else count
