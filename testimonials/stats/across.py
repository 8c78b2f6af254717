"""Every count inside a shown group, protected across groups as well as inside each (pure).

`group_table.withheld_cells` withholds, inside one shown group, a count of 1 to `min_cell` - 1
(of waits that ended, people still waiting, who gave up or were never offered an
appointment; a band's cell or total; the answers over or at the standard) with complements
chosen in that group. But each of those counts is counted in every group of the hierarchy
(the whole site, each region, facility, care type, quarter), and a parent is the sum of its
children there too: the site's 15 who gave up less region A's 12 gave region B's withheld 3
back (issue 14), and so did the site's band cell less the other region's, or the site's
answers without days less those of the regions whose figures are shown.

So each count of `group_table.NAMES` of each wait series is a table of counts over the very
groups the counts of people are published for (`universe.universe`, `universe.same_answers`),
and the small-cell and complementary suppression of the groups (`suppression.suppressed_keys`)
runs on it, with every cell already withheld (inside its group, or because its group's
figures are not shown) counted as hidden. What it adds is withheld inside its group too,
whose own rule may then withhold more there (a group's cells add up to its shown totals),
which are new hidden cells of other tables: the two run in turn until neither adds a cell.

The answers without days are the exception, on purpose. Together they are published with
every shown group's figures (its count less the n of its estimates), small or not, and so is
each way of stopping's share of them wherever the group's other counts give it. Groups
without figures come two or more to a sum, with `min_cell` or more people between them
(hidden counts, and groups withheld for their few people beyond their stories, are
suppressed with complements): what a difference gives of their answers without days is
what the figures of any `min_cell` people show. So their table is not protected, and the
tables of each way of stopping's answers without days protect only those withheld inside a
shown group where its own sums do not give them (`group_table.pinned`). Each group's sums
are solved so: a cell pinned there is not counted as hidden across groups, and a count
withheld across groups that its group's own figures give back (after the counts over and at
the standard, `group_table.settled`) takes the group's figures with it (its count stays).
Each round adds a hidden cell or a group without figures, so this ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

from testimonials.stats.cells import SERIES
from testimonials.stats.group_table import (
    ALL_WITHOUT_DAYS,
    NAMES,
    NO_FIGURES,
    WITHOUT_DAYS,
    at_stake,
    cells_of,
    pinned,
    settled,
    withheld_cells,
)
from testimonials.stats.histogram import Histogram
from testimonials.stats.report import Group, counts_and_identities
from testimonials.stats.suppression import suppressed_keys
from testimonials.stats.universe import Counts, Dimensions, same_answers, universe

StateCounts = Mapping[str, Counts]  # count name (`NAMES`) -> (series, scope) -> count
# Answers without days: shown with a group's figures even when small (see the module's note).
_PUBLISHED = frozenset(WITHOUT_DAYS.values())
# The counts protected across groups: all but the answers without days in all.
TABLES = tuple(name for name in NAMES if name != ALL_WITHOUT_DAYS)


def state_counts(histograms: Mapping[tuple[str, str], Histogram],
                 standards: Mapping[str, int | None] | None = None) -> dict[str, Counts]:
    """Every count of `NAMES` in each (series, scope) histogram (`standards`: each series'
    standard in calendar days; none: nothing counted over or at one)."""
    found: dict[str, dict[tuple[str, str], int]] = {name: {} for name in NAMES}
    for (series, scope), histogram in histograms.items():
        standard = (standards or {}).get(series)
        for name, value in cells_of(histogram, standard).items():
            found[name][(series, scope)] = value
    return dict(found)


Reports = dict[tuple[str, str], list[Group[object]]]


def state_tables(dims: Dimensions, states: StateCounts, families: Iterable[str] = SERIES
                 ) -> tuple[dict[str, dict[str, int]], Reports]:
    """Each count's value in every group (by key), and each (series, count)'s table: the
    groups of `universe` with that count, with every sum that links them."""
    tables: dict[str, dict[str, int]] = {name: {} for name in states}
    reports: Reports = {}
    # Many counts of a family hold the same values in every group (all 0, or one state's
    # counts equal to a band's total): their table is built once and shared (read only).
    # The groups are read by key only (`universe.Builder.count`), so equal counts give equal
    # groups. Measured (issue 19): 195 tables built per call, about 40 of them distinct.
    built: dict[tuple[str, frozenset[tuple[tuple[str, str], int]]],
                tuple[list[Group[object]], dict[str, int]]] = {}
    for family in families:
        for name in states:
            if name == ALL_WITHOUT_DAYS:
                continue  # values only (see the module's note); no sum to protect
            counts = {cell: count for cell, count in states[name].items()
                      if cell[0] == family}
            same = (family, frozenset(counts.items()))
            if same not in built:
                report = [universe(family, dims, counts), *same_answers(family, dims, counts)]
                built[same] = report, counts_and_identities(tuple(report))[0]
            report, values = built[same]
            reports[(family, name)] = report
            tables[name].update(values)
    return tables, reports


def withheld_states(dims: Dimensions, states: StateCounts, hidden: Set[str], min_cell: int,
                    families: Iterable[str] = SERIES,
                    standards: Mapping[str, int | None] | None = None
                    ) -> dict[str, frozenset[str]]:
    """For each group (key), the counts of `NAMES` to withhold in it, inside the group and
    across groups (`group_table.NO_FIGURES`: its figures are not shown at all). `hidden`:
    the groups whose figures are not shown (their non-zero counts are hidden cells)."""
    tables, reports = state_tables(dims, states, families)
    names = [name for name in TABLES if name in tables]
    keys = sorted(set().union(*tables.values()))
    no_figures = {key for key in keys if key in hidden}
    # Cells hidden across groups: of groups without figures, and what protects them.
    across = {name: {key for key in no_figures if tables[name].get(key)}
              if name not in _PUBLISHED else set() for name in names}
    inside: dict[str, frozenset[str] | None] = {}
    # A group's rule (`_inside`) reads only its counts, its forced cells and its standard:
    # groups with the same (many: a facility and its care type, a series' empty months) and
    # the same group round after round are solved once.
    memo: dict[tuple[tuple[int, ...], frozenset[str], int | None],
               tuple[frozenset[str] | None, set[str]]] = {}
    # A table's suppression reads only its own cells of `also` (those of its family's groups):
    # the same hidden cells give the same answer, and most tables' do not change in a round.
    # Counts with equal tables share one report (`state_tables`), kept by its identity here.
    solved: dict[tuple[int, bool, frozenset[str]], frozenset[str]] = {}
    for _round in range(len(keys) * len(names) + 1):
        counted = {name: set(found) for name, found in across.items()}
        for key in keys:
            if key in no_figures:
                continue
            values = {name: tables[name].get(key, 0) for name in TABLES}
            values[ALL_WITHOUT_DAYS] = sum(values[name] for name in WITHOUT_DAYS.values())
            forced = frozenset(name for name in names if key in across[name])
            standard = standards.get(key.split("|", 1)[0]) if standards else None
            same = (tuple(values.values()), forced, standard)
            if same not in memo:
                memo[same] = _inside(values, min_cell, forced, standard)
            found, given = memo[same]
            inside[key] = found
            if found is None:
                no_figures.add(key)
                for name in names:
                    if tables[name].get(key) and name not in _PUBLISHED:
                        across[name].add(key)
                        counted[name].add(key)
                continue
            for name in found - given:  # a zero withheld says nothing: zeros are shown
                if name in counted and values[name]:
                    counted[name].add(key)
        grew = False
        for (family, name), report in reports.items():
            prefix = f"{family}|"
            also = frozenset(key for key in counted[name] if key.startswith(prefix))
            table = (id(report), name not in _PUBLISHED, also)
            if table not in solved:
                solved[table] = suppressed_keys(report, min_cell, also=also, small=table[1])
            found_keys = solved[table]
            if found_keys - counted[name]:
                across[name] |= found_keys - counted[name]
                grew = True
        if not grew:
            break
    # The counts withheld across groups only: each group's own rule withholds the rest again
    # from them, as it did in the last round (`inner.protect_figures`).
    result: dict[str, frozenset[str]] = {}
    for key in keys:
        if key in no_figures and key not in hidden:
            result[key] = frozenset({NO_FIGURES})
        elif key not in no_figures and (found := frozenset(
                name for name in names if key in across[name])):
            result[key] = found
    return result


def _inside(values: Mapping[str, int], min_cell: int, forced: frozenset[str],
            standard: int | None) -> tuple[frozenset[str] | None, set[str]]:
    """A group's own rule (`group_table.withheld_cells`) and the withheld cells its sums pin
    down (solved once: they are what `settled` checks too)."""
    found = withheld_cells(values, min_cell, forced, standard, check=False)
    if found is None:
        return None, set()
    given = pinned(values, found, standard)
    if at_stake(values, given, min_cell, forced):
        found = settled(values, found, min_cell, forced, standard)
        given = set() if found is None else pinned(values, found, standard)
    return found, given
