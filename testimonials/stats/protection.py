"""Disclosure control against a reader who holds every release: which groups to hide (pure).

Statistics offices (tau-Argus, sdcTable) model what a reader can infer as a linear system and
ask, for every hidden cell, how far it can move. Our reader holds every filter of this release
and of every earlier one, and knows:
- every shown count, every partition (a parent is the sum of its children), every inequality a
  part never breaks (a care type's count is at most its place's; a wait series or an outcome in
  a scope is at most the people there), and that a hidden count is at least 1 (zeros are shown);
- across releases, that a count never falls: a count in one release is at most the same count
  in the next (he assumes nobody withdrew, which only makes him stronger).

Two rules, then an audit:
1. small counts: a count of 1 to min_cell - 1 is hidden;
2. small differences: a count whose change since the last release that showed it is 1 to
   min_cell - 1 (either way) is hidden, since subtracting the two would isolate those few
   people; it is shown again once it has moved by min_cell or more;
3. the audit: linear programs over this release and all earlier ones together (the earlier
   releases' hidden counts are unknowns too, linked to this release's by "never falls") give
   each hidden count its smallest and largest value. Where fewer than `width` values remain
   (and they do not span the whole label range, 1 to min_cell - 1), one more count linked to
   it is hidden and the audit runs again. The count chosen is the most detailed and smallest
   one: a facility or a "not stated" group before a region x care or region x month cell,
   those before a care type or a month, a region only as a last resort, and the totals of
   the site never (only if nothing else is left, which a release with a shown total of at
   least 2 x min_cell does not reach).

Only the tables that share a hidden count constrain each other, so the programs are solved
per linked component (union-find over the rows), each small, and a component is solved again
only when a newly hidden count joins it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from testimonials.stats.cells import ALL
from testimonials.stats.implicit import _new_solver
from testimonials.stats.report import Group
from testimonials.stats.universe import FAMILIES, Counts, Dimensions, same_answers, universe

Interval = tuple[float, float]
Published = Mapping[str, int | None]  # an earlier release: key -> shown count (None: hidden)


@dataclass(frozen=True)
class Earlier:
    """What a reader holds of an earlier release: its places and months, its counts, and the
    counts of the stories published by its cut (key -> count; lower bounds of its counts)."""

    dims: Dimensions
    published: Published
    stories: Mapping[str, int] = field(default_factory=dict)


History = Sequence[Earlier]  # oldest first


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


def published_system(dims: Dimensions, published: Published) -> System:
    """The relations of an earlier release among the groups it published."""
    layout = system(dims, {})
    found = System({key: count for key, count in published.items()  # type: ignore[misc]
                    if key in layout.count})
    found.equal = {relation: None for relation in layout.equal
                   if all(key in published for key in (relation[0], *relation[1]))}
    found.at_most = {relation: None for relation in layout.at_most
                     if relation[0] in published and relation[1] in published}
    return found


def level(group_key: str) -> int:
    """How early a shown count is hidden to protect another: the most detailed first."""
    scope = group_key.split("|", 1)[1]
    if "|none:" in group_key or scope.startswith("facility="):
        return 0
    if "&" in scope:
        return 1  # region x care, region x month, care x month
    if scope.startswith(("care=", "month=")):
        return 2
    if scope.startswith("region="):
        return 3
    return 4 if scope != ALL else 5


@dataclass
class _Row:
    """One relation over unknowns: low <= sum(coefficient * unknown) <= high."""

    coefficients: dict[str, float]
    low: float
    high: float
    shown: tuple[str, ...]  # this release's shown keys in it (candidates to hide)


@dataclass
class Audit:
    """The linear system of this release and the earlier ones, for one set of hidden keys."""

    current: System
    earlier: list[System]
    min_cell: int
    width: int
    stories: Mapping[str, int] = field(default_factory=dict)  # unknown -> published stories
    _solved: dict[frozenset[str], dict[str, Interval]] = field(default_factory=dict)

    def unknown(self, release: int, key: str) -> str:
        """The unknown's name: this release's keys by themselves, earlier ones numbered."""
        return key if release == len(self.earlier) else f"{release}#{key}"

    def rows(self, hidden: set[str]) -> list[_Row]:
        rows: list[_Row] = []
        releases = [*self.earlier, self.current]
        last = len(self.earlier)
        for index, found in enumerate(releases):
            secret = hidden if index == last else {
                key for key, count in found.count.items() if count is None}
            for parent, children in found.equal:
                self._row(rows, index, found, secret,
                          [(parent, 1.0), *((child, -1.0) for child in children)], equal=True)
            for small, big in found.at_most:
                self._row(rows, index, found, secret, [(small, 1.0), (big, -1.0)], equal=False)
        # Counts never fall: each count at most the same count in the next release.
        for index in range(last):
            before, after = releases[index], releases[index + 1]
            secret_before = {key for key, count in before.count.items() if count is None}
            secret_after = hidden if index + 1 == last else {
                key for key, count in after.count.items() if count is None}
            for key in before.count.keys() & after.count.keys():
                terms: dict[str, float] = {}
                constant = 0.0
                shown: tuple[str, ...] = ()
                if key in secret_before:
                    terms[self.unknown(index, key)] = 1.0
                else:
                    constant -= before.count[key] or 0
                if key in secret_after:
                    terms[self.unknown(index + 1, key)] = -1.0
                else:
                    value = after.count[key] or 0
                    if index + 1 == last:
                        shown = (key,)
                    constant += value
                if terms:
                    rows.append(_Row(terms, -math.inf, constant, shown))
        return rows

    def _row(self, rows: list[_Row], index: int, found: System, secret: set[str],
             terms: list[tuple[str, float]], *, equal: bool) -> None:
        coefficients: dict[str, float] = {}
        constant = 0.0
        shown = []
        for key, sign in terms:
            if key in secret:
                name = self.unknown(index, key)
                coefficients[name] = coefficients.get(name, 0.0) + sign
            else:
                constant -= sign * (found.count.get(key) or 0)
                if index == len(self.earlier):
                    shown.append(key)
        coefficients = {name: value for name, value in coefficients.items() if value}
        if coefficients:
            rows.append(_Row(coefficients, constant if equal else -math.inf, constant,
                             tuple(shown)))

    def narrowed(self, hidden: set[str], rows: list[_Row]) -> dict[str, Interval]:
        """The unknowns (of any release) a reader can narrow to fewer than `width` values."""
        found: dict[str, Interval] = {}
        ceiling = float(max(self.current.count.values(), default=1))
        for names, members in _components(rows):
            signature = frozenset(names)
            if signature not in self._solved:
                truth = ({name: float(self.current.count[name]) for name in names}
                         if all("#" not in name for name in names) else None)
                floors = {name: float(self.stories.get(name, 0)) for name in names}
                self._solved[signature] = _solve(sorted(names), members, ceiling, truth,
                                                 self.width, self.min_cell - 1, floors)
            for name, (low, high) in self._solved[signature].items():
                if high - low + 1 < self.width and not (low <= 1 and high >= self.min_cell - 1):
                    found[name] = (low, high)
        return found


def _components(rows: Iterable[_Row]) -> list[tuple[set[str], list[_Row]]]:
    """The rows grouped by the unknowns they link (union-find)."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    kept = list(rows)
    for row in kept:
        first, *rest = row.coefficients
        for name in rest:
            a, b = root(first), root(name)
            if a != b:
                parent[b] = a
    groups: dict[str, tuple[set[str], list[_Row]]] = {}
    for row in kept:
        names, members = groups.setdefault(root(next(iter(row.coefficients))), (set(), []))
        names.update(row.coefficients)
        members.append(row)
    return list(groups.values())


