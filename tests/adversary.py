"""The hostile reader of SPEC section 5, as linear programs over what a reader can download.

He reads every filter of every release (the views the JSON and CSV carry) and knows:
- every shown count exactly, and that a hidden count is at least 1 (zeros are shown), but
  for an outcome count (hidden, whatever it is, where a few people chose statistics only);
- every partition (parent = sum of its children);
- every inequality a part never breaks: a child of a non-partition breakdown (care types,
  outcomes) is at most its parent; a wait series or an outcome in a scope is at most the
  people in that scope;
- across releases, that a cumulative count never falls: x in release t >= x in release
  t - 1; and a quarter is the sum of its months, so a quarter of a release by quarter
  (format 3) is at least the sum of its months in the release before it, by month (formats
  1 and 2). Not where people may have left in between (`left`: a patient who erases his
  story takes his answers out of the statistics, and counts fall): then he knows nothing of
  how a count moved (he cannot tell who left, nor how many joined). Told where they may
  have left and nowhere else, he keeps "never falls" across every other pair of releases
  (the strongest such reader: one who is told less knows less);
- with the published stories: each count is at least its stories, and the statistics-only
  people of a part (an outcome, a wait, a care type) are among those of its whole.
For every hidden count he solves min and max, by linear programs and then, where those leave
it narrow enough to be worth it, by integer programs (counts are whole numbers, and the integer
hull can be narrower than the linear one); a count is "narrowed" when the interval is narrower
than the protection width, "pinned" when it is one value, unless the interval spans the
label range 1 to min_cell - 1; a hidden outcome count of a shown group is "narrowed" when its
lowest value says that all of the group's few statistics-only people had that outcome.

Across releases he also subtracts: a count shown in one release and next shown in a later one
changed by the number of people who joined (or left) it in between; when that is 1 to
min_cell - 1 either way (a count that fell by a few is those few people's withdrawal), the
figures of those few people are the difference of the two releases' figures (`differences`;
a quarter against the sum of its months in an earlier release by month).
Where a group holds 1 to min_cell - 1 statistics-only people, its figures less the stories'
answers would be theirs (`statistics_only`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from testimonials.stats.page import all_filters
from testimonials.stats.releases import Release
from testimonials.stats.report import ShownGroup
from testimonials.stats.universe import OUTCOME_FAMILIES
from tests.adversary_bounds import Polytope

# A key's time part, as the documents write it (read here, not taken from the audit's code).
_MONTH = re.compile(r"month=([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"quarter=([0-9]{4})-Q([1-4])")


@dataclass
class Knowledge:
    """Variables (hidden counts, one per release and key), and what binds them."""

    shown: dict[tuple[int, str], int] = field(default_factory=dict)
    hidden: list[tuple[int, str]] = field(default_factory=list)
    equal: set[tuple[tuple[int, str], tuple[tuple[int, str], ...]]] = field(default_factory=set)
    at_most: set[tuple[tuple[int, str], tuple[int, str]]] = field(default_factory=set)  # a <= b
    # sum(parts) <= whole: a quarter and its months in the release before
    sums: set[tuple[tuple[tuple[int, str], ...], tuple[int, str]]] = field(default_factory=set)
    floor: dict[tuple[int, str], int] = field(default_factory=dict)  # published stories in it
    left: frozenset[int] = frozenset()  # releases before which people may have left (`read`)

    def known(self, cell: tuple[int, str]) -> bool:
        return cell in self.shown or cell in self._index

    @property
    def _index(self) -> dict[tuple[int, str], int]:
        return {cell: i for i, cell in enumerate(self.hidden)}


Stories = Sequence[Mapping[tuple[str, str], int]]  # per release: (family, scope) -> stories


def read(releases: Sequence[Release], stories: Stories | None = None,
         left: Container[int] = ()) -> Knowledge:
    """Everything a reader can take from every filter of these releases and, when given, from
    the stories published by each release's cut (each counted one is in the counts). `left`:
    the releases (by index) before which people may have withdrawn since the one before:
    there counts may fall."""
    knowledge = Knowledge(left=frozenset(index for index in range(len(releases))
                                         if index in left))
    hidden: dict[tuple[int, str], None] = {}
    for index, release in enumerate(releases):
        for view_filter in all_filters(release.dims):
            view = release.view(view_filter)
            tops = [view.respondents, *(series.group for series in view.series)]
            for top in tops:
                _walk(index, top, knowledge, hidden)
    knowledge.hidden = list(hidden)
    cells = set(knowledge.shown) | set(hidden)
    for index, key in cells:  # a series or an outcome never counts more than the people
        family, _, scope = key.partition("|")
        people = (index, f"respondents|{scope}")
        if family != "respondents" and "|none:" not in key and people in cells:
            knowledge.at_most.add(((index, key), people))
    for index, key in cells:  # counts never fall from one release to the next
        if index in left:
            continue  # (unless people left: then a count may be anything it fits)
        if index and (index - 1, key) in cells:
            knowledge.at_most.add(((index - 1, key), (index, key)))
        elif index:  # a quarter against its months (a month absent from a release is 0)
            parts = tuple((index - 1, part) for part in quarter_parts(key)
                          if (index - 1, part) in cells)
            if parts:
                knowledge.sums.add((parts, (index, key)))
    for index, known in enumerate(stories or ()):
        for (family, scope), count in known.items():
            knowledge.floor[(index, f"{family}|{scope}")] = count
        for parent, children in sorted(knowledge.equal):  # "not stated": parent minus the rest
            rest = [child for child in children if "|none:" in child[1]]
            if parent[0] == index and len(rest) == 1:
                knowledge.floor[rest[0]] = knowledge.floor.get(parent, 0) - sum(
                    knowledge.floor.get(child, 0) for child in children if child != rest[0])
    return knowledge


def _walk(index: int, group: ShownGroup, knowledge: Knowledge,  # type: ignore[type-arg]
          hidden: dict[tuple[int, str], None]) -> None:
    cell = (index, group.key)
    if group.suppressed:
        hidden[cell] = None
    else:
        knowledge.shown[cell] = int(group.count or 0)
    for breakdown in group.breakdowns:
        children = tuple((index, child.key) for child in breakdown.groups)
        if breakdown.partition:
            knowledge.equal.add((cell, children))
        else:
            for child in children:
                knowledge.at_most.add((child, cell))
        for child in breakdown.groups:
            _walk(index, child, knowledge, hidden)


# Seconds (wall clock, HiGHS's) one linear or integer program may take before its count is
# called undecided: generous, as the shared machine can run a program ten times slower than
# an idle one; a 200-person demo's longest takes well under a second of CPU.
TIME_LIMIT = 600.0


class Undecided(AssertionError):
    """Counts whose programs did not finish in time: the reader may narrow them, or not."""

    def __init__(self, cells: Iterable[tuple[int, str]]) -> None:
        self.cells = sorted(cells)
        super().__init__(f"{len(self.cells)} hidden counts undecided: {self.cells[:10]}")


def polytope(knowledge: Knowledge, zero: Container[tuple[int, str]] = (),
             time_limit: float = TIME_LIMIT) -> Polytope:
    """The values the hidden counts can take together: each at least its stories and 1 (0 for
    those in `zero`), at most the latest total, under every relation the reader knows."""
    hidden = set(knowledge.hidden)

    def over_hidden(terms: Iterable[tuple[tuple[int, str], float]]
                    ) -> tuple[dict[tuple[int, str], float], float]:
        row: dict[tuple[int, str], float] = {}
        constant = 0.0
        for cell, sign in terms:
            if cell in hidden:
                row[cell] = row.get(cell, 0.0) + sign
            else:
                constant += sign * knowledge.shown.get(cell, 0)
        return row, constant

    rows = []
    for parent, children in knowledge.equal:
        row, constant = over_hidden([(parent, 1), *((child, -1) for child in children)])
        rows.append((row, -constant, -constant))
    less = [([(small, 1), (big, -1)], 0.0) for small, big in knowledge.at_most]
    for small, big in _outcome_people(knowledge):  # their statistics-only people's
        gap = knowledge.floor.get(small, 0) - knowledge.floor.get(big, 0)
        if gap < 0:
            less.append(([(small, 1), (big, -1)], float(gap)))
    less += [([*((part, 1) for part in parts), (whole, -1)], 0.0)
             for parts, whole in knowledge.sums]
    for terms, offset in less:
        row, constant = over_hidden(terms)
        rows.append((row, -np.inf, offset - constant))
    lows = {cell: (knowledge.floor.get(cell, 0) if cell in zero  # may be 0
                   else max(1, knowledge.floor.get(cell, 0))) for cell in knowledge.hidden}
    return Polytope(knowledge.hidden, lows,
                    {cell: _ceiling(knowledge, cell[0]) for cell in knowledge.hidden}, rows,
                    time_limit)


def intervals(knowledge: Knowledge, width: int = 0, label_top: int = 0, *,
              integer: bool = True, only: Callable[[tuple[int, str]], bool] | None = None,
              zero: Container[tuple[int, str]] = (),
              undecided: set[tuple[int, str]] | None = None,
              time_limit: float = TIME_LIMIT) -> dict[tuple[int, str], tuple[float, float]]:
    """The smallest and largest value each hidden count (`only` those) can take: whole numbers
    by integer programs (`integer`), else by linear programs.

    With `width`, a count that solutions found on the way already show to span `width` values
    or the label range 1..label_top gets that span, not exact bounds. A count whose program did
    not finish in `time_limit` seconds is added to `undecided`, or raises Undecided.
    """
    reader = polytope(knowledge, zero, time_limit)
    left: set[tuple[int, str]] = set()

    def enough(cell: tuple[int, str]) -> bool:
        low, high = reader.seen(cell)
        return bool(width) and low <= high and (
            high - low + 1 >= width or (0 < label_top <= high and low <= 1))

    found = {}
    for cell in knowledge.hidden:
        if only is not None and not only(cell):
            continue
        if enough(cell):
            found[cell] = reader.seen(cell)
            continue
        low = reader.lowest(cell, integer)
        if low is not None and enough(cell):  # its optimum widened what it is seen to take
            found[cell] = reader.seen(cell)
            continue
        high = reader.highest(cell, integer)
        if low is None or high is None:
            left.add(cell)
        else:
            found[cell] = (low, high)
    if left and undecided is None:
        raise Undecided(left)
    if undecided is not None:
        undecided.update(left)
    return found


def _ceiling(knowledge: Knowledge, index: int) -> float | None:
    """No count of release `index` exceeds everyone in the latest release, when he sees that
    total: the latest before people may have left (after, counts may have fallen)."""
    latest = max((index for index, _key in knowledge.shown), default=0)
    latest = min([at - 1 for at in knowledge.left if at > index] + [latest])
    total = knowledge.shown.get((latest, "respondents|all"))
    return None if total is None else float(total)


def _outcome_people(knowledge: Knowledge) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    """(outcome count, the people of its group), in the same release."""
    cells = set(knowledge.shown) | set(knowledge.hidden)
    pairs = []
    for index, key in cells:
        family, _, scope = key.partition("|")
        people = (index, f"respondents|{scope}")
        if family in OUTCOME_FAMILIES and people in cells:
            pairs.append(((index, key), people))
    return pairs


def narrowed(releases: Sequence[Release], width: int, stories: Stories | None = None, *,
             undecided: set[tuple[int, str]] | None = None, time_limit: float = TIME_LIMIT,
             of: Container[int] | None = None, left: Container[int] = ()
             ) -> dict[tuple[int, str], tuple[float, float]]:
    """The hidden counts a reader can narrow to fewer than `width` values from the tables
    (an interval that still covers the whole label range, 1 to width - 1, tells him nothing
    new, nor one that says the count is at least `width` and at least `width` more than when
    last shown: no small group, no few people joined); and, with the stories, the hidden
    outcome counts that prove that all of their group's few (1 to width - 1)
    statistics-only people had that outcome.

    Counts whose programs did not finish in `time_limit` seconds are added to `undecided`
    when given, else raise Undecided: an unfinished search is never a pass. `of`: only the
    hidden counts of these releases (by index) are judged, with every release known.
    `left`: the releases before which people may have withdrawn (`read`)."""
    tables = read(releases, left=left)
    before: dict[tuple[int, str], float] = {}  # a hidden count's value when last shown
    for index in range(1, len(releases)):
        for earlier in range(index):
            counts = shown_counts(releases[earlier])
            before.update({(index, key): counts[key] for (at, key) in tables.hidden
                           if at == index and key in counts})
    zero = maybe_zero(read(releases, stories, left), width) if stories is not None else set()
    left: set[tuple[int, str]] = set()
    found = {cell: (low, high) for cell, (low, high)
             in intervals(tables, width, width - 1, zero=zero, undecided=left,
                          time_limit=time_limit,
                          only=lambda cell: not (_outcome(cell) and cell in zero)
                          and (of is None or cell[0] in of)).items()
             if high - low + 1 < width and not (low <= 1 and high >= width - 1)
             and (low < width or low - before.get(cell, -width) < width)
             and not (_outcome(cell) and low >= width)}
    for index, (release, known) in enumerate(zip(releases, stories or [], strict=bool(stories))):
        # Each release with the stories published by its cut. (Across releases, an outcome
        # count narrows as its group's statistics-only people publish their stories only
        # what an earlier release showed of at least min_cell of them.)
        if of is not None and index not in of:
            continue
        found.update({(index, key): span for (_, key), span in _answered_alike(
            read([release], [known]), width, left, time_limit).items()})
    if left and undecided is None:
        raise Undecided(left)
    if undecided is not None:
        undecided.update(left)
    return found


def _answered_alike(knowledge: Knowledge, width: int, undecided: set[tuple[int, str]],
                    time_limit: float) -> dict[tuple[int, str], tuple[float, float]]:
    """The hidden outcome counts of one release whose least value is their stories plus all
    of their group's statistics-only people, when those are 1 to width - 1: each of them had
    that outcome. A group's people, when hidden, are as many as they can be at most."""
    reader = polytope(knowledge, maybe_zero(knowledge, width), time_limit)
    hidden, floor = set(knowledge.hidden), knowledge.floor
    found = {}
    for small, big in _outcome_people(knowledge):
        if small not in hidden:
            continue
        people = knowledge.shown.get(big)
        if people is None:
            if reader.seen(big)[1] - floor.get(big, 0) >= width:
                continue  # the group may hold width or more statistics-only people
            people = reader.highest(big)
            if people is None:
                undecided.add(big)
                continue
        few = people - floor.get(big, 0)
        top = floor.get(small, 0) + few
        if not 0 < few < width or reader.seen(small)[0] < top - 1e-6:
            continue  # not a few; or a solution where some of them had another outcome
        low = reader.lowest(small)
        if low is None:
            undecided.add(small)
        elif low >= top - 1e-6:
            found[small] = (low, reader.highest(small) or np.inf)
    return found


