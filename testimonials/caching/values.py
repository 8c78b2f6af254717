"""Values computed once and remembered: for one generation (`remembered`), or for good when
made from a published statistics release, which never changes (`release_document`,
`from_release`): after a moderator's decision the /stats page is put together again from
them (about a millisecond), never computed again."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from testimonials.caching.invalidation import caches, generation
from testimonials.caching.lru import LRU

T = TypeVar("T")


def remembered(name: Hashable, compute: Callable[[], T], *, seconds: float) -> T:
    """`compute()`, kept in this process for this generation and at most `seconds`.

    Each caller says which bench line needs it (an inner cache exists for no other reason).
    """
    store = caches().values
    key = (generation(), name)
    found = store.get(key)
    if found is not None:
        return cast(T, found[0])
    value = compute()
    store.put(key, value, expires=time.monotonic() + seconds)
    return value


def release_document(number: int, load: Callable[[], T | None]) -> T | None:
    """Release `number` as `load()` parses it (None, for no such release, is not kept)."""
    return _kept(caches().documents, number, load)


def from_release(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """`make()`, kept under `key`, whose first element is the release number it is made from
    (anything else it depends on, such as the language, is in the rest of the key)."""
    return cast(T, _kept(caches().release_texts, key, make))


def _kept(store: LRU, key: Hashable, make: Callable[[], T | None]) -> T | None:
    found = store.get(key)
    if found is not None:
        return cast(T, found[0])
    value = make()
    if value is not None:
        store.put(key, value)
    return value
