"""The hostile reader of SPEC section 5, as linear programs over what a reader can download.

He reads every filter of every release (the views the JSON and CSV carry) and knows:
- every shown count exactly, and that a hidden count is at least 1 (zeros are shown), but
  for an outcome count (hidden, whatever it is, where a few people chose statistics only);
- every partition (parent = sum of its children);
- every inequality a part never breaks: a child of a non-partition breakdown (care types,
  outcomes) is at most its parent; a wait series or an outcome in a scope is at most the
  people in that scope;
- across releases, that a cumulative count never falls (he assumes no withdrawals, which
  only makes him stronger): x in release t >= x in release t - 1; and a quarter is the sum
  of its months, so a quarter of a release by quarter (format 3) is at least the sum of its
  months in the release before it, by month (formats 1 and 2);
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
min_cell - 1, the figures of those few people are the difference of the two releases' figures
(`differences`; a quarter against the sum of its months in an earlier release by month).
Where a group holds 1 to min_cell - 1 statistics-only people, its figures less the stories'
answers would be theirs (`statistics_only`).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from testimonials.stats.page import all_filters
from testimonials.stats.protection import quarter_key, quarter_parts
from testimonials.stats.releases import Release
from testimonials.stats.report import ShownGroup
from testimonials.stats.universe import OUTCOME_FAMILIES


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

    def known(self, cell: tuple[int, str]) -> bool:
        return cell in self.shown or cell in self._index

    @property
    def _index(self) -> dict[tuple[int, str], int]:
        return {cell: i for i, cell in enumerate(self.hidden)}


Stories = Sequence[Mapping[tuple[str, str], int]]  # per release: (family, scope) -> stories


def read(releases: Sequence[Release], stories: Stories | None = None) -> Knowledge:
    """Everything a reader can take from every filter of these releases and, when given, from
    the stories published by each release's cut (each counted one is in the counts)."""
    knowledge = Knowledge()
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


def intervals(knowledge: Knowledge, width: int = 0, label_top: int = 0, *,
              integer: bool = True, only: Callable[[tuple[int, str]], bool] | None = None,
              zero: Container[tuple[int, str]] = ()
              ) -> dict[tuple[int, str], tuple[float, float]]:
    """The smallest and largest value each hidden count (`only` those) can take, by linear
    programming.

    With `width`, a count that two extreme points (all counts small, all large) already show
    to span `width` values or the label range 1..label_top gets that span, not exact bounds.
    """
    position = {cell: i for i, cell in enumerate(knowledge.hidden)}
    size = len(position)
    if not size:
        return {}
    rows_eq, rhs_eq = _rows([([(parent, 1), *((child, -1) for child in children)], 0.0)
                             for parent, children in knowledge.equal], position, knowledge.shown)
    less = [([(small, 1), (big, -1)], 0.0) for small, big in knowledge.at_most]
    for small, big in _outcome_people(knowledge):  # their statistics-only people's
        gap = knowledge.floor.get(small, 0) - knowledge.floor.get(big, 0)
        if gap < 0:
            less.append(([(small, 1), (big, -1)], float(gap)))
    less += [([*((part, 1) for part in parts), (whole, -1)], 0.0)
             for parts, whole in knowledge.sums]
    rows_le, rhs_le = _rows(less, position, knowledge.shown)
    common = {"A_ub": rows_le if len(rhs_le) else None, "b_ub": rhs_le if len(rhs_le) else None,
              "A_eq": rows_eq if len(rhs_eq) else None, "b_eq": rhs_eq if len(rhs_eq) else None,
              "bounds": [(knowledge.floor.get(cell, 0) if cell in zero  # may be 0
                          else max(1, knowledge.floor.get(cell, 0)), _ceiling(knowledge))
                         for cell in knowledge.hidden], "method": "highs"}
    points = [linprog(sign * np.ones(size), **common) for sign in (1, -1)]
    if any(point.status == 2 for point in points):
        raise AssertionError("the published figures contradict each other")
    points = [point for point in points if point.status == 0]
    found = {}
    for cell, i in position.items():
        if only is not None and not only(cell):
            continue
        low = min((p.x[i] for p in points), default=0.0)
        high = max((p.x[i] for p in points), default=float("inf"))
        if points and width and (high - low + 1 >= width or (0 < label_top <= high and low <= 1)):
            found[cell] = (low, high)
            continue
        bounds = []
        for sign in (1, -1):
            objective = np.zeros(size)
            objective[i] = sign
            result = linprog(objective, **common)
            if result.status == 2:
                raise AssertionError("the published figures contradict each other")
            bounds.append(sign * result.fun if result.status == 0 else float("inf") * sign)
        found[cell] = (bounds[0], bounds[1])
    if integer:
        _integer_bounds(found, position, common, size, width or 0)
    return found


def _ceiling(knowledge: Knowledge) -> float | None:
    """No count exceeds everyone in the latest release, when he sees that total."""
    latest = max((index for index, _key in knowledge.shown), default=0)
    total = knowledge.shown.get((latest, "respondents|all"))
    return None if total is None else float(total)


