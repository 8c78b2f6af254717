"""Small numbers inside a shown group (audit finding 5), applied to its figures (pure).

The rule of counts holds inside a group as well: no number published inside it stands for 1
to `min_cell` - 1 people (the answers without days together excepted, below), or for one
person's own answer, and none can be worked out from the others.

- Band cells: a band's total, or one of its cells (ended, still waiting, gave up, never
  offered), of 1 to `min_cell` - 1 answers is withheld (None), and so are as many more as it
  takes that no withheld cell can be worked out from the sums a reader knows (`protect_bands`).
  When fewer than `min_cell` answers give a number of days, no band is shown.
- "More than N days" said N was the longest wait one person reported: N is now the band edge
  at or below it (0, 14, 28, 61, 91 or 183 days), still true and no one's answer.
- A percentile is an answer's number of days. The 75th and 90th are not shown when fewer
  than `min_cell` answers lie at or above them (the 90th percentile of 15 answers is one of
  the two longest), nor the 25th when fewer than `min_cell` lie at or below it ("extreme").
  An interval's end among so few answers is moved out to a band edge: the interval is wider,
  and no one's answer (`protect_extremes`). An upper end so moved reads "more than" the
  edge, or "more than" the estimate (or the low end) where the edge is below it, so that no
  interval reads backwards ("122 to more than 91"; `intervals.beyond`). A low end is moved
  when it lies among the few shortest or the few longest answers: the latter happens to a
  percentile not reached, whose interval the CSV and the API publish without a value.
- A percentile or a share over the standard resting on fewer than `min_cell` answers with
  days (a shown group can have many answers without days) is not shown as a number.
- Their 95% intervals follow the same rule, and a share whose interval is too wide to say
  anything (`intervals.too_uncertain`) is withheld with its interval (`intervals.withhold`).
- How the waits stood (release format 5 on): the counts of waits that ended, people still
  waiting, who gave up and who were never offered an appointment add up to the group's count,
  so they follow the band cells' rule on that sum: one of 1 to `min_cell` - 1 is withheld
  with as many others as it takes that the withheld ones are two or more adding up to
  `min_cell` or more. A withheld state takes with it its share of all answers (share x count
  would give it back), its count without days (a part of it) and its column of band cells
  (their sum would give it back). The whole table (`group_table`) is then solved as a reader
  would: where a withheld count of 1 to `min_cell` - 1 is still pinned down (a withheld
  "gave up" whose band cells are all 0 is the answers without days less the "never offered"
  ones; on a standard that is a band's edge, the count over it is the answers with days less
  that band), the counts over and at the standard are withheld too, and if that is not
  enough the group shows its count only (`protect_figures` gives None).
- The answers without a number of days, together, stay known: they are the count less the
  answers the estimates rest on, both of which are published (see the methods note); no
  withheld count may follow from them (the check above).
- The counts inside a group are protected across groups as well (`across`): the same
  counts of a parent are the sums of its children's, so what a group withholds is not its
  parent's less its siblings'. Those withheld so come in `states` (`group_table.NAMES`).
- Estimates by the standard that rest on a withheld count are withheld with it
  (`_withhold_resting`): the share over the standard where an ended cell or a total of a
  band that starts by the standard is withheld (with the count over the standard it gives
  who stopped before the first wait ended: 123 - 100 / 0.8333 = 3), the cumulative
  incidences where any cell of those bands is, or their own count.
- The count of answers exactly on the standard is a count like a band cell: 1 to
  `min_cell` - 1 of them is not shown (None). So is the count of answers known to be over
  the standard when it, or the rest of the answers with days, is 1 to `min_cell` - 1, and
  the share over the standard with it ("extreme": it would give the count away).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate
from typing import Any

from testimonials.stats.bands import BANDS, BandCount
from testimonials.stats.group_table import (
    ALL_WITHOUT_DAYS,
    AT,
    OVER,
    STATES,
    WITHOUT_DAYS,
    band_withheld,
    cell,
    total,
    withheld_cells,
)
from testimonials.stats.histogram import Histogram, normalise
from testimonials.stats.intervals import (
    EXTREME,
    FEW_ANSWERS,
    Estimate,
    Intervals,
    beyond,
    withhold,
)
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.summary import PERCENTILES, Summary

EDGES: tuple[int, ...] = (0, *(band.high for band in BANDS if band.high is not None))


def edge_below(days: int) -> int:
    """The largest band edge at or below `days`."""
    return max(edge for edge in EDGES if edge <= days)


def protect_figures(summary: Summary, min_cell: int,
                    histogram: Histogram | None = None,
                    states: frozenset[str] = frozenset()) -> Summary | None:
    """The summary with small cells and extremes withheld and thin estimates withheld; None
    when its figures cannot be shown without giving a withheld count back (`group_table`).

    `histogram`: the answers the summary was made from, to tell a percentile that lies among
    the few longest or shortest answers (None: that check is not made). `states`: counts
    to withhold whatever their size (`across.withheld_states`; names of `group_table.NAMES`).
    """
    values = _table(summary)
    withheld = frozenset() if values is None else withheld_cells(
        values, min_cell, states, summary.standard_days)
    if withheld is None:
        return None
    thin = summary.n_in_estimate < min_cell
    if histogram is not None and not thin:
        summary = protect_extremes(summary, histogram, min_cell)

    def safe(percentile: Percentile) -> Percentile:
        if thin:
            return Percentile(percentile.p, None, None)
        if percentile.more_than is not None:
            return Percentile(percentile.p, percentile.days, edge_below(percentile.more_than))
        return percentile

    intervals = (None if summary.intervals is None
                 else withhold(summary.intervals, min_cell, edge_below))
    over = None if OVER in withheld else summary.n_over_standard
    if over is None and intervals is not None \
            and intervals.share_over_standard.withheld is None:
        # 1 to min_cell - 1 answers known to be over the standard, or not over it (or a count
        # withheld across groups): the count is not shown, nor the share, which would give
        # it away (share x answers).
        intervals = replace(intervals, share_over_standard=Estimate(
            None, None, None, intervals.share_over_standard.n, None, EXTREME))
    if intervals is not None:
        intervals = _withhold_resting(intervals, withheld, summary.standard_days)
    share = summary.share_over_standard
    if thin or over is None or (intervals is not None
                                and intervals.share_over_standard.value is None):
        share = None
    shown: dict[str, Any] = {name: None if name in withheld else getattr(summary, name)
                             for name in (*STATES, *WITHOUT_DAYS.values())}
    summary = replace(summary, **shown)
    return replace(summary, p25=safe(summary.p25), median=safe(summary.median),
                   p75=safe(summary.p75), p90=safe(summary.p90),
                   share_over_standard=share, intervals=intervals, n_over_standard=over,
                   bands=_shown_bands(summary.bands, withheld),
                   n_at_standard=None if AT in withheld else summary.n_at_standard)


def _table(summary: Summary) -> dict[str, int] | None:
    """The group's counts by `group_table.NAMES`; None for figures withheld already (a
    stored release, read back)."""
    parts = [getattr(summary, name) for name in (*STATES, *WITHOUT_DAYS.values())]
    cells = [value for band in summary.bands for value in band.cells]
    if None in parts or None in cells or summary.n_over_standard is None \
            or summary.n_at_standard is None:
        return None
    found: dict[str, int] = dict(zip((*STATES, *WITHOUT_DAYS.values()), parts, strict=True))
    found[ALL_WITHOUT_DAYS] = summary.count - summary.n_in_estimate
    for row, band in enumerate(summary.bands):
        for column, value in enumerate(band.cells):
            found[cell(row, column)] = value or 0
        found[total(row)] = band.total or 0
    found[OVER], found[AT] = summary.n_over_standard, summary.n_at_standard
    return found


def _shown_bands(bands: Sequence[BandCount], withheld: frozenset[str]
                 ) -> tuple[BandCount, ...]:
    return tuple(_shown(band, [None if cell(row, column) in withheld else band.cells[column]
                               for column in range(4)],
                        None if total(row) in withheld else band.total)
                 for row, band in enumerate(bands))


# Each way of stopping whose cumulative incidence is estimated, and the count it is one of.
_INCIDENCES = {"gave_up_by_standard": "n_gave_up",
               "never_offered_by_standard": "n_never_offered"}


def _withhold_resting(intervals: Intervals, withheld: frozenset[str], standard_days: int
                      ) -> Intervals:
    """The estimates by the standard that rest on a withheld count, withheld (few_answers,
    whatever they were: shown, too uncertain or not estimable; extreme stays so).

    The share over the standard is S(standard) = prod (1 - ended / at risk) over the days up
    to it: with the count over the standard it gives the answers at risk, so those who
    stopped before the first wait ended (123 - 100 / 0.8333 = 3 who gave up, the review's
    case), and with the answers with days the waits that ended by then. It rests on the
    ended cell and the total of every band that starts by the standard, and is withheld
    where one of them is. A cumulative incidence by the standard rests on every cell of
    those bands (each way of ending competes, and its exact interval at 0 counts who was
    still waiting before the standard: 1 - 0.025 ** (1 / k) gives k), and on its own count
    (with nobody still waiting before the standard it is that count by then over the
    answers with days). Percentiles are not withheld for this: each is the first day on
    which the curve falls to its level, a day and not a count (the extremes rule keeps it
    off a few people's own answers), and their n is the answers with days, a published
    count (`group_table`).
    """
    within = [row for row, band in enumerate(BANDS) if band.low <= standard_days]
    survival = any(cell(row, 0) in withheld or total(row) in withheld for row in within)
    every = any(total(row) in withheld or any(cell(row, column) in withheld
                                              for column in range(4)) for row in within)
    names = [name for name, count in _INCIDENCES.items() if every or count in withheld]
    if survival:
        names.append("share_over_standard")
    # Whatever it was: "too uncertain" would say how wide its interval is, itself a function
    # of the counts (a share withheld as extreme keeps that reason: its count is withheld).
    return replace(intervals, **{
        name: Estimate(None, None, None, getattr(intervals, name).n, None, FEW_ANSWERS)
        for name in names if getattr(intervals, name).withheld != EXTREME})


def protect_bands(bands: Sequence[BandCount], min_cell: int, with_days: int,
                  columns: frozenset[int] = frozenset()) -> tuple[BandCount, ...]:
    """The bands with small cells withheld, and enough others that none can be worked out.

    A reader knows that the band totals add up to the answers with days, that each state's
    cells add up to that state's answers with days (both published), and that each band's
    cells add up to its total. In each of those sums, the withheld cells are withheld two or
    more at a time and add up to `min_cell` or more (else the smallest other cell goes too),
    as hidden groups are; zeros are shown. Fewer than `min_cell` answers with days: no band.
    `columns`: the states whose count is withheld: every non-zero cell of theirs is withheld
    too, since their sum would give the count back (`group_table.band_withheld`).
    """
    cells = [list(band.cells) for band in bands]
    if any(value is None for row in cells for value in row):
        return tuple(bands)  # withheld already (a stored release, read back)
    values = [[value or 0 for value in row] for row in cells]
    hidden, hidden_rows = band_withheld(values, min_cell, with_days, columns)
    return tuple(
        _shown(band, [None if (row, column) in hidden else values[row][column]
                      for column in range(4)], None if row in hidden_rows else sum(values[row]))
        for row, band in enumerate(bands))


def _shown(band: BandCount, shown: Sequence[int | None], shown_total: int | None
           ) -> BandCount:
    return BandCount(band.band, shown[0], shown[1], shown[2], shown[3], shown_total=shown_total)


class _Sides:
    """How many answers with days lie at or above, and at or below, a number of days."""

    def __init__(self, histogram: Histogram) -> None:
        by_day: dict[int, int] = {}
        for (days, _state), count in normalise(histogram).items():
            if days is not None:
                by_day[days] = by_day.get(days, 0) + count
        self.days = sorted(by_day)
        self.below = list(accumulate(by_day[day] for day in self.days))  # at or below
        self.total = self.below[-1] if self.below else 0

    def at_most(self, days: int) -> int:
        index = bisect_right(self.days, days)
        return self.below[index - 1] if index else 0

    def at_least(self, days: int) -> int:
        index = bisect_left(self.days, days)
        return self.total - (self.below[index - 1] if index else 0)


def protect_extremes(summary: Summary, histogram: Histogram, min_cell: int) -> Summary:
    """Percentiles among fewer than `min_cell` longest or shortest answers withheld, and
    interval ends among them moved out to a band edge (see the module's note)."""
    sides = _Sides(histogram)

    def extreme(days: float, p: float) -> bool:
        # The 25th percentile among the few shortest answers, the 75th and 90th among the
        # few longest (those still in the Kaplan-Meier estimate at that day: its number at
        # risk). The median is the middle of `min_cell` or more answers, no tail's.
        if p < 0.5:
            return sides.at_most(int(days)) < min_cell
        return p > 0.5 and sides.at_least(int(days)) < min_cell

    def percentile(found: Percentile) -> Percentile:
        if found.days is not None and extreme(found.days, found.p):
            return Percentile(found.p, None, None)
        return found

    def among_few(days: float) -> bool:
        return sides.at_most(int(days)) < min_cell or sides.at_least(int(days)) < min_cell

    def estimate(found: Estimate, p: float) -> Estimate:
        if found.withheld is not None:
            return found
        if found.value is not None and extreme(found.value, p):
            return Estimate(None, None, None, found.n, None, EXTREME)
        # Either tail: the low end of a percentile not reached (value None, its interval
        # published in the CSV and the API) can lie among the few longest answers.
        if found.low is not None and among_few(found.low):
            found = replace(found, low=edge_below(int(found.low)))
        if found.high is not None and sides.at_least(int(found.high)) < min_cell:
            # Never below the estimate or the low end: "122 to more than 91" (`beyond`).
            found = replace(found, high=None,
                            high_more_than=beyond(found, edge_below(int(found.high))))
        return found

    intervals = summary.intervals
    if intervals is not None:
        intervals = replace(intervals, **{name: estimate(getattr(intervals, name), p)
                                          for name, p in zip(Intervals.PERCENTILES,
                                                             PERCENTILES, strict=True)})
    return replace(summary, p25=percentile(summary.p25), median=percentile(summary.median),
                   p75=percentile(summary.p75), p90=percentile(summary.p90),
                   intervals=intervals)