def maybe_zero(knowledge: Knowledge, min_cell: int) -> set[tuple[int, str]]:
    """Hidden outcome counts that may be 0: their group's people are hidden, or hold 1 to
    min_cell - 1 beyond the published stories (then they are hidden whatever they are)."""
    found = set()
    told = {index for index, _key in knowledge.floor}
    for small, big in _outcome_people(knowledge):
        people = knowledge.shown.get(big)
        if small in set(knowledge.hidden) and small[0] in told and (
                people is None or 0 < people - knowledge.floor.get(big, 0) < min_cell):
            found.add(small)
    return found


def _outcome(cell: tuple[int, str]) -> bool:
    """Outcome counts are answers: narrowed with the stories known. A hidden count of people
    (by place, care type, time or wait) is narrowed from the tables alone: how many people
    who chose statistics only a group holds is not kept secret (a shown count less its
    stories says it), what they answered is (`statistics_only`)."""
    return cell[1].partition("|")[0] in OUTCOME_FAMILIES


def quarter_key(month_key: str) -> str | None:
    """The quarter key a month key adds to: "intake|care=2&month=2026-05" ->
    "intake|care=2&quarter=2026-Q2", "...|none:month" -> "...|none:quarter" (the people
    without a month are the same under either); None for a key without a month."""
    if month_key.endswith("|none:month"):
        return month_key.removesuffix("month") + "quarter"
    found = _MONTH.search(month_key)
    if found is None:
        return None
    quarter = f"quarter={found.group(1)}-Q{(int(found.group(2)) - 1) // 3 + 1}"
    return month_key.replace(found.group(0), quarter)


