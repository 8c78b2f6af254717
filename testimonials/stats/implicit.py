"""Which hidden counts are exactly 1 in every solution a reader can write down.

A reader knows the partition sums over the hidden counts, A x = b, and that each hidden count is
at least 1 (zeros are shown). Every x in P = {x : A x = b, x >= 1} is consistent with what is
shown. The smallest affine space holding P is {x : A x = b, x_i = 1 for i in E}, where E, the
"implicit equalities", are the hidden counts that are 1 at every point of P. So a hidden count
takes one value over all of P (a reader who solves linear programs pins it down) exactly when
linear algebra gives it from the sums together with x_i = 1 for each i in E: `audit.pinned`
adds those equations to its exact row reduction, and needs this module only to find E.

Finding E: with candidates C, solve
    maximise sum(s_i, i in C)  subject to  A x = b,  x >= 1,  x_i - s_i >= 1,  0 <= s_i <= 1.
A candidate with s_i > 0 is above 1 at that point, so it is not in E and leaves C. Repeat until
none leaves: then the optimum is 0, so no point of P lifts any remaining candidate above 1, and
C is E. Each round drops one candidate at least, and the first usually drops all but E.

Two shortcuts, both exact. The true counts are a point of P, so only a hidden count whose true
value is 1 can be in E: the caller passes those as candidates, and when there are none no
program is solved at all. And sums link only the counts they name, so P is a product over the
connected groups of hidden counts: the groups without a candidate are left out of the program
(one program for the rest: HiGHS solves it faster than many small ones).

The programs are solved in floating point by HiGHS; the data are small whole numbers, so a
count the solver lifts above 1 by more than its tolerance really can be above 1.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Mapping, Set
from fractions import Fraction
from typing import Any

# sum(coefficient * count) == right-hand side, exact (`audit` gives whole numbers)
Equation = tuple[Mapping[str, Fraction | int], Fraction | int]

# Above the solver's feasibility tolerance (1e-7): a candidate lifted by more is not in E.
_LIFTED = 1e-6

_first_solver = threading.Lock()
_banner_shown = False


def implicit_ones(equations: Iterable[Equation], candidates: Set[str]) -> set[str]:
    """The candidates that are 1 whenever the equations hold with every unknown at least 1."""
    keys: set[str] = set()
    rows: list[Equation] = []
    for group_keys, group_rows in _components(equations):
        if candidates & group_keys:
            keys |= group_keys
            rows += group_rows
    return _solve(keys, rows, candidates & keys) if keys else set()


def _components(equations: Iterable[Equation]) -> list[tuple[set[str], list[Equation]]]:
    """The equations grouped by the unknowns they link, with each group's unknowns."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    kept = [equation for equation in equations if equation[0]]
    for row, _rhs in kept:
        first, *rest = row
        for key in rest:
            parent[root(key)] = root(first)
    groups: dict[str, tuple[set[str], list[Equation]]] = {}
    for equation in kept:
        keys, rows = groups.setdefault(root(next(iter(equation[0]))), (set(), []))
        keys.update(equation[0])
        rows.append(equation)
    return list(groups.values())


def _solve(keys: set[str], rows: list[Equation], wanted: Set[str]) -> set[str]:
    """The wanted keys that no point of {rows hold, every key >= 1} lifts above 1."""
    # Imported here, not at the top: a worker that reads stored results never loads it (20 MB),
    # and the gunicorn master, which loads the app before forking, never starts its threads.
    import highspy

    columns = {key: index for index, key in enumerate(sorted(keys))}
    lifts = sorted(wanted)  # s_i, after the counts
    first_lift = len(columns)
    starts, indices, values, lower, upper = [0], [], [], [], []
    for row, rhs in rows:
        indices += [columns[key] for key in row]
        values += [float(value) for value in row.values()]
        starts.append(len(indices))
        lower.append(float(rhs))
        upper.append(float(rhs))
    for offset, key in enumerate(lifts):  # x_i - s_i >= 1
        indices += [columns[key], first_lift + offset]
        values += [1.0, -1.0]
        starts.append(len(indices))
        lower.append(1.0)
        upper.append(highspy.kHighsInf)

    lp = highspy.HighsLp()
    lp.num_col_ = first_lift + len(lifts)
    lp.num_row_ = len(lower)
    lp.col_cost_ = [0.0] * first_lift + [1.0] * len(lifts)
    lp.col_lower_ = [1.0] * first_lift + [0.0] * len(lifts)
    lp.col_upper_ = [highspy.kHighsInf] * first_lift + [1.0] * len(lifts)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, values

    solver = _new_solver(highspy)
    solver.passModel(lp)
    remaining = set(range(len(lifts)))
    while remaining:
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # Cannot happen (the true counts are a solution, and the optimum is at most the
            # number of candidates). Taking the rest as 1 hides more, never less.
            break
        solution = solver.getSolution().col_value
        lifted = {offset for offset in remaining if solution[first_lift + offset] > _LIFTED}
        if not lifted:
            break
        remaining -= lifted
        for offset in lifted:
            solver.changeColBounds(first_lift + offset, 0.0, 0.0)
    return {lifts[offset] for offset in remaining}


def _new_solver(highspy: Any) -> Any:
    """A quiet HiGHS solver.

    HiGHS writes a copyright banner to the process's standard output (file descriptor 1, below
    Python) the first time a solver is made in a process, whatever its options say. Standard
    output is data in places (`flask export stats` writes its CSV there), so the first solver
    is made with descriptor 1 pointed at /dev/null; a lock keeps other threads from making one
    meanwhile.
    """
    global _banner_shown
    with _first_solver:
        if not _banner_shown:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as devnull:
                    os.dup2(devnull.fileno(), 1)
                    highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_shown = True
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    return solver
