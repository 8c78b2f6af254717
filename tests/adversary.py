"""The hostile reader of SPEC section 5, as linear and integer programs over what he can download.

He reads every filter of every release (the views the JSON and CSV carry) and every published
story, and knows:
- every shown count exactly, and that a hidden count is at least 1 (zeros are shown) and at
  least the published stories counted in it (their answers are on their pages);
- every partition (parent = sum of its children);
- every inequality a part never breaks: a child of a non-partition breakdown (care types,
  outcomes) is at most its parent; a wait series or an outcome in a scope is at most the
  people in that scope;
- across releases, that a cumulative count never falls (he assumes no withdrawals, which
  only makes him stronger): x in release t >= x in release t - 1.
He subtracts the published stories from every shown count: when 1 to min_cell - 1
statistics-only people are left in a group, he has their number and, from its figures, their
answers. For every hidden count, and for every count's change between two consecutive releases
less the published stories it gained (the statistics-only people who joined), he solves min and max by
linear programming, then by integer programming (counts are whole numbers) where the linear
bounds leave little room. A hidden count less its published stories (its statistics-only
people) is "narrowed" when he knows it is at least 1 and fewer than the protection width of
values remain (and they do not cover 1 to min_cell - 1, all that "hidden" says); a change is
"narrowed" when, besides, he learns that 1 to min_cell - 1 people joined: comparing two
releases then tells him about a handful of people, one person when it is pinned to 1.

Written apart from `testimonials.stats.protection` (it reads only the published views), so
that the audit is checked by a reader who does not share its code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from testimonials.stats.page import all_filters
from testimonials.stats.releases import Release
from testimonials.stats.report import ShownGroup

Cell = tuple[int, str]  # (release index, group key)
Counts = Mapping[tuple[str, str], int]  # (family, scope) -> published stories counted in it


@dataclass
class Knowledge:
    """Variables (hidden counts, one per release and key), and what binds them."""

    shown: dict[Cell, int] = field(default_factory=dict)
    hidden: list[Cell] = field(default_factory=list)
    stories: dict[Cell, int] = field(default_factory=dict)  # published stories in each group
    equal: set[tuple[Cell, tuple[Cell, ...]]] = field(default_factory=set)
    at_most: set[tuple[Cell, Cell]] = field(default_factory=set)  # a <= b
    releases: int = 0


def read(releases: Sequence[Release], stories: Sequence[Counts] | None = None) -> Knowledge:
    """Everything a reader can take from every filter of these releases and the stories
    published by each release's cut (`stories[i]`, by family and scope)."""
    knowledge = Knowledge(releases=len(releases))
    hidden: dict[Cell, None] = {}
    for index, release in enumerate(releases):
        known = stories[index] if stories else {}
        for view_filter in all_filters(release.dims):
            view = release.view(view_filter)
            for top in [view.respondents, *(series.group for series in view.series)]:
                _walk(index, top, knowledge, hidden, known)
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
    return knowledge


def _story(known: Counts, key: str) -> int:
    family, _, scope = key.partition("|")
    return int(known.get((family, scope), 0))


def _walk(index: int, group: ShownGroup, knowledge: Knowledge,  # type: ignore[type-arg]
          hidden: dict[Cell, None], known: Counts) -> None:
    cell = (index, group.key)
    if "|none:" not in group.key:
        knowledge.stories.setdefault(cell, _story(known, group.key))
    if group.suppressed:
        hidden[cell] = None
    else:
        knowledge.shown[cell] = int(group.count or 0)
    for breakdown in group.breakdowns:
        children = tuple((index, child.key) for child in breakdown.groups)
        if breakdown.partition:
            knowledge.equal.add((cell, children))
            rest = [child for child in children if "|none:" in child[1]]
            if rest:  # the stories with no value here: the parent's less the others'
                knowledge.stories[rest[0]] = knowledge.stories[cell] - sum(
                    _story(known, child[1]) for child in children if child != rest[0])
        else:
            for child in children:
                knowledge.at_most.add((child, cell))
        for child in breakdown.groups:
            _walk(index, child, knowledge, hidden, known)


@dataclass(frozen=True)
class Target:
    kind: str  # "count", "change" or "residual" (a shown count less its stories)
    cell: Cell  # for a change, the later release's
    terms: tuple[tuple[int, float], ...]  # (variable, coefficient)
    offset: float