def _solve(names: list[str], rows: list[_Row], ceiling: float,
           truth: Mapping[str, float] | None, wide: int, label_top: int,
           floors: Mapping[str, float]) -> dict[str, Interval]:
    """Each unknown's interval; exact for those narrower than `wide` values, else a wide one."""
    import highspy  # here, not at the top: a worker that only serves releases never loads it

    column = {name: index for index, name in enumerate(names)}
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(names), len(rows)
    lp.col_cost_ = [0.0] * len(names)
    lp.col_lower_ = [max(1.0, floors.get(name, 0.0)) for name in names]
    # No count exceeds the largest count of the release (everyone): every program is bounded.
    lp.col_upper_ = [ceiling] * len(names)
    starts, indices, values, lower, upper = [0], [], [], [], []
    for row in rows:
        for name, value in row.coefficients.items():
            indices.append(column[name])
            values.append(value)
        starts.append(len(indices))
        lower.append(-inf if row.low == -math.inf else row.low)
        upper.append(row.high)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, values
    solver: Any = _new_solver(highspy)
    solver.passModel(lp)
    # Screening: every unknown spans at least what the true counts and two extreme points of
    # the system (all as small, then all as large as they can be) give it; only the others
    # get linear programs of their own.
    points = [[truth[name] for name in names]] if truth is not None else []
    everything = list(range(len(names)))
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        solver.changeColsCost(len(names), everything, [1.0] * len(names))
        solver.changeObjectiveSense(sense)
        solver.run()
        if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            points.append(list(solver.getSolution().col_value))
    solver.changeColsCost(len(names), everything, [0.0] * len(names))
    if not points:  # no solution (a withdrawal broke "never falls"): assume the worst
        return {name: (1.0, 1.0) for name in names}
    found: dict[str, Interval] = {}
    for index, name in enumerate(names):
        low = min(point[index] for point in points)
        high = max(point[index] for point in points)
        if high - low + 1 >= wide or (0 < label_top <= high and low <= 1 + 1e-6):
            found[name] = (float(math.ceil(low - 1e-6)), high)  # wide enough: not refined
            continue
        solver.changeColCost(index, 1.0)
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solver.run()
            if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                bounds.append(solver.getInfo().objective_function_value)
            else:  # cannot happen once a point exists: assume the worst
                bounds.append(1.0)
        solver.changeColCost(index, 0.0)
        # Counts are whole numbers: the interval's whole values (the LP's are real).
        found[name] = (float(math.ceil(bounds[0] - 1e-6)), float(math.floor(bounds[1] + 1e-6)))
    return found


