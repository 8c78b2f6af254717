"""The audit's row reduction in whole numbers gives exactly the rows it gave in fractions.

`audit._reduce` eliminated in exact fractions, then each reduced row was scaled to whole
numbers for the bounds (by the least common multiple of its denominators); it now eliminates
fraction-free, several times faster. The fraction version is kept here as the reference: both
must give the same rows, key for key and in the same order.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import hypothesis.strategies as st
from hypothesis import given, settings

from testimonials.stats import audit
from testimonials.stats.group_table import identities

Row = dict[str, Fraction]
Equation = tuple[Row, Fraction]


def reduce_in_fractions(equations: list[audit.Equation]) -> list[tuple[dict[str, int], int]]:
    """The reduction as it was (reduced row-echelon form in fractions, pivot 1), each row then
    scaled to whole numbers as the bounds took it."""
    basis: dict[str, Equation] = {}
    for source_row, source_rhs in equations:
        row = {key: Fraction(value) for key, value in source_row.items()}
        rhs = Fraction(source_rhs)
        for pivot in [key for key in row if key in basis]:
            factor = row.get(pivot)
            if factor:
                rhs -= factor * subtract(row, basis[pivot], factor)
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        new: Equation = ({key: value / scale for key, value in row.items()}, rhs / scale)
        for key, (other, other_rhs) in list(basis.items()):
            factor = other.get(pivot)
            if factor:
                basis[key] = (other, other_rhs - factor * subtract(other, new, factor))
        basis[pivot] = new
    return [integral(equation) for equation in basis.values()]


def integral(equation: Equation) -> tuple[dict[str, int], int]:
    """The equation multiplied by the least common multiple of its denominators."""
    row, rhs = equation
    scale = lcm(rhs.denominator, *(value.denominator for value in row.values()))
    return ({key: int(value * scale) for key, value in row.items()}, int(rhs * scale))


def subtract(target: Row, equation: Equation, factor: Fraction) -> Fraction:
    row, rhs = equation
    for key, value in row.items():
        updated = target.get(key, Fraction(0)) - factor * value
        if updated:
            target[key] = updated
        else:
            target.pop(key, None)
    return rhs


def in_order(rows: list[tuple[dict[str, int], int]]) -> list[tuple[list[tuple[str, int]], int]]:
    return [(list(row.items()), rhs) for row, rhs in rows]


KEYS = [f"k{index}" for index in range(9)]
equation = st.tuples(
    st.dictionaries(st.sampled_from(KEYS), st.integers(-3, 3).filter(bool), min_size=1,
                    max_size=6),
    st.integers(-20, 20))


@settings(max_examples=300, deadline=None)
@given(st.lists(equation, max_size=10))
def test_whole_number_reduction_gives_the_rows_of_the_fraction_one(
        system: list[tuple[dict[str, int], int]]) -> None:
    assert in_order(audit._reduce(system)) == in_order(reduce_in_fractions(system))



def test_a_group_table_reduces_to_the_same_rows() -> None:
    # The sums inside one group (`group_table.identities`), with a handful of cells hidden:
    # the systems `across` solves thousands of times a release.
    names = sorted({name for identity in identities(14)
                    for name in (identity.parent, *identity.children)})
    hidden = set(names[::3])
    counts = {name: index % 7 for index, name in enumerate(names)}
    equations = [audit._equation(identity, counts, hidden) for identity in identities(14)]
    equations = [found for found in equations if found[0]]
    assert equations
    assert in_order(audit._reduce(equations)) == in_order(reduce_in_fractions(equations))
