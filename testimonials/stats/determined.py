"""Hidden counts that the shown counts give exactly: hiding them protects no one (pure).

The audit (`protection`) hides counts so that no small one can be pinned or narrowed by a
reader who holds every shown figure. To protect another it may hide a count that the shown
ones still give exactly: on a small site, the site's total, while its quarters are all shown
(34 people in 2026-Q2, 0 with no quarter given, make 34). Hidden, it protects nobody (any
reader adds the parts), and the pages say the number is withheld to protect people while it
is plain to read. Shown, it tells the reader nothing he did not know: every count keeps the
values it could take, so every interval the audit proved stays as it was.

Which counts are so given? Those a reader finds by peeling the partitions (a total is the
sum of its parts): a partition with one count hidden, all the others shown, gives that one;
once known, it may leave another partition with one count unknown, and so on. Each
partition is looked at again only when one of its counts becomes known (a queue), so the
pass is linear in the size of the partitions and solves no linear program.

What it does not look for: a count that only inequalities pin (a part at most its whole, a
count never falling from one release to the next, all of them squeezed to one value). The
audit judges those, as any narrowed count. And only this release's partitions: an earlier
release's hold its own counts, which this release cannot show, and what links two releases
are inequalities, not sums.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence, Set


def determined(partitions: Iterable[tuple[str, Sequence[str]]], hidden: Set[str]) -> list[str]:
    """The hidden keys that the shown ones give through the partitions (parent, children:
    the parent is the sum of the children), in the order a reader finds them."""
    unknowns: list[list[str]] = []  # each partition's hidden keys
    left: list[int] = []  # how many of them are not known yet
    touching: dict[str, list[int]] = {}
    ready: deque[int] = deque()
    for parent, children in partitions:
        coefficients = {parent: 1}
        for child in children:
            coefficients[child] = coefficients.get(child, 0) - 1
        # A key on both sides cancels out: the partition says nothing of it.
        names = [key for key, value in coefficients.items() if value and key in hidden]
        for name in names:
            touching.setdefault(name, []).append(len(unknowns))
        if len(names) == 1:
            ready.append(len(unknowns))
        unknowns.append(names)
        left.append(len(names))
    known: dict[str, None] = {}
    while ready:
        # Each partition is queued once, when one of its counts is left unknown; by the
        # time it is taken, that one may have been found through another.
        index = ready.popleft()
        if left[index] != 1:
            continue
        found = next(name for name in unknowns[index] if name not in known)
        known[found] = None
        for other in touching[found]:
            left[other] -= 1
            if left[other] == 1:
                ready.append(other)
    return list(known)
