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


@settings(max_examples=100, deadline=None)
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


def tighten_as_it_was(equation: tuple[dict[str, int], int], low: dict[str, int],
                      high: dict[str, int | None]) -> bool:
    """The bounds step as it was (a term's range, then the sum of the others')."""
    row, rhs = equation

    def times(a: int, lo: int, hi: int | None) -> tuple[int | None, int | None]:
        if a > 0:
            return a * lo, None if hi is None else a * hi
        return None if hi is None else a * hi, a * lo

    def without(terms: list[int | None], term: int | None) -> int | None:
        infinite = terms.count(None)
        finite = sum(value for value in terms if value is not None)
        if term is None:
            return None if infinite > 1 else finite
        return None if infinite else finite - term

    terms = {key: times(a, low[key], high[key]) for key, a in row.items()}
    lows, highs = [term[0] for term in terms.values()], [term[1] for term in terms.values()]
    changed = False
    for key, a in row.items():
        rest_low, rest_high = without(lows, terms[key][0]), without(highs, terms[key][1])
        least = None if rest_high is None else rhs - rest_high
        most = None if rest_low is None else rhs - rest_low
        if a < 0:
            least, most = most, least
        if least is not None and (bound := -(-least // a)) > low[key]:
            low[key], changed = bound, True
        if most is not None:
            bound, current = most // a, high[key]
            if current is None or bound < current:
                high[key], changed = bound, True
    return changed


def pinned_as_it_was(equations: list[audit.Equation], hidden: set[str],
                     floors: dict[str, int]) -> set[str]:
    """`audit._by_algebra_and_bounds` as it was: every equation tried in every pass."""
    scaled = [*reduce_in_fractions(equations), *equations]
    low = {key: floors.get(key, 1) for key in hidden}
    high: dict[str, int | None] = dict.fromkeys(hidden)
    for _ in range(audit._MAX_PASSES):
        changed = False
        for equation in scaled:
            changed |= tighten_as_it_was(equation, low, high)
        if not changed:
            break
    return {key for key in hidden if high[key] == low[key]}


@settings(max_examples=100, deadline=None)
@given(st.lists(equation, min_size=1, max_size=8),
       st.dictionaries(st.sampled_from(KEYS), st.integers(0, 6)),
       st.dictionaries(st.sampled_from(KEYS), st.integers(0, 2)),
       st.booleans())
def test_the_bounds_pin_the_same_counts_as_before(
        system: list[tuple[dict[str, int], int]], truth: dict[str, int],
        floors: dict[str, int], consistent: bool) -> None:
    # Consistent systems (the right-hand sides from true counts, as a release's are) and
    # arbitrary ones (bounds that cross, cut short by the cap on passes).
    if consistent:
        system = [(row, sum(a * truth.get(key, 1) for key, a in row.items()))
                  for row, _rhs in system]
    hidden = {key for row, _rhs in system for key in row}
    assert audit._by_algebra_and_bounds(system, hidden, floors) == pinned_as_it_was(
        system, hidden, floors)


@settings(max_examples=100, deadline=None)
@given(equation, st.dictionaries(st.sampled_from(KEYS), st.integers(-5, 5)),
       st.dictionaries(st.sampled_from(KEYS), st.one_of(st.none(), st.integers(-5, 30))))
def test_one_bounds_step_moves_the_same_bounds_as_before(
        row_and_rhs: tuple[dict[str, int], int], lows: dict[str, int],
        highs: dict[str, int | None]) -> None:
    row, _rhs = row_and_rhs
    low = {key: lows.get(key, 0) for key in row}
    high = {key: highs.get(key) for key in row}
    low_before, high_before = dict(low), dict(high)
    moved = audit._tighten(row_and_rhs, low, high)
    assert tighten_as_it_was(row_and_rhs, low_before, high_before) == bool(moved)
    assert (low, high) == (low_before, high_before)
    assert set(moved) == {key for key in row
                          if (low[key], high[key]) != (lows.get(key, 0), highs.get(key))}