def last_shown(history: History) -> dict[str, int]:
    """Each key's count in the latest earlier release that showed it."""
    found: dict[str, int] = {}
    for earlier in history:
        for key, count in earlier.published.items():
            if count is not None:
                found[key] = count
    return found


def primary(counts: Mapping[str, int], min_cell: int, before: Mapping[str, int],
            stories: Mapping[str, int]) -> set[str]:
    """Rules 1 to 3: small counts, counts that moved by a few since last shown, and counts
    with a few people more than the published stories in them."""
    hidden = {key for key, count in counts.items() if 0 < count < min_cell}
    for key, count in counts.items():
        if key in before and 0 < abs(count - before[key]) < min_cell:
            hidden.add(key)
        if 0 < count - stories.get(key, 0) < min_cell:
            hidden.add(key)
    return hidden


def story_counts(dims: Dimensions, stories: Counts) -> dict[str, int]:
    """The published stories' counts by group key, "not stated" groups included (non-zero)."""
    return {key: count for key, count in system(dims, stories).count.items() if count > 0}


def protected_keys(dims: Dimensions, counts: Counts, min_cell: int, width: int,
                   history: History = (), stories: Counts | None = None) -> frozenset[str]:
    """Every key to hide in this release, given the earlier releases (oldest first) and the
    counts of the published stories that the statistics count (`stories`)."""
    current = system(dims, counts)
    earlier = [published_system(old.dims, old.published) for old in history]
    known = story_counts(dims, stories) if stories else {}
    hidden = primary(current.count, min_cell, last_shown(history), known)
    floors = dict(known)
    for index, old in enumerate(history):
        floors.update({f"{index}#{key}": count for key, count in old.stories.items()})
    audit = Audit(current, earlier, min_cell, max(width, 1), floors)
    while True:
        rows = audit.rows(hidden)
        weak = audit.narrowed(hidden, rows)
        if not weak:
            return frozenset(hidden)
        added = _partners(weak, rows, hidden, current)
        if not added:  # nothing left to hide (cannot happen with a shown total of people)
            return frozenset(hidden)
        hidden |= added


def _partners(weak: Mapping[str, Interval], rows: list[_Row], hidden: set[str],
              current: System) -> set[str]:
    """For each narrowed unknown, one shown count of this release to hide next to it."""
    def rank(key: str) -> tuple[bool, int, int, str]:
        # A count equal to its parent (its siblings are all zero: a region with one facility)
        # protects nothing unless the parent is hidden too: last among its level's.
        return (key in twins, level(key), current.count[key], key)

    twins = {key for parent, children in current.equal for key in children
             if current.count.get(key) == current.count.get(parent)}

    def candidates(members: Iterable[_Row]) -> list[str]:
        return [key for row in members for key in row.shown
                if key not in hidden and current.count.get(key)]

    touching: dict[str, list[_Row]] = {}
    for row in rows:
        for name in row.coefficients:
            touching.setdefault(name, []).append(row)
    components = _components(rows)
    added: set[str] = set()
    for name in sorted(weak):
        near = candidates(touching.get(name, ()))
        near = [key for key in near if level(key) < 3] or near
        if not near or min(level(key) for key in near) >= 3:
            # Wider: any shown count of the linked tables, so that a region or the total is
            # hidden only when no more detailed count is left.
            members = next(rows_ for names, rows_ in components if name in names)
            wider = candidates(members)
            if wider and (not near or min(map(level, wider)) < min(map(level, near))):
                near = wider
        if near:
            added.add(min(near, key=rank))
    return added