def quarter_parts(quarter_key: str) -> tuple[str, ...]:
    """The month keys a quarter key is the sum of (its three months; "...|none:quarter" ->
    "...|none:month"); () for a key without a quarter."""
    if quarter_key.endswith("|none:quarter"):
        return (quarter_key.removesuffix("quarter") + "month",)
    found = _QUARTER.search(quarter_key)
    if found is None:
        return ()
    year, first = found.group(1), (int(found.group(2)) - 1) * 3 + 1
    return tuple(quarter_key.replace(found.group(0), f"month={year}-{month:02d}")
                 for month in range(first, first + 3))


def shown_counts(release: Release) -> dict[str, int]:
    """A release's shown counts by key, with a release by month's quarters added (the sum of
    their months, when all of them are shown; a month absent from the release is 0)."""
    found = {key: count for key, (count, _figures) in release.stored.items()
             if count is not None}
    months: dict[str, list[int | None]] = {}
    for key, (count, _figures) in release.stored.items():
        quarter = quarter_key(key)
        if quarter is not None:
            months.setdefault(quarter, []).append(count)
    found.update({quarter: sum(count or 0 for count in counts)
                  for quarter, counts in months.items() if None not in counts})
    return found


# narrowed's verdicts, by all it reads: every field of every release but cut_at (which the
# reader never uses), the width, the stories, `of` and `left`. The integration tests build the
# same releases on SQLite and on PostgreSQL from the same data, and searched them twice: the
# second backend's release set, when the same in everything the reader reads, is judged by
# the first one's search (issue 19: 10 CPU-s of the 200-person demo test's 22). A release that
# differs anywhere is searched afresh. Only finished searches' results are kept.
_VERDICTS: dict[str, tuple[dict[tuple[int, str], tuple[float, float]], set[tuple[int, str]]]] = {}


