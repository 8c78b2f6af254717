"""Small-cell suppression of a whole report, primary and complementary.

Primary: every group with 1 to min_cell - 1 answers is hidden (count and all figures).
Zero counts are shown: a true 0 says nobody answered, which discloses no one. A reader then
knows every hidden count is at least 1, and the checks below assume so.

Complementary: a reader knows every shown count and every partition sum (parent = sum of its
children), so from each partition learns the total of its hidden cells. We hide more cells
until, for every partition whose parent count is known, the hidden cells there are at least
two and add up to at least min_cell and to more than their number (so the sum reveals neither
a single cell, nor a small group, nor "all of them are 1"), and until the audit finds no
hidden count that can be pinned down, by any chain of subtractions across linked
partitions, by the bounds they imply, or by linear programming over all of them
(`audit.pinned`). Cells are added smallest first, children before the parent, so the fewest
answers disappear from view.

What this does not promise: a reader who knows this algorithm can narrow a hidden count to a
range (a cell hidden to protect another is no larger than its shown siblings), and can pin it
in rare patterns that only an integer program (counts are whole numbers) would find. The
audit catches exact recovery by subtraction, by bounds and by linear programs, which is what
the attack tests check.

Breakdowns that are not partitions (care types, outcomes: one answer may be in several groups
or in none) get primary suppression only. No sum ties their children to the parent, so
subtracting shown children from a total gives no hidden child's count; a reader cannot know how
many answers were counted twice or not at all. Their children's own partitions still count.

A count hidden for another reason (`also`) may be 0. The checks then reason as if the reader
knew it (a 0 gives no one away, and a reader told more can only make us hide more): the rules
and the audit assume a hidden count is at least 1, which such a 0 is not (and a hidden 0
parent of zeros would leave nothing to hide around it).

When no complement can be found around a leak, every count linked to it is already hidden
or 0: the sums there have 0 on their right-hand side, and pin nothing (any solution doubled
is another). So the rule is met there; an audited count with no cell left to hide around it
(which that argument rules out) hides every count of the report, rather than fail the
release.

Suppression protects groups. Within a shown group (min_cell answers or more) its figures are
shown in full, even where one of them is small (a band with 3 answers); a caller who wants
those protected too can declare them as a partition breakdown of the group.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from testimonials.stats.audit import pinned
from testimonials.stats.report import F, Group, Identity, ShownGroup, counts_and_identities, hide

DEFAULT_MIN_CELL = 11


def protect(report: Sequence[Group[F]], min_cell: int = DEFAULT_MIN_CELL) -> list[ShownGroup[F]]:
    """The report with every group that must be hidden carrying no count and no figures."""
    hidden = suppressed_keys(report, min_cell)
    return [hide(group, hidden) for group in report]


def suppressed_keys(report: Sequence[Group[F]], min_cell: int = DEFAULT_MIN_CELL,
                    also: Set[str] = frozenset(), *, small: bool = True) -> frozenset[str]:
    """The keys of the groups to hide, primary and complementary, for the whole report.

    `also`: keys hidden for another reason (not small), protected like the small ones.
    `small` False: counts of 1 to min_cell - 1 are not hidden for being small (only `also`
    and what protects them): counts published anyway where they are shown (`across`)."""
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise ValueError(f"min_cell must be a whole number >= 1: {min_cell!r}")
    counts, identities = counts_and_identities(tuple(report))
    # Smallest parents first, i.e. the most detailed tables first (a region before the whole
    # wait): a cell hidden to protect a region's facility then often protects the totals too.
    identities.sort(key=lambda identity: (counts[identity.parent], identity.parent))
    hidden = {key for key, count in counts.items() if small and 0 < count < min_cell}
    hidden |= {key for key in also if counts.get(key)}
    zeros = frozenset(key for key in also if key in counts and not counts[key])
    known: set[str] = set()  # hidden keys a reader can derive; refreshed by the audit
    while True:
        extra = _rule_pick(counts, identities, hidden, known, min_cell)
        if extra is None:
            known = pinned(identities, counts, hidden)
            extra = _audit_pick(counts, identities, hidden, known, min_cell)
            if extra is None:
                extra = _rule_pick(counts, identities, hidden, known, min_cell)
            if extra is None:
                return frozenset(hidden) | zeros
        hidden.add(extra)
        known = set()  # stale once one more cell is hidden; recomputed when the rules hold


def _rule_pick(
    counts: dict[str, int],
    identities: list[Identity],
    hidden: set[str],
    known: set[str],
    min_cell: int,
) -> str | None:
    """A cell to hide next so that a partition's hidden cells are not alone or too small."""
    for identity in identities:
        unknown = [key for key in identity.cells if key in hidden and key not in known]
        if not unknown:
            continue
        if identity.parent in unknown:
            # A hidden parent alone among known children is just their sum.
            broken = len(unknown) == 1
        else:
            # The parent is known, so the hidden children's sum is known.
            # Readers know a hidden count is at least 1 (zeros are shown), so k hidden cells
            # adding up to k are all 1: the sum must also exceed the number of cells.
            learned = sum(counts[key] for key in unknown)
            broken = len(unknown) == 1 or learned < max(min_cell, len(unknown) + 1)
        if broken and (pick := _pick_near(counts, identities, identity, hidden)):
            return pick
    return None


