"""The audit's screening rounds (protection._solve): the points they find settle many unknowns
without a program of their own, and change no verdict.

A two-way table with hidden cells and shown margins, as statistics offices model one: each
row and column sum is known, each hidden cell is at least 1. Every interval the audit gives
is checked against the exact one, found by the tests' own solver (tests/adversary_bounds.py,
which shares no code with the audit): an unknown is found wide enough exactly when it is,
a narrow one gets its exact interval, and a wide one an interval inside its exact one.
"""

from __future__ import annotations

import math
import random

import highspy
import pytest

from testimonials.stats import protection
from tests.adversary_bounds import Polytope

WIDTH = 4


def table(seed: int, size: int) -> tuple[dict[str, float], list[protection._Row], float]:
    """(true hidden counts, rows, largest count) of a size x size table, a quarter hidden."""
    chance = random.Random(seed)
    counts = {(i, j): chance.randint(1, 12) for i in range(size) for j in range(size)}
    hidden = {cell for cell in counts if chance.random() < 0.25}
    rows = []
    for line in [[(i, j) for j in range(size)] for i in range(size)] + \
            [[(i, j) for i in range(size)] for j in range(size)]:
        unknown = {f"c{i}_{j}": 1.0 for i, j in line if (i, j) in hidden}
        if unknown:
            rest = sum(counts[cell] for cell in line) - sum(counts[cell] for cell in line
                                                           if cell not in hidden)
            rows.append(protection._Row(unknown, float(rest), float(rest), ("margin",)))
    truth = {f"c{i}_{j}": float(counts[i, j]) for i, j in hidden}
    return truth, rows, float(sum(counts.values()))


def wide(_name: str, low: float, high: float) -> bool:
    return high - low + 1 >= WIDTH


def audited(truth: dict[str, float], rows: list[protection._Row],
            ceiling: float) -> dict[str, protection.Interval]:
    names = sorted(truth)
    return protection._solve(names, rows, ceiling, truth, wide, {}, frozenset())


def exact(truth: dict[str, float], rows: list[protection._Row],
          ceiling: float) -> dict[str, tuple[float, float]]:
    cells = [(0, name) for name in sorted(truth)]
    polytope = Polytope(cells, {cell: 1.0 for cell in cells},
                        {cell: ceiling for cell in cells},
                        [({(0, name): c for name, c in row.coefficients.items()},
                          row.low, row.high) for row in rows], time_limit=30)
    found = {}
    for cell in cells:
        low, high = polytope.lowest(cell, integer=False), polytope.highest(cell, integer=False)
        assert low is not None and high is not None
        found[cell[1]] = (math.ceil(low - 1e-6), math.floor(high + 1e-6))
    return found


@pytest.mark.parametrize("seed", [2, 3, 4, 6, 8, 9, 11])  # each with narrow counts
def test_screening_rounds_change_no_verdict_and_every_interval_is_within_the_exact_one(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    truth, rows, ceiling = table(seed, 20)
    want = exact(truth, rows, ceiling)
    assert any(not wide("", *interval) for interval in want.values())  # a real question
    # Programs of many unknowns at once (the screening's: `pushed`) change many costs at once.
    change = highspy.Highs.changeColsCost
    sums: list[int] = []

    def counted(solver: highspy.Highs, *args: object) -> object:
        sums[-1] += 1
        return change(solver, *args)

    monkeypatch.setattr(highspy.Highs, "changeColsCost", counted)
    for least in (10**9, 0):  # without rounds, then with them from the first unknown left
        monkeypatch.setattr(protection, "GROUP_SCREEN_LEAST", least)
        sums.append(0)
        got = audited(truth, rows, ceiling)
        assert got.keys() == want.keys()
        for name, (low, high) in got.items():
            assert wide(name, low, high) == wide(name, *want[name]), (name, want[name])
            if wide(name, *want[name]):
                assert want[name][0] <= low and high <= want[name][1], (name, want[name])
            else:
                assert (low, high) == want[name], name
    assert sums[1] > sums[0]  # the rounds ran (here they save few programs: a small table)
