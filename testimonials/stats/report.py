"""The shape of a statistics report, before and after small-cell suppression.

A report is a list of top-level groups (say, one per wait kind). A group has a count of
answers, optional figures (typically a `summary.Summary`) and breakdowns; a breakdown splits a
group into child groups, which may have breakdowns of their own (regions into facilities).

A group's `key` says which people it counts: the same key in two places (a facility under its
region and again in the facility breakdown of the total) is the same group, must carry the same
count, and is shown or suppressed alike everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

F = TypeVar("F")


@dataclass(frozen=True)
class Breakdown(Generic[F]):
    """A split of one group into child groups.

    `partition` True: every answer of the parent is in exactly one child, so the children's
    counts add up to the parent's (add a "not stated" child if some answers have no value).
    False: answers may be in several children or in none (care types, outcomes), so no sum holds.
    """

    name: str
    groups: tuple[Group[F], ...]
    partition: bool


@dataclass(frozen=True)
class Group(Generic[F]):
    """A group of answers with its count, figures and breakdowns, before suppression."""

    key: str
    label: str
    count: int
    figures: F | None = None
    breakdowns: tuple[Breakdown[F], ...] = ()


@dataclass(frozen=True)
class ShownBreakdown(Generic[F]):
    """A breakdown after suppression."""

    name: str
    groups: tuple[ShownGroup[F], ...]
    partition: bool


@dataclass(frozen=True)
class Held(Generic[F]):
    """What an earlier release showed of a group hidden now: that release's number, the date
    of its cut, its count and its figures (None where it showed the count alone). Public for
    good at that release's address, so showing it again, marked as of then, tells nothing new.
    """

    release: int
    date: dt.date
    count: int
    figures: F | None


@dataclass(frozen=True)
class ShownGroup(Generic[F]):
    """A group after suppression: when `suppressed`, count and figures are None.

    The reason for suppression is deliberately not recorded: showing "fewer than 11" on some
    cells and "withheld" on others would tell a reader which hidden cells are small, and with
    the totals that can pin a hidden count down (a total of 12 split into a small and a withheld
    cell means the small one is 1). For the same reason `held` (the figures of the latest
    earlier release that showed a hidden group) is given for every hidden group an earlier
    release showed, whatever hid it now; never in `count` or `figures`, which are this
    release's.
    """

    key: str
    label: str
    suppressed: bool
    count: int | None
    figures: F | None
    breakdowns: tuple[ShownBreakdown[F], ...]
    held: Held[F] | None = None


@dataclass(frozen=True)
class Identity:
    """A sum a reader can rely on: parent count = sum of the children's counts."""

    parent: str
    children: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.parent, *self.children)


def counts_and_identities(report: tuple[Group[F], ...]) -> tuple[dict[str, int], list[Identity]]:
    """Every group's count by key, and the sums its partitions declare; ValueError if inconsistent.

    Inconsistent means: a negative or non-integer count, one key with two counts, a child with
    its parent's key, a key twice in one breakdown, or a partition whose counts do not add up.
    """
    counts: dict[str, int] = {}
    identities: dict[tuple[str, frozenset[str]], Identity] = {}
    pending = list(report)
    while pending:
        group = pending.pop()
        _record(counts, group)
        for breakdown in group.breakdowns:
            keys = [child.key for child in breakdown.groups]
            if len(set(keys)) != len(keys) or group.key in keys:
                raise ValueError(f"breakdown {breakdown.name!r} of {group.key!r} repeats a key")
            if breakdown.partition:
                total = sum(child.count for child in breakdown.groups)
                if total != group.count:
                    raise ValueError(
                        f"partition {breakdown.name!r} of {group.key!r} adds up to {total}, "
                        f"not {group.count}: add a 'not stated' group or mark it partition=False"
                    )
                # The same sum declared twice (a region shown in two places) is one identity.
                identities.setdefault(
                    (group.key, frozenset(keys)), Identity(group.key, tuple(keys))
                )
            pending.extend(breakdown.groups)
    return counts, list(identities.values())


def _record(counts: dict[str, int], group: Group[F]) -> None:
    count = group.count
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count of {group.key!r} must be a whole number >= 0: {count!r}")
    if counts.setdefault(group.key, count) != count:
        raise ValueError(f"group {group.key!r} has two different counts")


def hide(group: Group[F], suppressed: frozenset[str],
         held: Callable[[str], Held[F] | None] | None = None) -> ShownGroup[F]:
    """The group with count and figures removed from every suppressed group, at any depth;
    `held` gives a suppressed group what an earlier release showed of it (None: nothing)."""
    hidden = group.key in suppressed
    return ShownGroup(
        key=group.key,
        label=group.label,
        suppressed=hidden,
        count=None if hidden else group.count,
        figures=None if hidden else group.figures,
        breakdowns=tuple(
            ShownBreakdown(
                breakdown.name,
                tuple(hide(child, suppressed, held) for child in breakdown.groups),
                breakdown.partition,
            )
            for breakdown in group.breakdowns
        ),
        held=held(group.key) if hidden and held is not None else None,
    )