def _audit_pick(
    counts: dict[str, int],
    identities: list[Identity],
    hidden: set[str],
    known: set[str],
    min_cell: int,
) -> str | None:
    """A cell to hide next because a hidden count can be pinned down.

    Any hidden count, not only a small one: a count hidden to protect another must not be
    recoverable either (it would give back the small one's sum with its siblings). Small ones
    first.
    """
    for key in sorted(known, key=lambda key: (counts[key] >= min_cell, counts[key], key)):
        around = [identity for identity in identities if key in identity.cells]
        for identity in around:
            if pick := _smallest_shown(counts, identity, hidden):
                return pick
        if pick := _pick_near(counts, identities, around[0], hidden):
            return pick
    # Pinned, with nothing left to hide around any of them (see the module's note): the
    # smallest shown count of all, until none is left and nothing can be pinned.
    shown = [key for key, count in counts.items() if count and key not in hidden]
    return min(shown, key=lambda key: (counts[key], key)) if known and shown else None


def _pick_near(
    counts: dict[str, int], identities: list[Identity], identity: Identity, hidden: set[str]
) -> str | None:
    """A shown cell to hide that can break the leak through this partition; None when every
    cell linked to it is hidden or 0 already (then its sums pin nothing: the module's note)."""
    pick = _smallest_shown(counts, identity, hidden)
    if pick is None:
        pick = _smallest_shown_linked(counts, identities, identity, hidden)
    return pick


def _smallest_shown(counts: dict[str, int], identity: Identity, hidden: set[str]) -> str | None:
    """The smallest shown non-zero child of the partition, else its parent if shown; or None."""
    children = [key for key in identity.children if key not in hidden and counts[key]]
    if children:
        return min(children, key=lambda key: (counts[key], key))
    if identity.parent not in hidden and counts[identity.parent]:
        return identity.parent
    return None


def _smallest_shown_linked(
    counts: dict[str, int],
    identities: list[Identity],
    start: Identity,
    hidden: set[str],
) -> str | None:
    """The smallest shown non-zero cell in any partition linked to `start` through hidden cells.

    A last resort: when every cell of a partition is already hidden, the leak runs through
    partitions that share its hidden cells, and hiding a cell there breaks the chain.
    """
    reached = set(start.cells) & hidden
    linked: list[Identity] = []
    grew = True
    while grew:
        grew = False
        for identity in identities:
            if identity not in linked and reached & set(identity.cells):
                linked.append(identity)
                reached |= set(identity.cells) & hidden
                grew = True
    shown = {key for identity in linked for key in identity.cells if key not in hidden}
    shown = {key for key in shown if counts[key]}
    return min(shown, key=lambda key: (counts[key], key)) if shown else None
