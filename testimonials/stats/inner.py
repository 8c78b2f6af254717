"""Small numbers inside a shown group (audit finding 5), applied to its figures (pure).

The rule of counts holds inside a group as well: no number published inside it stands for 1
to `min_cell` - 1 people, or for one person's own answer.

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
  and no one's answer (`protect_extremes`).
- A percentile or a share over the standard resting on fewer than `min_cell` answers with
  days (a shown group can have many answers without days) is not shown as a number.
- Their 95% intervals follow the same rule, and a share whose interval is too wide to say
  anything (`intervals.too_uncertain`) is withheld with its interval (`intervals.withhold`).
- How the waits stood (release format 5 on): the counts of waits that ended, people still
  waiting, who gave up and who were never offered an appointment add up to the group's count,
  so they follow the band cells' rule on that sum (`protect_states`): one of 1 to
  `min_cell` - 1 is withheld with as many others as it takes that the withheld ones are two
  or more adding up to `min_cell` or more. A withheld state takes with it its share of all
  answers (share x count would give it back), its count without days (a part of it) and
  its column of band cells (their sum would give it back), and a withheld "gave up" or
  "never offered" its cumulative incidence by the standard with its interval (few_answers):
  with nobody still waiting before the standard, that is the count by then over the answers
  with days, both known. The answers without a number of days, together, stay known: they
  are the count less the answers the estimates rest on, both of which are published (see
  the methods note).
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

from testimonials.stats.bands import BANDS, BandCount
from testimonials.stats.histogram import Histogram, normalise
from testimonials.stats.intervals import EXTREME, FEW_ANSWERS, Estimate, Intervals, withhold
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.summary import PERCENTILES, Summary

EDGES: tuple[int, ...] = (0, *(band.high for band in BANDS if band.high is not None))


def edge_below(days: int) -> int:
    """The largest band edge at or below `days`."""
    return max(edge for edge in EDGES if edge <= days)


def protect_figures(summary: Summary, min_cell: int,
                    histogram: Histogram | None = None,
                    states: frozenset[str] = frozenset()) -> Summary:
    """The summary with small cells and extremes withheld and thin estimates withheld.

    `histogram`: the answers the summary was made from, to tell a percentile that lies among
    the few longest or shortest answers (None: that check is not made). `states`: state
    counts to withhold whatever their size (`across.withheld_states`).
    """
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
    over = summary.n_over_standard
    if over is not None and (_small_count(over, min_cell) is None or _small_count(
            summary.n_in_estimate - over, min_cell) is None):
        # 1 to min_cell - 1 answers known to be over the standard, or not over it: the count
        # is not shown, nor the share, which would give it away (share x answers).
        over = None
        if intervals is not None and intervals.share_over_standard.withheld is None:
            intervals = replace(intervals, share_over_standard=Estimate(
                None, None, None, intervals.share_over_standard.n, None, EXTREME))
    share = summary.share_over_standard
    if thin or over is None or (intervals is not None
                                and intervals.share_over_standard.value is None):
        share = None
    states_shown = protect_states(summary, min_cell, states)
    summary = replace(summary, **{name: states_shown.get(name, getattr(summary, name))
                                  for name in (*STATES, *_WITHOUT_DAYS.values())})
    if intervals is not None:
        intervals = _withhold_incidences(intervals, states_shown)
    return replace(summary, p25=safe(summary.p25), median=safe(summary.median),
                   p75=safe(summary.p75), p90=safe(summary.p90),
                   share_over_standard=share, intervals=intervals, n_over_standard=over,
                   bands=protect_bands(summary.bands, min_cell, summary.n_in_estimate,
                                       _withheld_columns(states_shown)),
                   n_at_standard=_small_count(summary.n_at_standard, min_cell))


# The counts of how a wait stood, in the order of a band's cells (ended, waiting, gave up,
# never offered), and each one's count without days (None: it has none of its own).
STATES = ("n_ended", "n_waiting", "n_gave_up", "n_never_offered")
_WITHOUT_DAYS = {"n_gave_up": "n_gave_up_without_days",
                 "n_never_offered": "n_never_offered_without_days"}


def protect_states(summary: Summary, min_cell: int,
                   forced: frozenset[str] = frozenset()) -> dict[str, int | None]:
    """The state counts (and counts without days) to publish: withheld ones are None.

    The four states add up to the group's count, which is published: a count of 1 to
    `min_cell` - 1 is withheld (and those in `forced`: withheld across groups), and then the
    smallest others until the withheld ones are two or more adding up to `min_cell` or more
    (as band cells and hidden groups are).
    """
    values = [getattr(summary, name) for name in STATES]
    if any(value is None for value in values):
        return {}  # withheld already (a stored release, read back)
    withheld = {index for index, value in enumerate(values)
                if 0 < value < min_cell or (value and STATES[index] in forced)}
    _complete(values, withheld, min_cell)
    found: dict[str, int | None] = {}
    for index, name in enumerate(STATES):
        if index in withheld:
            found[name] = None
            if name in _WITHOUT_DAYS:
                found[_WITHOUT_DAYS[name]] = None
    # The answers without days add up to the count less those with days (both published):
    # a small one of the two is withheld with the other, where the other is not already
    # known to be nought (then it is that difference, and withholding it would hide nothing).
    without = [getattr(summary, name) for name in _WITHOUT_DAYS.values()]
    small = {index for index, value in enumerate(without) if 0 < value < min_cell}
    if small and all(without):
        found.update(dict.fromkeys(_WITHOUT_DAYS.values()))
    return found


# Each way of stopping whose cumulative incidence is estimated, and the count it is one of.
_INCIDENCES = {"gave_up_by_standard": "n_gave_up",
               "never_offered_by_standard": "n_never_offered"}


def _withhold_incidences(intervals: Intervals, states: dict[str, int | None]) -> Intervals:
    """The cumulative incidence (and its interval) of a way of stopping whose count is
    withheld, withheld too, as few_answers whatever it was (shown, too uncertain or not
    estimable): with nobody still waiting before the standard it is (those who stopped so by
    then) / (answers with days), which would give the count, or a part of it, back."""
    return replace(intervals, **{
        name: Estimate(None, None, None, getattr(intervals, name).n, None, FEW_ANSWERS)
        for name, count in _INCIDENCES.items()
        if count in states and states[count] is None})


def _withheld_columns(states: dict[str, int | None]) -> frozenset[int]:
    return frozenset(index for index, name in enumerate(STATES)
                     if name in states and states[name] is None)


def _small_count(count: int | None, min_cell: int) -> int | None:
    return None if count is not None and 0 < count < min_cell else count


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

    def estimate(found: Estimate, p: float) -> Estimate:
        if found.withheld is not None or found.value is None:
            return found
        if extreme(found.value, p):
            return Estimate(None, None, None, found.n, None, EXTREME)
        if found.low is not None and sides.at_most(int(found.low)) < min_cell:
            found = replace(found, low=edge_below(int(found.low)))
        if found.high is not None and sides.at_least(int(found.high)) < min_cell:
            found = replace(found, high=None, high_more_than=edge_below(int(found.high)))
        return found

    intervals = summary.intervals
    if intervals is not None:
        intervals = replace(intervals, **{name: estimate(getattr(intervals, name), p)
                                          for name, p in zip(Intervals.PERCENTILES,
                                                             PERCENTILES, strict=True)})
    return replace(summary, p25=percentile(summary.p25), median=percentile(summary.median),
                   p75=percentile(summary.p75), p90=percentile(summary.p90),
                   intervals=intervals)


def protect_bands(bands: Sequence[BandCount], min_cell: int, with_days: int,
                  columns: frozenset[int] = frozenset()) -> tuple[BandCount, ...]:
    """The bands with small cells withheld, and enough others that none can be worked out.

    A reader knows that the band totals add up to the answers with days, that each state's
    cells add up to that state's answers with days (both published), and that each band's
    cells add up to its total. In each of those sums, the withheld cells are withheld two or
    more at a time and add up to `min_cell` or more (else the smallest other cell goes too),
    as hidden groups are; zeros are shown. Fewer than `min_cell` answers with days: no band.
    `columns`: the states whose count is withheld (`protect_states`): every non-zero cell of
    theirs is withheld too, since their sum would give the count back.
    """
    cells = [list(cell.cells) for cell in bands]
    if any(value is None for row in cells for value in row):
        return tuple(bands)  # withheld already (a stored release, read back)
    values = [[value or 0 for value in row] for row in cells]
    totals = [sum(row) for row in values]
    if with_days < min_cell:
        hidden_rows = {index for index, total in enumerate(totals) if total}
    else:
        hidden_rows = {index for index, total in enumerate(totals) if 0 < total < min_cell}
        _complete(totals, hidden_rows, min_cell)
    hidden = {(row, column) for row in range(len(values)) for column in range(4)
              if row in hidden_rows or 0 < values[row][column] < min_cell
              or (column in columns and values[row][column])}
    changed = True
    while changed:
        changed = False
        lines = [[(row, column) for column in range(4)] for row in range(len(values))
                 if row not in hidden_rows]
        lines += [[(row, column) for row in range(len(values))] for column in range(4)]
        for line in lines:
            line_values = [values[row][column] for row, column in line]
            withheld = {index for index, place in enumerate(line) if place in hidden}
            before = len(withheld)
            _complete(line_values, withheld, min_cell)
            if len(withheld) > before:
                hidden.update(line[index] for index in withheld)
                changed = True
    return tuple(
        _shown(cell, [None if (row, column) in hidden else values[row][column]
                      for column in range(4)], None if row in hidden_rows else totals[row])
        for row, cell in enumerate(bands))


def _shown(cell: BandCount, shown: Sequence[int | None], total: int | None) -> BandCount:
    return BandCount(cell.band, shown[0], shown[1], shown[2], shown[3], shown_total=total)


def _complete(values: Sequence[int], withheld: set[int], min_cell: int) -> None:
    """Withhold more of `values` (a sum the reader knows) until the withheld ones are none,
    all zeros, or two or more adding up to `min_cell` or more: the smallest non-zero first."""
    while withheld and 0 < (total := sum(values[index] for index in withheld)) and (
            len(withheld) == 1 or total < min_cell):
        others = sorted((value, index) for index, value in enumerate(values)
                        if index not in withheld and value)
        if not others:
            return  # nothing left to withhold: the sum itself is what is withheld
        withheld.add(others[0][1])
