"""The hostile reader of SPEC section 5, as linear programs over what a reader can download.

He reads every filter of every release (the views the JSON and CSV carry) and knows:
- every shown count exactly, and that a hidden count is at least 1 (zeros are shown);
- every partition (parent = sum of its children);
- every inequality a part never breaks: a child of a non-partition breakdown (care types,
  outcomes) is at most its parent; a wait series or an outcome in a scope is at most the
  people in that scope;
- across releases, that a cumulative count never falls (he assumes no withdrawals, which
  only makes him stronger): x in release t >= x in release t - 1.
For every hidden count he solves min and max, by linear programs and then, where those leave
it narrow enough to be worth it, by integer programs (counts are whole numbers, and the integer
hull can be narrower than the linear one); a count is "narrowed" when the interval is narrower
than the protection width, "pinned" when it is one value.

Across releases he also subtracts: a count shown in one release and next shown in a later one
changed by the number of people who joined (or left) it in between; when that is 1 to
min_cell - 1, the figures of those few people are the difference of the two releases' figures
(`differences`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from testimonials.stats.page import all_filters
from testimonials.stats.releases import Release
from testimonials.stats.report import ShownGroup


@dataclass
class Knowledge:
    """Variables (hidden counts, one per release and key), and what binds them."""

    shown: dict[tuple[int, str], int] = field(default_factory=dict)
    hidden: list[tuple[int, str]] = field(default_factory=list)
    equal: set[tuple[tuple[int, str], tuple[tuple[int, str], ...]]] = field(default_factory=set)
    at_most: set[tuple[tuple[int, str], tuple[int, str]]] = field(default_factory=set)  # a <= b
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
              integer: bool = True) -> dict[tuple[int, str], tuple[float, float]]:
    """The smallest and largest value each hidden count can take, by linear programming.

    With `width`, a count that two extreme points (all counts small, all large) already show
    to span `width` values or the label range 1..label_top gets that span, not exact bounds.
    """
    position = {cell: i for i, cell in enumerate(knowledge.hidden)}
    size = len(position)
    if not size:
        return {}
    rows_eq, rhs_eq = _rows([(parent, children) for parent, children in knowledge.equal],
                            position, knowledge.shown, equal=True)
    rows_le, rhs_le = _rows([(small, (big,)) for small, big in knowledge.at_most],
                            position, knowledge.shown, equal=False)
    ceiling = float(max(knowledge.shown.values(), default=1))  # no count exceeds everyone
    common = {"A_ub": rows_le if len(rhs_le) else None, "b_ub": rhs_le if len(rhs_le) else None,
              "A_eq": rows_eq if len(rhs_eq) else None, "b_eq": rhs_eq if len(rhs_eq) else None,
              "bounds": [(max(1, knowledge.floor.get(cell, 0)), ceiling)
                         for cell in knowledge.hidden], "method": "highs"}
    points = [linprog(sign * np.ones(size), **common) for sign in (1, -1)]
    if any(point.status == 2 for point in points):
        raise AssertionError("the published figures contradict each other")
    found = {}
    for cell, i in position.items():
        low, high = (min(p.x[i] for p in points), max(p.x[i] for p in points))
        if width and (high - low + 1 >= width or (0 < label_top <= high and low <= 1)):
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
    box = Bounds([low for low, _high in bounds], [high for _low, high in bounds])  # type: ignore[attr-defined]
    for cell, (low, high) in list(found.items()):
        if width and high - low + 1 >= 2 * width:
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


def _rows(relations: Iterable[tuple[tuple[int, str], tuple[tuple[int, str], ...]]],
          position: dict[tuple[int, str], int], shown: dict[tuple[int, str], int],
          *, equal: bool) -> tuple[np.ndarray, np.ndarray]:
    """parent - sum(children) = 0 (equal) or small - big <= 0, over the hidden variables."""
    rows, rhs = [], []
    for left, right in relations:
        row = np.zeros(len(position))
        constant = 0.0
        for cell, sign in ((left, 1), *((child, -1) for child in right)):
            if cell in position:
                row[position[cell]] += sign
            else:
                constant -= sign * shown.get(cell, 0)
        if row.any():
            rows.append(row)
            rhs.append(constant)
    return np.array(rows).reshape(len(rows), len(position)), np.array(rhs)


def narrowed(releases: Sequence[Release], width: int, stories: Stories | None = None
             ) -> dict[tuple[int, str], tuple[float, float]]:
    """The hidden counts a reader can narrow to fewer than `width` values (an interval that
    still covers the whole label range, 1 to width - 1, tells him nothing new)."""
    found = intervals(read(releases, stories), width, width - 1)
    return {cell: (low, high) for cell, (low, high) in found.items()
            if high - low + 1 < width and not (low <= 1 and high >= width - 1)}


def differences(releases: Sequence[Release], min_cell: int
                ) -> dict[str, tuple[int, int, int, int]]:
    """Counts that moved by 1 to min_cell - 1 between two releases that showed them:
    key -> (release, count, later release, count)."""
    last: dict[str, tuple[int, int]] = {}
    found = {}
    for index, release in enumerate(releases):
        for key, (count, _figures) in release.stored.items():
            if count is None:
                continue
            if key in last and 0 < abs(count - last[key][1]) < min_cell:
                found[key] = (*last[key], index, count)
            last[key] = (index, count)
    return found


def statistics_only(releases: Sequence[Release], stories: Stories, min_cell: int
                    ) -> dict[tuple[int, str], tuple[int, int]]:
    """Shown counts with 1 to min_cell - 1 people more than the published stories in them:
    the figures less the stories' answers are those few people's (who chose statistics only).
    (release, key) -> (count, stories)."""
    knowledge = read(releases, stories)
    return {cell: (count, knowledge.floor.get(cell, 0))
            for cell, count in knowledge.shown.items()
            if 0 < count - knowledge.floor.get(cell, 0) < min_cell}
