"""A shown group's counts as one table, which of its cells to withhold, and what would give
one back (pure).

Inside a group of one wait series every count a release can publish is a cell of one table:
rows are the six bands and the answers without days, columns how the wait stood (ended,
still waiting, gave up, never offered). A reader knows every sum in it: the cells of a band
to its total, the band totals to the answers with days (`n_in_estimate`, the n of every
estimate), a state's cells and its answers without days to its count, the states to the
group's count, and the answers without days (`n_without_days`: the count less the answers
with days, both shown) to those of "gave up" and "never offered". Where the standard is a
band's edge, the count over it (`n_over_standard`, with `n_at_standard`) is the answers with
days less the bands within it. The same cells add up across groups too (a region is the sum
of its facilities): `across` protects them there, with these names.

`withheld_cells` is the rule inside a group: a count of 1 to `min_cell` - 1 is withheld, and
so are as many others as it takes that the withheld ones of each sum are two or more adding
up to `min_cell` or more (`inner` says it for each kind of cell); a withheld cell alone in its
band takes the band's total with it (else it is that total), and with fewer than `min_cell`
answers with days no band is shown at all, not even as 0; `forced` are cells withheld across
groups. `gives_back` then solves the sums (linear algebra and bounds, `audit`) for every
withheld count, for a reader who knows which withheld cells are not 0: where one would be
pinned (a withheld "gave up" whose band cells are all 0 is the answers without days
less the "never offered" ones), the group's figures are not shown at all, as a group with a
few answers beyond its stories (its count stays): nothing else can hide the count less the n
of the estimates, which every estimate needs.

The answers without days together are published (the count less the estimates' n): a small
number of them is a number a reader can work out, said in the methods note. What must not
follow from it is a withheld count; the check above sees to that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from testimonials.stats.audit import narrowed
from testimonials.stats.bands import BANDS, count_bands
from testimonials.stats.histogram import Histogram, normalise, tally
from testimonials.stats.report import Identity
from testimonials.stats.summary import count_at_standard, count_over_standard

STATES = ("n_ended", "n_waiting", "n_gave_up", "n_never_offered")
COLUMNS = ("ended", "waiting", "gave_up", "never_offered")  # a band's cells, in this order
# Each state's answers without days (a part of it); ended and waiting always give days.
WITHOUT_DAYS = {"n_gave_up": "n_gave_up_without_days",
                "n_never_offered": "n_never_offered_without_days"}
ALL_WITHOUT_DAYS = "n_without_days"  # the count less the answers with days
OVER, AT = "n_over_standard", "n_at_standard"
NO_FIGURES = "no_figures"  # in a forced set: the group's figures are not shown at all


def cell(band: int, column: int) -> str:
    """A band cell's name, as the CSV's measure: "band_0-14_gave_up"."""
    return f"band_{BANDS[band].key}_{COLUMNS[column]}"


def total(band: int) -> str:
    return f"band_{BANDS[band].key}"


CELLS = tuple(cell(band, column) for band in range(len(BANDS)) for column in range(4))
TOTALS = tuple(total(band) for band in range(len(BANDS)))
# Every count of a group that adds up across groups (a parent's is its children's sum).
NAMES = (*STATES, *WITHOUT_DAYS.values(), ALL_WITHOUT_DAYS, *CELLS, *TOTALS, OVER, AT)


def cells_of(histogram: Histogram, standard_days: int | None) -> dict[str, int]:
    """Every count of `NAMES` in one histogram (no standard: nothing over or at it)."""
    clean = normalise(histogram)
    counted = tally(clean)
    found = {"n_ended": counted.ended, "n_waiting": counted.waiting,
             "n_gave_up": counted.gave_up, "n_never_offered": counted.never_offered,
             "n_gave_up_without_days": counted.gave_up_without_days,
             "n_never_offered_without_days": counted.never_offered_without_days,
             ALL_WITHOUT_DAYS: counted.total - counted.with_days,
             OVER: 0 if standard_days is None else count_over_standard(clean, standard_days),
             AT: 0 if standard_days is None else count_at_standard(clean, standard_days)}
    for row, band in enumerate(count_bands(clean)):
        for column, value in enumerate(band.cells):
            found[cell(row, column)] = value or 0
        found[total(row)] = band.total or 0
    return found


def withheld_cells(values: Mapping[str, int], min_cell: int, forced: Set[str] = frozenset(),
                   standard_days: int | None = None, *, check: bool = True
                   ) -> frozenset[str] | None:
    """The cells of `NAMES` to withhold in a shown group (`values`: its true counts), or None
    when its figures cannot be shown without giving one back (see the module's note).

    `check` False: the rule only, without solving the sums (`across` checks once at the end).
    """
    if NO_FIGURES in forced or (values.get(ALL_WITHOUT_DAYS) and ALL_WITHOUT_DAYS in forced):
        return None  # the answers without days are the count less the estimates' n
    found: set[str] = set()
    states = [values[name] for name in STATES]
    withheld = {index for index, value in enumerate(states)
                if 0 < value < min_cell or (value and STATES[index] in forced)}
    complete(states, withheld, min_cell)
    found.update(STATES[index] for index in withheld)
    # A withheld state's answers without days go with it (a part of it); two small ones of
    # 1 to min_cell - 1 together, when both are there (their sum is published).
    without = [values[name] for name in WITHOUT_DAYS.values()]
    for state, name in WITHOUT_DAYS.items():
        if state in found or (values[name] and name in forced):
            found.add(name)
    if all(without) and any(value < min_cell for value in without):
        found.update(WITHOUT_DAYS.values())
    grid = [[values[cell(row, column)] for column in range(4)] for row in range(len(BANDS))]
    columns = frozenset(index for index, name in enumerate(STATES) if name in found)
    cells, rows = band_withheld(
        grid, min_cell, with_days(values), columns,
        frozenset((row, column) for row in range(len(BANDS)) for column in range(4)
                  if cell(row, column) in forced),
        frozenset(row for row in range(len(BANDS)) if total(row) in forced))
    found.update(cell(row, column) for row, column in cells)
    found.update(total(row) for row in rows)
    over, at = values[OVER], values[AT]
    if 0 < over < min_cell or 0 < with_days(values) - over < min_cell or (
            over and OVER in forced):
        found.add(OVER)  # it, or the rest with days, is a few people
    if 0 < at < min_cell or (at and AT in forced):
        found.add(AT)
    if check:
        return settled(values, found, min_cell, forced, standard_days)
    return frozenset(found)


def settled(values: Mapping[str, int], found: Set[str], min_cell: int, forced: Set[str],
            standard_days: int | None) -> frozenset[str] | None:
    """`found`, or with the counts over and at the standard too where the sums would give a
    count back with them (on a band's edge they are the answers with days less bands
    within it), or None where even that does not keep it (no figures)."""
    if not gives_back(values, found, min_cell, forced, standard_days):
        return frozenset(found)
    more = set(found) | {name for name in (OVER, AT) if values[name]}
    if not gives_back(values, more, min_cell, forced, standard_days):
        return frozenset(more)
    return None


def with_days(values: Mapping[str, int]) -> int:
    return sum(values[name] for name in STATES) - values[ALL_WITHOUT_DAYS]


def band_withheld(values: Sequence[Sequence[int]], min_cell: int, answers: int,
                  columns: Set[int] = frozenset(), forced: Set[tuple[int, int]] = frozenset(),
                  forced_rows: Set[int] = frozenset()) -> tuple[set[tuple[int, int]], set[int]]:
    """The band cells (row, column) and totals (rows) to withhold: see `inner.protect_bands`.

    `forced`, `forced_rows`: cells and totals withheld across groups, whatever their size.
    """
    totals = [sum(row) for row in values]
    if answers < min_cell:
        # No band at all, not even an empty one: with the others shown as 0, the only band
        # with answers would be all of them, a published count of fewer than min_cell.
        hidden_rows = set(range(len(values)))
    else:
        hidden_rows = {index for index, value in enumerate(totals)
                       if 0 < value < min_cell or (value and index in forced_rows)}
        complete(totals, hidden_rows, min_cell)
    hidden = {(row, column) for row in range(len(values)) for column in range(4)
              if row in hidden_rows or 0 < values[row][column] < min_cell
              or ((column in columns or (row, column) in forced) and values[row][column])}
    changed = True
    while changed:
        changed = False
        lines = [[(row, column) for column in range(4)] for row in range(len(values))
                 if row not in hidden_rows]
        lines += [[(row, column) for row in range(len(values))] for column in range(4)]
        for number, line in enumerate(lines):
            line_values = [values[row][column] for row, column in line]
            withheld = {index for index, place in enumerate(line) if place in hidden}
            before = len(withheld)
            complete(line_values, withheld, min_cell)
            if len(withheld) > before:
                hidden.update(line[index] for index in withheld)
                changed = True
            row = line[0][0]
            if number < len(lines) - 4 and sum(1 for value in line_values if value) == 1 \
                    and any(line_values[index] for index in withheld):
                # A withheld cell alone in its band is the band's total: the total goes,
                # with as many others as it takes (a withheld state's only band was it).
                hidden_rows.add(row)
                complete(totals, hidden_rows, min_cell)
                hidden.update((hidden_row, column) for hidden_row in hidden_rows
                              for column in range(4))
                changed = True
                break
    return hidden, hidden_rows


def complete(values: Sequence[int], withheld: set[int], min_cell: int) -> None:
    """Withhold more of `values` (a sum the reader knows) until the withheld ones are none,
    all zeros, or two or more adding up to `min_cell` or more: the smallest non-zero first."""
    while withheld and 0 < (found := sum(values[index] for index in withheld)) and (
            len(withheld) == 1 or found < min_cell):
        others = sorted((value, index) for index, value in enumerate(values)
                        if index not in withheld and value)
        if not others:
            return  # nothing left to withhold: the sum itself is what is withheld
        withheld.add(others[0][1])


def identities(standard_days: int | None) -> list[Identity]:
    """Every sum a reader knows inside a group (see the module's note)."""
    found = [Identity("count", STATES), Identity("count", ("n_in_estimate", ALL_WITHOUT_DAYS)),
             Identity(ALL_WITHOUT_DAYS, tuple(WITHOUT_DAYS.values())),
             Identity("n_in_estimate", TOTALS)]
    found += [Identity(total(row), tuple(cell(row, column) for column in range(4)))
              for row in range(len(BANDS))]
    for column, state in enumerate(STATES):
        parts = tuple(cell(row, column) for row in range(len(BANDS)))
        found.append(Identity(state, (*parts, *((WITHOUT_DAYS[state],)
                                                 if state in WITHOUT_DAYS else ()))))
    if standard_days is not None:
        # The standard on a band's last day: the bands up to it and the count over it are
        # all the answers with days; on a band's first day, with the count at it too.
        within = tuple(total(row) for row, band in enumerate(BANDS)
                       if band.high is not None and band.high <= standard_days)
        if any(band.high == standard_days for band in BANDS):
            found.append(Identity("n_in_estimate", (*within, OVER)))
        if any(band.low == standard_days for band in BANDS[1:]):
            found.append(Identity("n_in_estimate", (*within, AT, OVER)))
    return found


def pinned(values: Mapping[str, int], withheld: Set[str], standard_days: int | None = None
           ) -> set[str]:
    """The withheld cells that the shown counts and the sums pin down, for a reader who knows
    which withheld ones are not 0 (at least as strong as one who knows the rule: he knows
    only that withheld states and band totals are not, nor cells of a shown band)."""
    counts = {**values, "count": sum(values[name] for name in STATES),
              "n_in_estimate": with_days(values)}
    hidden = {name for name in withheld if name in counts}
    if not hidden:
        return set()
    return narrowed(identities(standard_days), counts, hidden,
                    {name: min(1, counts[name]) for name in hidden})


def gives_back(values: Mapping[str, int], withheld: Set[str], min_cell: int,
               forced: Set[str] = frozenset(), standard_days: int | None = None) -> bool:
    """Whether the sums pin down a withheld count that must stay unknown (`at_stake`)."""
    return at_stake(values, pinned(values, withheld, standard_days), min_cell, forced)


def at_stake(values: Mapping[str, int], given: Set[str], min_cell: int, forced: Set[str]
             ) -> bool:
    """Whether one of the pinned cells `given` must not be: one of 1 to `min_cell` - 1, or
    one withheld across groups (another group's protection rests on it). A larger one
    withheld inside the group only to protect a small one may be pinned while the small one
    is not (a band cell that is its whole band: the others of its band are 0): the small
    one, not it, is what the rule protects, and it is pinned too whenever the sums reach it.
    Answers without days are published together (see the module's note): one of them is at
    stake only where it was withheld across groups."""
    return any(values[name] and (name in forced or (
        values[name] < min_cell and name not in WITHOUT_DAYS.values())) for name in given)
