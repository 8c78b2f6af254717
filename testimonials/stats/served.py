"""Serving published releases: the latest number, parsed documents and rendered texts.

A release never changes once published, so whatever is made from one (the parsed document, a
rendered page, CSV or JSON) is kept per process under the release's number and never goes
stale; a request asks the database only which release is the latest (one indexed lookup).
Nothing here reads the aggregates: no submission or decision moves a served figure.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import StatRelease
from testimonials.stats.cells import ALL, RESPONDENTS, SERIES
from testimonials.stats.page import series_standard
from testimonials.stats.releases import Release, decode
from testimonials.stats.summary import Summary
from testimonials.stats.universe import SERIES_LABELS, key
from testimonials.vocab import WaitKind

T = TypeVar("T")
INTAKE, FIRST_RETURN = WaitKind.INTAKE.value, WaitKind.FIRST_RETURN.value


@dataclass(frozen=True)
class Published:
    """A release as served: the parsed document and what is said about it."""

    release: Release
    published_at: dt.datetime
    respondents: int
    changes: str  # JSON

    @property
    def number(self) -> int:
        return self.release.number


class Cache:
    """A small thread-safe LRU map whose entries also expire (place names can change)."""

    def __init__(self, max_entries: int = 256, ttl_seconds: float = 300.0) -> None:
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or time.monotonic() - found[0] > self.ttl_seconds:
                return None
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Per database engine (one per app and worker): tests and apps never share entries. Releases
# are immutable, so entries never expire; the LRU bounds memory.
_documents: weakref.WeakKeyDictionary[Any, Cache] = weakref.WeakKeyDictionary()
_texts: weakref.WeakKeyDictionary[Any, Cache] = weakref.WeakKeyDictionary()
_FOREVER = float("inf")


def _cache(caches: weakref.WeakKeyDictionary[Any, Cache], session: Session, size: int) -> Cache:
    engine = session.get_bind()
    found = caches.get(engine)
    if found is None:
        found = caches[engine] = Cache(size, _FOREVER)
    return found


def latest_number(session: Session) -> int | None:
    return session.scalar(select(func.max(StatRelease.number)))


def numbers(session: Session) -> list[tuple[int, dt.datetime, dt.datetime, int, str]]:
    """Every release, newest first: number, cut, published, people, changes (JSON)."""
    rows = session.execute(select(StatRelease.number, StatRelease.cut_at,
                                  StatRelease.published_at, StatRelease.respondents,
                                  StatRelease.changes).order_by(StatRelease.number.desc()))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def release(session: Session, number: int | None) -> Published | None:
    """Release `number` (None: the latest), or None when there is no such release."""
    if number is None:
        number = latest_number(session)
        if number is None:
            return None
    cache = _cache(_documents, session, 3)
    found = cache.get(number)
    if found is not None:
        return found  # type: ignore[no-any-return]
    row = session.get(StatRelease, number)
    if row is None:
        return None
    published = Published(decode(row.number, row.cut_at, row.document), row.published_at,
                          row.respondents, row.changes)
    session.expunge(row)  # the bytes are parsed; do not keep them in the session
    cache.put(number, published)
    return published


def cached(session: Session, key: Hashable, make: Callable[[], T]) -> T:
    """`make()` kept under `key`, which must name the release it is made from."""
    cache = _cache(_texts, session, 256)
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    result = make()
    cache.put(key, result)
    return result


@dataclass(frozen=True)
class Headline:
    """The home page's figures from the latest release; a summary is None when hidden."""

    number: int
    cut_at: dt.datetime
    min_cell: int
    respondents: int | None  # None when hidden
    intake: Summary | None
    first_return: Summary | None


def headline(session: Session) -> Headline | None:
    """The figures /stats shows for everyone in the latest release (None: none published)."""
    published = release(session, None)
    if published is None:
        return None
    found = published.release
    return Headline(found.number, found.cut_at, found.min_cell,
                    found.shown(key(RESPONDENTS, ALL)),
                    found.figures(key(INTAKE, ALL)), found.figures(key(FIRST_RETURN, ALL)))


def on_standard(found: Release) -> list[tuple[str, int | None]]:
    """For the methods note: answers of everyone exactly on each series' standard.

    (English series label, count), None for a count withheld as too small; series without
    figures or without a standard are left out.
    """
    counts = []
    for series in SERIES:
        figures = found.figures(key(series, ALL))
        if figures is not None and series_standard(series, found.standards) is not None:
            counts.append((SERIES_LABELS[series], figures.n_at_standard))
    return counts