def narrowed_once(releases: Sequence[Release], width: int, stories: Stories | None = None, *,
                  undecided: set[tuple[int, str]] | None = None, of: Collection[int] | None = None,
                  left: Collection[int] = ()) -> dict[tuple[int, str], tuple[float, float]]:
    """`narrowed`, searched once per process for one reading (see _VERDICTS)."""
    read = [[(field.name, getattr(release, field.name)) for field in dataclasses.fields(release)
             if field.name != "cut_at"] for release in releases]
    key = repr((read, width, stories, None if of is None else sorted(of), sorted(left)))
    if key not in _VERDICTS:
        unfinished: set[tuple[int, str]] = set()
        found = narrowed(releases, width, stories, undecided=unfinished, of=of, left=left)
        _VERDICTS[key] = found, unfinished
    found, unfinished = _VERDICTS[key]
    if unfinished and undecided is None:
        raise Undecided(unfinished)
    if undecided is not None:
        undecided.update(unfinished)
    return dict(found)


def differences(releases: Sequence[Release], min_cell: int
                ) -> dict[str, tuple[int, int, int, int]]:
    """Counts that moved by 1 to min_cell - 1, up (people joined) or down (people left),
    between two releases that showed them: key -> (release, count, later release, count)."""
    last: dict[str, tuple[int, int]] = {}
    found = {}
    for index, release in enumerate(releases):
        for key, count in shown_counts(release).items():
            if key in last and 0 < abs(count - last[key][1]) < min_cell:
                found[key] = (*last[key], index, count)
            last[key] = (index, count)
    return found