def targets(knowledge: Knowledge) -> list[Target]:
    position = {cell: i for i, cell in enumerate(knowledge.hidden)}
    found = [Target("count", cell, ((i, 1.0),), -float(knowledge.stories.get(cell, 0)))
             for cell, i in position.items()]
    for cell, count in knowledge.shown.items():  # a shown group less its published stories
        found.append(Target("residual", cell, (), count - knowledge.stories.get(cell, 0)))
    cells = set(knowledge.shown) | set(position)
    for index, key in sorted(cells):
        before = (index - 1, key)
        if not index or before not in cells:
            continue
        terms, offset = [], 0.0
        for cell, sign in (((index, key), 1.0), (before, -1.0)):
            if cell in position:
                terms.append((position[cell], sign))
            else:
                offset += sign * knowledge.shown[cell]
            offset -= sign * knowledge.stories.get(cell, 0)
        found.append(Target("change", (index, key), tuple(terms), offset))
    return found


def weak(kind: str, low: float, high: float, width: int, min_cell: int) -> bool:
    if high - low + 1 >= width or (low <= 1 and high >= min_cell - 1):
        return False
    return low >= 1 and (kind == "count" or low < min_cell)


class Programs:
    """The reader's linear and integer programs over one set of releases."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.size = len(knowledge.hidden)
        position = {cell: i for i, cell in enumerate(knowledge.hidden)}
        rows, cols, values, lower, upper = [], [], [], [], []
        relations = [(parent, children, True) for parent, children in knowledge.equal]
        relations += [(small, (big,), False) for small, big in knowledge.at_most]
        for left, right, equal in relations:
            entries: dict[int, float] = {}
            constant = 0.0
            for cell, sign in ((left, 1.0), *((child, -1.0) for child in right)):
                if cell in position:
                    entries[position[cell]] = entries.get(position[cell], 0.0) + sign
                else:
                    constant -= sign * knowledge.shown.get(cell, 0)
            entries = {col: value for col, value in entries.items() if value}
            if not entries:
                continue
            for col, value in entries.items():
                rows.append(len(lower))
                cols.append(col)
                values.append(value)
            lower.append(constant if equal else -np.inf)
            upper.append(constant)
        self.matrix = csr_matrix((values, (rows, cols)), shape=(len(lower), self.size))
        self.lower, self.upper = np.array(lower), np.array(upper)
        ceiling = 10.0**6  # far above any count: counts grow, so nothing shown bounds them
        self.low_bounds = np.array([max(1.0, float(knowledge.stories.get(cell, 0)))
                                    for cell in knowledge.hidden])
        self.high_bounds = np.maximum(self.low_bounds, ceiling)

    def part(self, columns: np.ndarray) -> Programs:
        """The programs over some variables only, with the rows that bind them (a linked
        group: the rows that name them name no other variable)."""
        sub = object.__new__(Programs)
        sub.size = len(columns)
        matrix = self.matrix[:, columns]
        rows = np.nonzero(np.asarray(abs(matrix).sum(axis=1)).ravel() > 0)[0]
        sub.matrix = matrix[rows]
        sub.lower, sub.upper = self.lower[rows], self.upper[rows]
        sub.low_bounds, sub.high_bounds = self.low_bounds[columns], self.high_bounds[columns]
        return sub

    def linear(self, objective: np.ndarray) -> tuple[float, np.ndarray]:
        equal = self.lower == self.upper
        result = linprog(
            objective,
            A_ub=self.matrix[~equal] if (~equal).any() else None,
            b_ub=self.upper[~equal] if (~equal).any() else None,
            A_eq=self.matrix[equal] if equal.any() else None,
            b_eq=self.upper[equal] if equal.any() else None,
            bounds=np.column_stack([self.low_bounds, self.high_bounds]), method="highs")
        if result.status != 0:
            raise AssertionError(f"the published figures contradict each other: {result.message}")
        return float(result.fun), result.x

    def integer(self, objective: np.ndarray) -> float:
        constraints = [LinearConstraint(self.matrix, self.lower, self.upper)] if self.matrix.shape[0] else []
        result = milp(objective, constraints=constraints, integrality=np.ones(self.size),
                      bounds=Bounds(self.low_bounds, self.high_bounds))
        if result.status != 0:
            raise AssertionError(f"no whole-number solution: {result.message}")
        return float(result.fun)


def intervals(knowledge: Knowledge, width: int, min_cell: int
              ) -> dict[tuple[str, Cell], tuple[float, float]]:
    """The interval of every hidden count and every change that might be weak.

    Figures that points a reader cannot rule out already show to span enough are left out.
    """
    found_targets = targets(knowledge)
    programs = Programs(knowledge) if knowledge.hidden else None
    rows, cols, values = [], [], []
    for row, target in enumerate(found_targets):
        for i, c in target.terms:
            rows.append(row)
            cols.append(i)
            values.append(c)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(found_targets), len(knowledge.hidden)))
    offsets = np.array([target.offset for target in found_targets])
    seen_low = np.full(len(found_targets), np.inf)
    seen_high = np.full(len(found_targets), -np.inf)
    index = {target: row for row, target in enumerate(found_targets)}

    def see(point: np.ndarray) -> None:
        nonlocal seen_low, seen_high
        value = matrix @ point + offsets
        seen_low, seen_high = np.minimum(seen_low, value), np.maximum(seen_high, value)

    seen_point = None  # a whole point of the system, to complete a linked group's points
    label = np.zeros(0, dtype=np.int64)
    parts: dict[int, tuple[np.ndarray, Programs | None]] = {}
    if programs is not None:
        for sign in (1.0, -1.0):
            seen_point = programs.linear(sign * np.ones(programs.size))[1]
            see(seen_point)
        # Many open figures pulled each its own random way at once: one program moves many.
        draw = np.random.default_rng(0)
        for _round in range(12):
            open_rows = [row for row, target in enumerate(found_targets) if target.terms
                         and weak(target.kind, np.ceil(seen_low[row] - 1e-6),
                                  np.floor(seen_high[row] + 1e-6), width, min_cell)]
            if len(open_rows) < 8:
                break
            pulls = draw.choice([-1.0, 1.0], len(open_rows)) * draw.uniform(0.5, 1.5, len(open_rows))
            see(programs.linear(matrix[open_rows].T @ pulls)[1])
        links = (abs(programs.matrix).T @ abs(programs.matrix)).tocsr()
        _count, label = connected_components(links, directed=False)
    found = {}
    for target in found_targets:
        if not target.terms:
            found[(target.kind, target.cell)] = (target.offset, target.offset)
            continue
        assert programs is not None
        row = index[target]
        if not weak(target.kind, np.ceil(seen_low[row] - 1e-6),
                    np.floor(seen_high[row] + 1e-6), width, min_cell):
            continue
        group = label[target.terms[0][0]]
        if group not in parts:
            parts[group] = (np.nonzero(label == group)[0], None)
        columns, part = parts[group]
        if part is None:
            part = programs.part(columns)
            parts[group] = (columns, part)
        where = {int(column): i for i, column in enumerate(columns)}
        objective = np.zeros(part.size)
        for i, c in target.terms:
            objective[where[i]] = c
        low_value, low_point = part.linear(objective)
        high_value, high_point = part.linear(-objective)
        for point in (low_point, high_point):
            whole = (seen_point.copy() if seen_point is not None else np.ones(programs.size))
            whole[columns] = point
            see(whole)
        low = float(np.ceil(target.offset + low_value - 1e-6))
        high = float(np.floor(target.offset - high_value + 1e-6))
        if not weak(target.kind, low, high, width, min_cell) and (
                high - low + 1 < width + 2 or (low <= 1 and high < min_cell + 1)):
            # Whole numbers only: the integer hull can be a value or two narrower.
            low = target.offset + round(part.integer(objective))
            high = target.offset - round(part.integer(-objective))
        found[(target.kind, target.cell)] = (low, high)
    return found


def narrowed(releases: Sequence[Release], width: int, stories: Sequence[Counts] | None = None,
             min_cell: int | None = None) -> dict[tuple[str, Cell], tuple[float, float]]:
    """The hidden counts and changes a reader can narrow too far (see the module docstring)."""
    min_cell = min_cell or width
    found = intervals(read(releases, stories), width, min_cell)
    return {name: (low, high) for name, (low, high) in found.items()
            if weak(name[0], low, high, width, min_cell)}
