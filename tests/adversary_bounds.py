"""The adversary's solver (tests/adversary.py): the smallest and largest whole value each
hidden count can take under what a reader knows, by linear and integer programs (HiGHS).

It is the check of the protection audit (testimonials/stats/protection.py), so it shares no
code with it: only the solver library.

How it finishes on a real site (a 200-person demo release: about 1,700 hidden counts under
3,500 relations), where one dense program per count and end did not:
- a relation over a single hidden count is a bound on it, not a row;
- the rows split the counts into linked components (counts joined by no chain of rows bound
  nothing of each other), and each component is its own program, built once;
- a component is solved again and again with another objective, HiGHS starting from the last
  basis (a few pivots each);
- every whole-numbered solution is a set of values the counts can take together: a count
  whose values seen so far already span what the caller asks needs no program of its own
  (`seen`), and a linear optimum at a whole-numbered point is the integer optimum, so an
  integer program runs only where the linear optimum is fractional, and not even there when
  a whole value seen already reaches it rounded inwards (no whole value passes that bound):
  on a 200-person demo release, 285 integer programs of 629 (issue 19: 21 s of CPU to 11);
- each program has a time limit; a count whose program did not finish is undecided (None),
  and the caller reports it rather than passing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Cell = tuple[int, str]
_TOLERANCE = 1e-6
# An integer program's box where nothing bounds a count: HiGHS's presolve cannot always tell
# infeasible from unbounded without one, and no count of a test or a demo comes near it.
_LARGE = 1e7
_MIXES = 6


class Contradiction(AssertionError):
    """The published figures contradict each other (no counts satisfy them all)."""

    def __init__(self) -> None:
        super().__init__("the published figures contradict each other")


class Polytope:
    """Hidden counts (whole numbers) between bounds, under rows low <= sum(c * count) <= high."""

    def __init__(self, cells: Sequence[Cell], lows: Mapping[Cell, float],
                 highs: Mapping[Cell, float | None],
                 rows: Iterable[tuple[Mapping[Cell, float], float, float]],
                 time_limit: float) -> None:
        self.position = {cell: i for i, cell in enumerate(cells)}
        self.low = np.array([float(lows.get(cell, 0.0)) for cell in cells])
        self.high = np.array([math.inf if highs.get(cell) is None else float(highs[cell])
                              for cell in cells])
        self.time_limit = time_limit
        kept: list[tuple[dict[int, float], float, float]] = []
        for terms, low, high in rows:
            row = {self.position[cell]: c for cell, c in terms.items() if c}
            if not row:
                if low > _TOLERANCE or high < -_TOLERANCE:
                    raise Contradiction
            elif len(row) == 1:
                ((i, c),) = row.items()
                self._narrow(i, *sorted((low / c, high / c)))
            else:
                kept.append((row, low, high))
        if np.any(self.low > self.high + _TOLERANCE):
            raise Contradiction
        self.component = _components(len(cells), [row for row, _low, _high in kept])
        members: dict[int, list[int]] = {}
        for i, root in enumerate(self.component):
            members.setdefault(root, []).append(i)
        rows_of: dict[int, list[tuple[dict[int, float], float, float]]] = {}
        for row in kept:
            rows_of.setdefault(self.component[next(iter(row[0]))], []).append(row)
        self._members, self._rows = members, rows_of
        self._solved: dict[int, _Component] = {}

    def _narrow(self, i: int, low: float, high: float) -> None:
        self.low[i] = max(self.low[i], low)
        self.high[i] = min(self.high[i], high)

    def components(self) -> list[list[Cell]]:
        cells = list(self.position)
        return [[cells[i] for i in members] for members in self._members.values()]

    def seen(self, cell: Cell) -> tuple[float, float]:
        """The smallest and largest whole value the count has taken in a solution found so
        far (the true interval holds it); (inf, -inf) before any."""
        part, j = self._part(cell)
        return part.seen(j)

    def lowest(self, cell: Cell, integer: bool = True) -> float | None:
        part, j = self._part(cell)
        return part.end(j, 1, integer)

    def highest(self, cell: Cell, integer: bool = True) -> float | None:
        part, j = self._part(cell)
        return part.end(j, -1, integer)

    def _part(self, cell: Cell) -> tuple[_Component, int]:
        root = self.component[self.position[cell]]
        if root not in self._solved:
            self._solved[root] = _Component(self._members[root], self._rows.get(root, []),
                                            self.low, self.high, self.time_limit)
        part = self._solved[root]
        return part, part.local[self.position[cell]]


def _components(size: int, rows: Sequence[Mapping[int, float]]) -> list[int]:
    """Each column's component root (union-find over the rows)."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in rows:
        first, *rest = row
        for other in rest:
            a, b = root(first), root(other)
            if a != b:
                parent[b] = a
    return [root(i) for i in range(size)]


