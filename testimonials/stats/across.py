"""The counts by how the wait stood, protected across groups as well as inside each (pure).

`inner.protect_states` withholds, inside one shown group, a count of 1 to `min_cell` - 1
waits that ended, people still waiting, who gave up or were never offered an appointment,
with complements chosen in that group. But the same state is counted in every group of the
hierarchy (the whole site, each region, facility, care type, quarter), and a parent is the
sum of its children there too: the site's 15 who gave up less region A's 12 gave region B's
withheld 3 back (issue 14).

So each state of each wait series is a table of counts over the very groups the counts of
people are published for (`universe.universe`, `universe.same_answers`), and the small-cell
and complementary suppression of the groups (`suppression.suppressed_keys`) runs on it, with
every cell already withheld (inside its group, or because its group's figures are not shown)
counted as hidden. What it adds is withheld inside its group too, whose own rule may then
withhold one more state there (a group's states add up to its shown count), which is a new
hidden cell of another table: the two run in turn until neither adds a cell. Each round adds
at least one, so this ends; the bound is the number of cells.

What this does not cover: band cells (a band's cells of one state add up across groups too;
a withheld state takes its column of bands with it, the rest is issue 14's remainder), and
the answers without days of a state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

from testimonials.stats.cells import SERIES
from testimonials.stats.histogram import Histogram, normalise, tally
from testimonials.stats.inner import STATES, _complete
from testimonials.stats.report import Group, counts_and_identities
from testimonials.stats.suppression import suppressed_keys
from testimonials.stats.universe import Counts, Dimensions, same_answers, universe

StateCounts = Mapping[str, Counts]  # state name ("n_gave_up") -> (series, scope) -> count
_TALLY = {"n_ended": "ended", "n_waiting": "waiting", "n_gave_up": "gave_up",
          "n_never_offered": "never_offered"}


def state_counts(histograms: Mapping[tuple[str, str], Histogram]) -> dict[str, Counts]:
    """Each state's count in each (series, scope) histogram."""
    found: dict[str, dict[tuple[str, str], int]] = {name: {} for name in STATES}
    for cell, histogram in histograms.items():
        counted = tally(normalise(histogram))
        for name in STATES:
            found[name][cell] = getattr(counted, _TALLY[name])
    return dict(found)


Reports = dict[tuple[str, str], list[Group[object]]]


def state_tables(dims: Dimensions, states: StateCounts, families: Iterable[str] = SERIES
                 ) -> tuple[dict[str, dict[str, int]], Reports]:
    """Each state's count in every group (by key), and each (series, state)'s table: the
    groups of `universe` with that state's counts, with every sum that links them."""
    tables: dict[str, dict[str, int]] = {name: {} for name in STATES}
    reports: Reports = {}
    for family in families:
        for name in STATES:
            counts = {cell: count for cell, count in states[name].items()
                      if cell[0] == family}
            report = [universe(family, dims, counts), *same_answers(family, dims, counts)]
            reports[(family, name)] = report
            tables[name].update(counts_and_identities(tuple(report))[0])
    return tables, reports


def withheld_states(dims: Dimensions, states: StateCounts, hidden: Set[str], min_cell: int,
                    families: Iterable[str] = SERIES) -> dict[str, frozenset[str]]:
    """For each shown group (key), the states to withhold in it: inside the group
    (`inner.protect_states`' rule) and across groups. `hidden`: the groups whose figures are
    not shown at all (their non-zero state counts are hidden cells to protect)."""
    tables, reports = state_tables(dims, states, families)
    keys = sorted(set().union(*tables.values()))
    forced: dict[str, set[str]] = {name: {key for key in hidden if tables[name].get(key)}
                                   for name in STATES}
    for _round in range(len(keys) * len(STATES) + 1):
        for key in keys:
            if key in hidden:
                continue
            values = [tables[name].get(key, 0) for name in STATES]
            withheld = {index for index, name in enumerate(STATES)
                        if key in forced[name] or 0 < values[index] < min_cell}
            _complete(values, withheld, min_cell)
            for index in withheld:
                forced[STATES[index]].add(key)
        grew = False
        for (_family, name), report in reports.items():
            found = suppressed_keys(report, min_cell, also=forced[name])
            if found - forced[name]:
                forced[name] |= found
                grew = True
        if not grew:
            break
    by_key: dict[str, set[str]] = {}
    for name, found_keys in forced.items():
        for key in found_keys - hidden:
            by_key.setdefault(key, set()).add(name)
    return {key: frozenset(names) for key, names in by_key.items()}
