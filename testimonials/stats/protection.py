"""Protection intervals: no hidden count can be narrowed below the protection width (pure).

Statistics offices (tau-Argus, sdcTable) model what a reader can infer as a linear system
and ask, for every hidden cell, how far it can move. A reader of a release knows every shown
count, every partition (a parent is the sum of its children), every inequality a part never
breaks (a care type's count is at most its place's; a wait series or an outcome in a scope is
at most the people there), that a hidden count is at least 1 (zeros are shown), and, from the
previous release, that a count never falls (its shown value there is a floor now).

For every hidden count, linear programs give the smallest and largest value it can take; when
fewer than `width` values remain (and they do not span the whole label range, 1 to
min_cell - 1), the smallest shown count linked to it is hidden too, and the audit runs again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from testimonials.stats.implicit import _new_solver
from testimonials.stats.report import Group
from testimonials.stats.universe import (
    FAMILIES,
    Counts,
    Dimensions,
    hidden_keys,
    same_answers,
    universe,
)

Interval = tuple[float, float]


@dataclass
class System:
    """The relations between the counts of one release, by group key."""

    count: dict[str, int] = field(default_factory=dict)
    equal: dict[tuple[str, tuple[str, ...]], None] = field(default_factory=dict)
    at_most: dict[tuple[str, str], None] = field(default_factory=dict)  # (small, big)

    def add(self, group: Group[object]) -> None:
        self.count.setdefault(group.key, group.count)
        for breakdown in group.breakdowns:
            children = tuple(child.key for child in breakdown.groups)
            if breakdown.partition:
                self.equal[(group.key, children)] = None
            else:
                for child in children:
                    self.at_most[(child, group.key)] = None
            for subgroup in breakdown.groups:
                self.add(subgroup)


def system(dims: Dimensions, counts: Counts) -> System:
    """Every count any view publishes and every relation a reader knows between them."""
    found = System()
    for family in FAMILIES:
        for group in (universe(family, dims, counts), *same_answers(family, dims, counts)):
            found.add(group)
    for group_key in list(found.count):
        family, _, scope = group_key.partition("|")
        people = f"respondents|{scope}"
        if family != "respondents" and "|none:" not in group_key and people in found.count:
            found.at_most[(group_key, people)] = None
    return found


def narrowed(found: System, hidden: Iterable[str], width: int, min_cell: int,
             floors: Mapping[str, int] | None = None) -> dict[str, Interval]:
    """The hidden counts a reader can narrow to fewer than `width` values."""
    result = {}
    for key, (low, high) in intervals(found, set(hidden), floors or {}, width,
                                      min_cell - 1).items():
        if high - low + 1 < width and not (low <= 1 and high >= min_cell - 1):
            result[key] = (low, high)
    return result


def intervals(found: System, hidden: set[str], floors: Mapping[str, int], wide: int = 0,
              label_top: int = 0) -> dict[str, Interval]:
    """The smallest and largest value of each hidden count, given everything shown.

    Exact for every count narrower than `wide` values (0: for all); the others get an
    interval at least that wide, which is all the audit needs to know of them.
    """
    rows: list[tuple[dict[str, float], float, float]] = []  # (coefficients, lower, upper)
    for parent, children in found.equal:
        _row(rows, [(parent, 1.0), *((child, -1.0) for child in children)], found, hidden,
             equal=True)
    for small, big in found.at_most:
        _row(rows, [(small, 1.0), (big, -1.0)], found, hidden, equal=False)
    result: dict[str, Interval] = {}
    for keys, component in _components(rows, hidden):
        result.update(_solve(sorted(keys), component, floors, found.count, wide, label_top))
    for key in hidden - result.keys():  # bound by nothing: anything from its floor up
        result[key] = (float(max(1, floors.get(key, 1))), float("inf"))
    return result


def _row(rows: list[tuple[dict[str, float], float, float]], terms: list[tuple[str, float]],
         found: System, hidden: set[str], *, equal: bool) -> None:
    coefficients: dict[str, float] = {}
    constant = 0.0
    for key, sign in terms:
        if key in hidden:
            coefficients[key] = coefficients.get(key, 0.0) + sign
        else:
            constant -= sign * found.count.get(key, 0)
    coefficients = {key: value for key, value in coefficients.items() if value}
    if coefficients:
        rows.append((coefficients, constant if equal else float("-inf"), constant))


def _components(rows: list[tuple[dict[str, float], float, float]], hidden: set[str]
                ) -> list[tuple[set[str], list[tuple[dict[str, float], float, float]]]]:
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for coefficients, _low, _high in rows:
        first, *rest = coefficients
        for key in rest:
            parent[root(key)] = root(first)
    groups: dict[str, tuple[set[str], list[tuple[dict[str, float], float, float]]]] = {}
    for row in rows:
        keys, members = groups.setdefault(root(next(iter(row[0]))), (set(), []))
        keys.update(row[0])
        members.append(row)
    return list(groups.values())


def _solve(keys: list[str], rows: list[tuple[dict[str, float], float, float]],
           floors: Mapping[str, int], truth: Mapping[str, int], wide: int, label_top: int
           ) -> dict[str, Interval]:
    """Each key's interval; exact for those narrower than `wide` values, else a wide one."""
    import highspy

    column = {key: index for index, key in enumerate(keys)}
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(keys), len(rows)
    lp.col_cost_ = [0.0] * len(keys)
    lp.col_lower_ = [float(max(1, floors.get(key, 1))) for key in keys]
    # No count exceeds the largest count of the release (everyone, when shown): a finite
    # ceiling keeps every program bounded.
    ceiling = float(max(truth.values(), default=1))
    lp.col_upper_ = [ceiling] * len(keys)
    starts, indices, values = [0], [], []
    lower, upper = [], []
    for coefficients, low, high in rows:
        for key, value in coefficients.items():
            indices.append(column[key])
            values.append(value)
        starts.append(len(indices))
        lower.append(low if low != float("-inf") else -inf)
        upper.append(high)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, values
    solver: Any = _new_solver(highspy)
    solver.passModel(lp)
    # Screening: every cell spans at least what the true counts and two extreme points of the
    # system (all counts as small, then as large as they can be) give it; only cells that
    # this does not already show wide enough get linear programs of their own.
    points = [[float(truth.get(key, 1)) for key in keys]]
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        solver.changeColsCost(len(keys), list(range(len(keys))), [1.0] * len(keys))
        solver.changeObjectiveSense(sense)
        solver.run()
        if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            points.append(list(solver.getSolution().col_value))
    solver.changeColsCost(len(keys), list(range(len(keys))), [0.0] * len(keys))
    found: dict[str, Interval] = {}
    for index, key in enumerate(keys):
        low = min(point[index] for point in points)
        high = max(point[index] for point in points)
        if wide and (high - low + 1 >= wide or (0 < label_top <= high and low <= 1)):
            found[key] = (float(math.ceil(low - 1e-6)), high)  # wide enough: not refined
            continue
        solver.changeColCost(index, 1.0)
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solver.run()
            status = solver.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                bounds.append(solver.getInfo().objective_function_value)
            else:  # no solution cannot happen (the true counts are one): assume the worst
                bounds.append(1.0)
        solver.changeColCost(index, 0.0)
        # Counts are whole numbers: the interval's whole values (the LP's are real).
        found[key] = (float(math.ceil(bounds[0] - 1e-6)), float(math.floor(bounds[1] + 1e-6)))
    return found