# An integer program's box where no total bounds the counts: HiGHS's presolve cannot always
# tell infeasible from unbounded without one, and no test's count comes near it.
_LARGE = 1e6


def _integer_bounds(found: dict[tuple[int, str], tuple[float, float]],
                    position: dict[tuple[int, str], int], common: dict[str, object], size: int,
                    width: int) -> None:
    """Tighten the narrowest linear intervals by integer programs (exact for whole counts)."""
    constraints = []
    if common["A_eq"] is not None:
        constraints.append(LinearConstraint(common["A_eq"], common["b_eq"], common["b_eq"]))
    if common["A_ub"] is not None:
        constraints.append(LinearConstraint(common["A_ub"], -np.inf, common["b_ub"]))
    bounds = common["bounds"]
    box = Bounds([low for low, _high in bounds],  # type: ignore[attr-defined]
                 [_LARGE if high is None else high for _low, high in bounds])  # type: ignore[attr-defined]
    for cell, (low, high) in list(found.items()):
        if high == float("inf") or (width and high - low + 1 >= 2 * width):
            continue  # far from narrow: the integer hull cannot take that much off
        ends = []
        for sign in (1, -1):
            objective = np.zeros(size)
            objective[position[cell]] = sign
            result = milp(objective, constraints=constraints, bounds=box,
                          integrality=np.ones(size))
            if result.status != 0:
                raise AssertionError("the published figures contradict each other")
            ends.append(sign * result.fun)
        found[cell] = (ends[0], ends[1])


def _rows(relations: Iterable[tuple[Sequence[tuple[tuple[int, str], int]], float]],
          position: dict[tuple[int, str], int], shown: dict[tuple[int, str], int]
          ) -> tuple[np.ndarray, np.ndarray]:
    """sum(sign * cell) over the hidden cells, = or <= the offset less the shown cells."""
    rows, rhs = [], []
    for terms, offset in relations:
        row = np.zeros(len(position))
        constant = offset
        for cell, sign in terms:
            if cell in position:
                row[position[cell]] += sign
            else:
                constant -= sign * shown.get(cell, 0)
        rows.append(row)
        rhs.append(constant)
    kept = [i for i, row in enumerate(rows) if row.any()]
    return (np.array([rows[i] for i in kept]).reshape(len(kept), len(position)),
            np.array([rhs[i] for i in kept]))


def caps(knowledge: Knowledge, found: Mapping[tuple[int, str], tuple[float, float]]
         ) -> dict[tuple[int, str], float]:
    """A hidden outcome count: its stories plus as many statistics-only people as its group
    can hold (its people shown, or the most they can be when hidden)."""
    hidden = set(knowledge.hidden)
    return {small: (knowledge.floor.get(small, 0)
                    + knowledge.shown.get(big, found.get(big, (0, float("inf")))[1])
                    - knowledge.floor.get(big, 0))
            for small, big in _outcome_people(knowledge) if small in hidden}


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


def narrowed(releases: Sequence[Release], width: int, stories: Stories | None = None
             ) -> dict[tuple[int, str], tuple[float, float]]:
    """The hidden counts a reader can narrow to fewer than `width` values from the tables
    (an interval that still covers the whole label range, 1 to width - 1, tells him nothing
    new, nor one that says the count is at least `width` and at least `width` more than when
    last shown: no small group, no few people joined); and, with the stories, the hidden
    outcome counts that prove that all of their group's few (1 to width - 1)
    statistics-only people had that outcome."""
    tables = read(releases)
    before: dict[tuple[int, str], float] = {}  # a hidden count's value when last shown
    for index in range(1, len(releases)):
        for earlier in range(index):
            counts = shown_counts(releases[earlier])
            before.update({(index, key): counts[key] for (at, key) in tables.hidden
                           if at == index and key in counts})
    zero = maybe_zero(read(releases, stories), width) if stories is not None else set()
    found = {cell: (low, high) for cell, (low, high)
             in intervals(tables, width, width - 1, zero=zero).items()
             if high - low + 1 < width and not (low <= 1 and high >= width - 1)
             and (low < width or low - before.get(cell, -width) < width)
             and not (_outcome(cell) and (low >= width or cell in zero))}
    if stories is None:
        return found
    for index, (release, known) in enumerate(zip(releases, stories, strict=True)):
        # Each release with the stories published by its cut. (Across releases, an outcome
        # count narrows as its group's statistics-only people publish their stories only
        # what an earlier release showed of at least min_cell of them.)
        knowledge = read([release], [known])
        exact = intervals(knowledge, only=lambda cell: _outcome(cell)
                          or cell[1].startswith("respondents|"),  # and the groups' people
                          zero=maybe_zero(knowledge, width))
        top = caps(knowledge, exact)
        found.update({(index, key): (low, high) for (_, key), (low, high) in exact.items()
                      if 0 < top.get((0, key), 0) - knowledge.floor.get((0, key), 0) < width
                      and low >= top[(0, key)] - 1e-6})
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


def differences(releases: Sequence[Release], min_cell: int
                ) -> dict[str, tuple[int, int, int, int]]:
    """Counts that moved by 1 to min_cell - 1 between two releases that showed them:
    key -> (release, count, later release, count)."""
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
