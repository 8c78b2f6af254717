"""Views of the statistics, computed once per version of the aggregates and cached per worker.

Every request reads the one-row version (bumped in the same transaction as every change to
the aggregates); a worker recomputes only when it moves, so a moderator's change shows on the
next request to any worker, and a warm request costs one tiny query whatever the data size.
A computed view is kept only if the version did not move while it was being read, so its
counts, figures and hidden groups always come from one state of the aggregates. What took
long (the suppression decision, rendered pages and files) is also written to `store`, so a
worker that starts or restarts reads it instead of computing it again.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from testimonials.stats import queries, store, universe
from testimonials.stats.cells import ALL, RESPONDENTS
from testimonials.stats.page import Base, Filter, View, build_view, needed_scopes, series_standard
from testimonials.stats.summary import summarise
from testimonials.stats.universe import key
from testimonials.vocab import WaitKind

T = TypeVar("T")
Standards = Mapping[str, Mapping[str, int]]
_ATTEMPTS = 3


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


# One cache per database engine (one per app and worker): tests and apps never share entries.
_caches: weakref.WeakKeyDictionary[Any, Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(session: Session) -> Cache:
    engine = session.get_bind()
    with _caches_lock:
        if engine not in _caches:
            _caches[engine] = Cache()
        return _caches[engine]


def standards_key(standards: Standards) -> str:
    return json.dumps(standards, sort_keys=True, default=str)


def base(session: Session, min_cell: int, version: tuple[int, Any] | None = None) -> Base:
    """The counts and the hidden keys of the aggregates as they are (cached per version)."""
    version = version or queries.data_version(session)
    cache = cache_for(session)
    cache_key = ("base", version, min_cell)
    found = cache.get(cache_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    # Shared under the place names too, so that a renamed facility is not read back stale.
    shared_key = (*cache_key, queries.places_fingerprint(session))
    stored = store.load(session, shared_key, version[0])
    if stored is not None:
        result = _base_from_json(stored, version, min_cell)
    else:
        started = time.perf_counter()
        counts = queries.counts(session)  # one statement: one consistent state
        dims = queries.dimensions(session, counts)
        hidden = universe.hidden_keys(dims, counts, min_cell)
        result = Base(version[0], version[1], dims, counts, hidden, min_cell)
        if time.perf_counter() - started > store.SHARE_AFTER_SECONDS:
            store.save(session, shared_key, version[0], _base_to_json(result))
    cache.put(cache_key, result)
    return result


def _base_to_json(shared: Base) -> str:
    return json.dumps({
        "counts": [[family, scope, n] for (family, scope), n in shared.counts.items()],
        "hidden": sorted(shared.hidden),
        "regions": [[r.id, r.name] for r in shared.dims.regions],
        "facilities": [[f.id, f.name, f.region_id] for f in shared.dims.facilities],
        "months": list(shared.dims.months),
    }, separators=(",", ":"))


def _base_from_json(text: str, version: tuple[int, Any], min_cell: int) -> Base:
    data = json.loads(text)
    dims = universe.Dimensions(
        tuple(universe.Region(*r) for r in data["regions"]),
        tuple(universe.Facility(*f) for f in data["facilities"]),
        tuple(data["months"]))
    counts = {(family, scope): n for family, scope, n in data["counts"]}
    return Base(version[0], version[1], dims, counts, frozenset(data["hidden"]), min_cell)


def _consistent(session: Session, name: Hashable, compute: Callable[[Base], T],
                min_cell: int) -> T:
    """`compute` over one state of the aggregates, cached under that state's version."""
    cache = cache_for(session)
    result: T | None = None
    for attempt in range(_ATTEMPTS):
        version = queries.data_version(session, fresh=attempt > 0)
        cache_key = (name, version, min_cell)
        found = cache.get(cache_key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        result = compute(base(session, min_cell, version))
        if queries.data_version(session, fresh=True) == version:
            cache.put(cache_key, result)
            return result
        # A change landed while we read: the parts may disagree, so read again.
    # Changes landing on every attempt: serve the last one, uncached (it is never reused).
    assert result is not None
    return result


def cached(session: Session, name: Hashable, make: Callable[[], T], *, share: bool = False
           ) -> T:
    """`make()` cached under the aggregates' current version (for what views render).

    What `make` computes from `view` is at least as new as the version it is cached under,
    never older: a request that sees a newer version never finds it. With `share`, a text
    that took long to make is also kept in the database for the other workers.
    """
    cache = cache_for(session)
    version = queries.data_version(session)
    cache_key = ("cached", name, version)
    found = cache.get(cache_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    stored = store.load(session, cache_key, version[0]) if share else None
    if stored is not None:
        result: Any = stored
    else:
        started = time.perf_counter()
        result = make()
        if share and time.perf_counter() - started > store.SHARE_AFTER_SECONDS:
            store.save(session, cache_key, version[0], result)
    cache.put(cache_key, result)
    return result  # type: ignore[no-any-return]


def view(session: Session, view_filter: Filter, standards: Standards, min_cell: int,
         detailed: frozenset[str] | None = None) -> View:
    """The protected statistics of one filter, computed once per version of the aggregates.

    `detailed`: the series whose breakdowns need figures (see `page.build_view`).
    """
    def compute(shared: Base) -> View:
        histograms = queries.histograms(session, needed_scopes(view_filter, shared.dims))
        return build_view(view_filter, shared, histograms, standards, detailed)

    name = ("view", view_filter, standards_key(standards), detailed)
    return _consistent(session, name, compute, min_cell)


def headline(session: Session, standards: Standards, min_cell: int) -> queries.Headline:
    """The home page's figures: the same numbers, hidden alike, as /stats for everyone."""
    def compute(shared: Base) -> queries.Headline:
        histograms = queries.histograms(session, [ALL])
        figures = {}
        for kind in (WaitKind.INTAKE, WaitKind.FIRST_RETURN):
            counts = histograms.get((kind.value, ALL))
            standard = series_standard(kind.value, standards)
            shown = counts and key(kind.value, ALL) not in shared.hidden
            figures[kind] = summarise(counts, standard or 0) if shown else None
        people = key(RESPONDENTS, ALL)
        return queries.Headline(
            respondents=0 if people in shared.hidden else shared.counts.get(
                (RESPONDENTS, ALL), 0),
            intake=figures[WaitKind.INTAKE],
            first_return=figures[WaitKind.FIRST_RETURN],
        )

    return _consistent(session, ("headline", standards_key(standards)), compute, min_cell)