def protect(dims: Dimensions, counts: Counts, hidden: frozenset[str], min_cell: int,
            width: int, floors: Mapping[str, int] | None = None) -> frozenset[str]:
    """`hidden` and the shown counts that must be hidden too so that none is narrowed."""
    found = system(dims, counts)
    linked: dict[str, set[str]] = {}
    for parent, children in found.equal:
        for key in (parent, *children):
            linked.setdefault(key, set()).update((parent, *children))
    for small, big in found.at_most:
        linked.setdefault(small, set()).add(big)
        linked.setdefault(big, set()).add(small)
    now = set(hidden)
    # A count published before at exactly its value now is known (counts only grow): hiding
    # it protects nothing, and nothing can protect it any more.
    settled = {key for key, floor in (floors or {}).items() if found.count.get(key) == floor}
    while True:
        weak = {key: span for key, span in narrowed(found, now, width, min_cell, floors).items()
                if key not in settled}
        if not weak:
            return frozenset(now)
        added = set()
        for key in sorted(weak):
            partners = [other for other in linked.get(key, ()) if other not in now
                        and other not in settled and other not in added
                        and found.count.get(other, 0) > 0]
            if partners:
                added.add(min(partners, key=lambda other: (found.count[other], other)))
        if not added:  # nothing left to hide around them (cannot happen with a shown total)
            return frozenset(now)
        now |= added


def protected_keys(dims: Dimensions, counts: Counts, min_cell: int, width: int,
                   floors: Mapping[str, int] | None = None) -> frozenset[str]:
    """Every key to hide: small counts, their complements, then the protection intervals."""
    return protect(dims, counts, hidden_keys(dims, counts, min_cell), min_cell, width, floors)
