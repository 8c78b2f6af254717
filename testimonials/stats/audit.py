"""Which hidden counts a reader could still pin down from the shown ones.

Each partition gives a reader one linear equation, parent - sum(children) = 0; with the shown
counts moved to the right-hand side, the hidden counts are the unknowns. A reader also knows
that every hidden count is a whole number of at least 1 (zeros are shown).

We look for pinned counts in two ways, both exact (whole numbers, never floats):
- linear algebra: the equations in reduced row-echelon form; a reduced row with one unknown
  gives that count outright, through any chain of subtractions across linked tables. When
  nothing else is found, we add to the sums "this count is 1" for each hidden count that is 1
  in every solution with counts of at least 1 (found by linear programs in floating point,
  `implicit`); with them, linear algebra finds every count that a reader who solves linear
  programs could pin down;
- bounds: each equation, original or reduced, narrows each unknown's range given the others'
  ranges ("these three add up to 4 and each is at least 1, so none is more than 2"), repeated
  until nothing changes. A count whose lowest and highest possible values meet is pinned.

`narrowed` runs the same algebra and bounds with a floor of each hidden count's own (0 where
it may be 0): the cells inside one group's table (`group_table`), where zeros can be hidden.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from math import gcd

from testimonials.stats.implicit import implicit_ones
from testimonials.stats.report import Identity

Row = dict[str, int]
Equation = tuple[Row, int]  # sum(coefficient * count) == right-hand side, in whole numbers

# Bounds tighten by whole numbers and settle in a few passes on real reports; the cap only keeps
# a pathological chain from stalling a page (bounds cut short are looser, never wrong).
_MAX_PASSES = 200


def pinned(
    identities: Iterable[Identity], counts: Mapping[str, int], hidden: set[str] | frozenset[str]
) -> set[str]:
    """Hidden keys whose counts follow from the shown counts and the sums; none if no count does.

    `counts` holds the true count of every key, hidden ones too. Linear algebra and bounds run
    first; the linear programs (dearer) only when those find nothing, as suppression hides a cell
    and asks again while any is found. So an empty answer means that not even a reader who
    solves linear programs can pin a hidden count down.
    """
    equations = [_equation(identity, counts, hidden) for identity in identities]
    equations = [equation for equation in equations if equation[0]]
    found = _by_algebra_and_bounds(equations, hidden)
    if found:
        return found
    # Only a count that is truly 1 can be 1 in every solution (the truth is one of them).
    ones = implicit_ones(equations, {key for key in hidden if counts[key] == 1})
    if not ones:
        return found
    ones_equations: list[Equation] = [({key: 1}, 1) for key in sorted(ones)]
    return _by_algebra_and_bounds([*equations, *ones_equations], hidden)


def narrowed(identities: Iterable[Identity], counts: Mapping[str, int],
             hidden: set[str] | frozenset[str], floors: Mapping[str, int]) -> set[str]:
    """Hidden keys that linear algebra and bounds pin down when each hidden count is known to
    be at least its floor (0 where a hidden count may be 0: cells inside a group)."""
    equations = [_equation(identity, counts, hidden) for identity in identities]
    return _by_algebra_and_bounds([equation for equation in equations if equation[0]],
                                  hidden, floors)


def _by_algebra_and_bounds(equations: list[Equation], hidden: Iterable[str],
                           floors: Mapping[str, int] | None = None) -> set[str]:
    """The unknowns that reduced rows give outright or whose whole-number bounds meet."""
    # Whole numbers throughout (the reduction too): many times faster than fractions.
    scaled = [*_reduce(equations), *equations]
    low = {key: 1 if floors is None else floors.get(key, 1) for key in hidden}
    high: dict[str, int | None] = dict.fromkeys(hidden)  # None: no upper bound yet
    # An equation that moved nothing is not tried again until a bound of one of its unknowns
    # moves (it would move nothing again): the same passes, the same bounds, far fewer calls.
    moved_at = dict.fromkeys(low, 0)  # when each unknown's bounds last moved
    still_at = [-1] * len(scaled)  # when each equation last moved nothing (-1: not yet)
    clock = 0
    for _ in range(_MAX_PASSES):
        changed = False
        for index, equation in enumerate(scaled):
            since = still_at[index]
            if since >= 0 and all(moved_at[key] <= since for key in equation[0]):
                continue
            clock += 1
            moved = _tighten(equation, low, high)
            if moved:
                for key in moved:
                    moved_at[key] = clock
                still_at[index] = -1
                changed = True
            else:
                still_at[index] = clock
        if not changed:
            break
    return {key for key in hidden if high[key] == low[key]}


def _equation(identity: Identity, counts: Mapping[str, int], hidden: Container[str]) -> Equation:
    row: dict[str, int] = {}
    rhs = 0
    for key, sign in ((identity.parent, 1), *((child, -1) for child in identity.children)):
        if key in hidden:
            row[key] = row.get(key, 0) + sign
        else:
            rhs -= sign * counts[key]
    return {key: value for key, value in row.items() if value}, rhs


def _reduce(equations: Iterable[Equation]) -> list[Equation]:
    """The equations in reduced row-echelon form (dependent ones dropped), each row in whole
    numbers: its coefficients and right-hand side with no common factor, its pivot's positive
    (the row with pivot 1 in fractions, times the least common multiple of its denominators).

    Fraction-free: a row less a multiple of another is computed as p * row - c * other, with p
    the other's pivot coefficient (positive, so nothing changes sign), then divided by the
    common factor. Each row is a positive multiple of the row the same steps give in fractions,
    with the same keys in the same order; fractions cost several times more (a gcd per step).
    """
    basis: dict[str, Equation] = {}  # pivot key -> row; no row holds another row's pivot
    for source_row, source_rhs in equations:
        row, rhs = dict(source_row), source_rhs
        # The basis rows hold no other pivots, so one pass clears every pivot from the row.
        for pivot in [key for key in row if key in basis]:
            factor = row.get(pivot)
            if factor:
                rhs = _eliminate(row, rhs, basis[pivot], pivot, factor)
        if not row:
            continue
        pivot = min(row)
        new = _primitive(row, rhs, row[pivot])
        for key, (other, other_rhs) in list(basis.items()):
            factor = other.get(pivot)
            if factor:
                other_rhs = _eliminate(other, other_rhs, new, pivot, factor)
                basis[key] = _primitive(other, other_rhs, other[key])
        basis[pivot] = new
    return list(basis.values())


def _eliminate(target: dict[str, int], rhs: int, equation: Equation, pivot: str,
               factor: int) -> int:
    """target := p * target - factor * row (p: the row's coefficient of `pivot`, positive),
    in place, dropping zeros; returns the new right-hand side."""
    row, row_rhs = equation
    scale = row[pivot]
    if scale != 1:
        for key in target:
            target[key] *= scale
    for key, value in row.items():
        updated = target.get(key, 0) - factor * value
        if updated:
            target[key] = updated
        else:
            target.pop(key, None)
    return scale * rhs - factor * row_rhs


def _primitive(row: dict[str, int], rhs: int, lead: int) -> Equation:
    """The row and right-hand side divided by their common factor, signed so that `lead`'s
    coefficient (the row's pivot) is positive."""
    divisor = gcd(rhs, *row.values())
    if lead < 0:
        divisor = -divisor
    if divisor == 1:
        return dict(row), rhs
    return {key: value // divisor for key, value in row.items()}, rhs // divisor


def _tighten(
    equation: tuple[dict[str, int], int], low: dict[str, int], high: dict[str, int | None]
) -> list[str]:
    """Narrow each unknown's whole-number range from the others' ranges; the unknowns whose
    range moved."""
    row, rhs = equation
    # Each term a * x ranges over [least, most]; None is minus or plus infinity. The sums of
    # the finite ends, and how many are infinite, give every "sum of the others" at once.
    ends: list[tuple[str, int, int | None, int | None]] = []
    least: int | None
    most: int | None
    least_sum = most_sum = least_infinite = most_infinite = 0
    for key, a in row.items():
        lo, hi = low[key], high[key]
        if a > 0:
            least, most = a * lo, None if hi is None else a * hi
        else:
            least, most = None if hi is None else a * hi, a * lo
        if least is None:
            least_infinite += 1
        else:
            least_sum += least
        if most is None:
            most_infinite += 1
        else:
            most_sum += most
        ends.append((key, a, least, most))
    moved = []
    for key, a, own_least, own_most in ends:
        rest_low: int | None
        rest_high: int | None
        if own_least is None:
            rest_low = None if least_infinite > 1 else least_sum
        else:
            rest_low = None if least_infinite else least_sum - own_least
        if own_most is None:
            rest_high = None if most_infinite > 1 else most_sum
        else:
            rest_high = None if most_infinite else most_sum - own_most
        # a * x = rhs - rest, so a * x lies in [least, most]; None means unbounded.
        least = None if rest_high is None else rhs - rest_high
        most = None if rest_low is None else rhs - rest_low
        if a < 0:
            least, most = most, least
        changed = False
        # ceil(p / q) is -((-p) // q), and floor is //, for either sign of q.
        if least is not None and (bound := -(-least // a)) > low[key]:
            low[key], changed = bound, True
        if most is not None:
            bound, current = most // a, high[key]
            if current is None or bound < current:
                high[key], changed = bound, True
        if changed:
            moved.append(key)
    return moved
