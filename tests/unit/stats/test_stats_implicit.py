"""Hidden counts that are 1 in every solution of the sums with counts of at least 1."""

import subprocess
import sys
from fractions import Fraction

import pytest

from testimonials.stats.implicit import implicit_ones


def equation(rhs, *keys, minus=()):
    row = {key: Fraction(1) for key in keys} | {key: Fraction(-1) for key in minus}
    return row, Fraction(rhs)


CASES = {
    "two cells adding up to 2 are both 1": ([equation(2, "a", "b")], {"a", "b"}, {"a", "b"}),
    "three adding up to 4: any can be 2": ([equation(4, "a", "b", "c")], {"a", "b"}, set()),
    "only candidates are answered": ([equation(2, "a", "b")], {"a"}, {"a"}),
    "a count in no sum has no upper bound": ([equation(2, "a", "b")], {"z"}, set()),
    "a difference bounds nothing": ([equation(0, "a", minus=("b",))], {"a", "b"}, set()),
    "linked sums: a + r = 4 with r = x + y + z": (
        [equation(4, "a", "r"), equation(0, "r", minus=("x", "y", "z"))],
        {"a", "x", "y", "z"},
        {"a", "x", "y", "z"},
    ),
    "unlinked groups answer alone": (
        [equation(2, "a", "b"), equation(5, "c", "d")],
        {"a", "c"},
        {"a"},
    ),
}


@pytest.mark.parametrize("equations, candidates, ones", CASES.values(), ids=CASES.keys())
def test_implicit_ones(equations, candidates, ones):
    assert implicit_ones(equations, candidates) == ones


def test_no_candidates_no_program():
    assert implicit_ones([equation(2, "a", "b")], set()) == set()


def test_the_solver_writes_nothing_to_standard_output():
    # HiGHS prints a banner on file descriptor 1 for the first solver of a process, and
    # `flask export stats` writes its CSV there: run in a fresh process to see the first one.
    script = (
        "from fractions import Fraction as F\n"
        "from testimonials.stats.implicit import implicit_ones\n"
        "print('before', flush=True)\n"
        "print(sorted(implicit_ones([({'a': F(1), 'b': F(1)}, F(2))], {'a'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout == "before\n['a']\n"