def statistics_only(releases: Sequence[Release], stories: Stories, min_cell: int
                    ) -> dict[tuple[int, str], tuple[int, int]]:
    """What gives away the answers of 1 to min_cell - 1 people who chose statistics only
    (their group's count less its published stories): the group's figures, shown or given
    back by a sum (a whole's less its shown parts'), or the outcome counts of their place.
    (release, key) -> (count, stories)."""
    knowledge = read(releases, stories)
    floor = knowledge.floor

    def beyond(cell: tuple[int, str]) -> int | None:
        count = knowledge.shown.get(cell)
        return None if count is None else count - floor.get(cell, 0)

    def few(cell: tuple[int, str]) -> bool:
        extra = beyond(cell)
        return extra is not None and 0 < extra < min_cell

    def has_figures(cell: tuple[int, str]) -> bool:
        return releases[cell[0]].stored.get(cell[1], (None, None))[1] is not None

    found: dict[tuple[int, str], tuple[int, int]] = {}
    for cell, count in knowledge.shown.items():
        family, _, scope = cell[1].partition("|")
        if (few(cell) and has_figures(cell)) or (
                family in OUTCOME_FAMILIES and count and few((cell[0], f"respondents|{scope}"))):
            found[cell] = (count, floor.get(cell, 0))
    for parent, children in knowledge.equal:
        members = [parent, *children]
        bare = [cell for cell in members if not has_figures(cell) and knowledge.shown.get(cell)]
        if not bare or any(cell not in knowledge.shown for cell in members):
            continue  # a hidden count among them: its figures are not given back alone
        if parent in bare:
            if len(bare) == 1 and few(parent):  # the parent's figures: its parts' sum
                found[parent] = (knowledge.shown[parent], floor.get(parent, 0))
            continue
        # The parent's figures less the parts' that are shown: those of the parts without
        # figures together, whose statistics-only people must not be few.
        together = sum(beyond(cell) or 0 for cell in bare)
        if 0 < together < min_cell:
            for cell in bare:
                found[cell] = (knowledge.shown[cell], floor.get(cell, 0))
    return found
