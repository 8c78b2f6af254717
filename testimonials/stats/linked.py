"""Rows of a linear system grouped by the unknowns they link (union-find; pure).

Two rows that share no unknown, directly or through other rows, constrain nothing of each
other: a reader's linear programs over them split into one program per group. Both the
equalities audit (`implicit`) and the protection intervals (`protection`) solve per group.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

Row = TypeVar("Row")
Key = TypeVar("Key", bound=Hashable)


def components(rows: Iterable[Row], unknowns: Callable[[Row], Iterable[Key]]
               ) -> list[tuple[set[Key], list[Row]]]:
    """The rows grouped by linked unknowns, each group with its unknowns (rows without
    unknowns are left out)."""
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]  # path halving
            key = parent[key]
        return key

    kept = []
    for row in rows:
        keys = list(unknowns(row))
        if not keys:
            continue
        kept.append((row, keys))
        first = root(keys[0])
        for key in keys[1:]:
            other = root(key)
            if other != first:
                parent[other] = first
    groups: dict[Key, tuple[set[Key], list[Row]]] = {}
    for row, keys in kept:
        members, grouped = groups.setdefault(root(keys[0]), (set(), []))
        members.update(keys)
        grouped.append(row)
    return list(groups.values())