@dataclass
class _Component:
    """One linked component's program, solved with one objective after another."""

    columns: list[int]
    rows: list[tuple[dict[int, float], float, float]]
    all_low: np.ndarray
    all_high: np.ndarray
    time_limit: float
    local: dict[int, int] = field(init=False)
    _ends: dict[tuple[int, int, bool], float | None] = field(init=False, default_factory=dict)
    _solver: Any = field(init=False, default=None)
    _integer: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.local = {column: j for j, column in enumerate(self.columns)}
        self.low = self.all_low[self.columns].copy()
        self.high = self.all_high[self.columns].copy()
        size = len(self.columns)
        self.seen_low = np.full(size, math.inf)
        self.seen_high = np.full(size, -math.inf)
        if not self.rows:  # one count alone: its bounds are its interval
            low, high = math.ceil(self.low[0] - _TOLERANCE), math.floor(self.high[0] + _TOLERANCE)
            if low > high:
                raise Contradiction
            self.seen_low[0], self.seen_high[0] = low, high
            self._ends.update({(0, 1, True): low, (0, -1, True): high,
                               (0, 1, False): self.low[0], (0, -1, False): self.high[0]})
            return
        import highspy

        self._highspy = highspy
        self._solver = self._new(integer=False)
        # Points to screen with: everyone small, everyone large, and a few random mixes.
        every = np.arange(size)
        chance = np.random.default_rng(size)
        for costs in (np.ones(size), -np.ones(size),
                      *(chance.choice([-1.0, 1.0], size) for _ in range(_MIXES))):
            self._run(self._solver, every, costs)

    def _new(self, integer: bool) -> Any:
        highspy = self._highspy
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        size = len(self.columns)
        lp.num_col_, lp.num_row_ = size, len(self.rows)
        lp.col_cost_ = np.zeros(size)
        lp.col_lower_ = self.low
        lp.col_upper_ = np.where(np.isinf(self.high), _LARGE if integer else inf, self.high)
        lp.row_lower_ = np.array([-inf if math.isinf(low) else low for _r, low, _h in self.rows])
        lp.row_upper_ = np.array([inf if math.isinf(high) else high for _r, _l, high in self.rows])
        starts, index, value = [0], [], []
        for row, _low, _high in self.rows:
            for column, coefficient in row.items():
                index.append(self.local[column])
                value.append(coefficient)
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, value
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = size, len(self.rows)
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * size
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        if not integer:  # one model solved many times from its last basis: a new objective
            solver.setOptionValue("presolve", "off")  # leaves it feasible, so primal simplex
            solver.setOptionValue("simplex_strategy", 4)
        solver.passModel(lp)
        return solver

    def seen(self, j: int) -> tuple[float, float]:
        return float(self.seen_low[j]), float(self.seen_high[j])

    def end(self, j: int, sign: int, integer: bool) -> float | None:
        """The least (sign 1) or greatest (sign -1) value of count j; None when undecided."""
        key = (j, sign, integer)
        if key not in self._ends:
            self._ends[key] = self._solve(j, sign, integer)
        return self._ends[key]

    def _solve(self, j: int, sign: int, integer: bool) -> float | None:
        found = self._run(self._solver, np.array([j]), np.array([float(sign)]))
        if found is None or math.isinf(found[0]) or not integer:
            return None if found is None else found[0]
        value, whole = found
        if whole:  # the linear optimum is a whole-numbered point: the integer optimum
            return float(round(value))
        # No whole value passes the linear optimum rounded inwards: one seen there is the
        # integer optimum, with no integer program.
        bound = math.ceil(value - _TOLERANCE) if sign == 1 else math.floor(value + _TOLERANCE)
        if (self.seen_low if sign == 1 else self.seen_high)[j] == bound:
            return float(bound)
        if self._integer is None:
            self._integer = self._new(integer=True)
        exact = self._run(self._integer, np.array([j]), np.array([float(sign)]))
        return None if exact is None else exact[0]

    def _run(self, solver: Any, columns: np.ndarray, costs: np.ndarray
             ) -> tuple[float, bool] | None:
        """Minimise sum(cost * count) over the given columns (others cost 0): count j's value
        at the optimum (for one column) and whether the point is whole-numbered; None when the
        time limit struck. Whole-numbered points widen what each count is seen to take."""
        highspy = self._highspy
        size = len(self.columns)
        solver.changeColsCost(size, np.arange(size, dtype=np.int32), np.zeros(size))
        solver.changeColsCost(len(columns), columns.astype(np.int32), costs)
        # HiGHS's time limit is on a solver's whole run time, this program's and all before.
        solver.setOptionValue("time_limit", solver.getRunTime() + self.time_limit)
        solver.run()
        status = solver.getModelStatus()
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible) and len(columns) == 1:
            if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
                raise AssertionError("HiGHS could not tell unbounded from infeasible")
            return -math.inf * costs[0], False
        if status == highspy.HighsModelStatus.kInfeasible:
            raise Contradiction
        if status != highspy.HighsModelStatus.kOptimal:
            return None  # time limit (or an unbounded screening direction)
        point = np.array(solver.getSolution().col_value)
        rounded = np.round(point)
        whole = bool(np.all(np.abs(point - rounded) < _TOLERANCE))
        if whole:
            np.minimum(self.seen_low, rounded, out=self.seen_low)
            np.maximum(self.seen_high, rounded, out=self.seen_high)
        return float(point[columns[0]]), whole
