"""Every cache of the application in one place: its keys, its generation, its invalidation.

Three stores, one small LRU class under them, all per process (per app):
- pages: the answers of the public views marked `@caching.page`, by (generation, path and
  query, language), with an ETag so that a reader's revalidation costs a 304, and each one's
  compressed copies (Brotli, gzip) as Flask-Compress makes them (`CompressedPages`);
- values: what `remembered(name, compute, seconds)` computes, kept for one generation and at
  most `seconds` (the admins' runtime settings, the places of the statistics filters, the
  moderator's queue page);
- releases: what is made from a published statistics release (`release_document`,
  `from_release`), by release number. A release never changes, so none of it goes stale and
  no generation is in its key: after a moderator's decision the /stats page is put together
  again from them (about a millisecond), never computed again.

The generation is one number (the `content_version` row) that moves whenever something the
public sees changes. Nothing discovers that: each service that changes something public calls
`public_changed(session)` inside its own transaction (moderators' decisions, a published
story edited or withdrawn by its patient, places, settings, themes, report picks, a statistics
release). Every moderator decision moves it, whatever its outcome and whatever the patient
consented to, so a move says only that a moderator decided; a change that only the statistics
see (a counted, unpublished story's wait ended) must not move it, or the ETags would tell a
reader that someone consented to be counted only. New submissions do not move it.
Each process rereads the number at most every PAGE_CACHE_RECHECK_SECONDS (so other workers
see a change within that), and the process that moved it rereads it at its commit. It reads
it through a connection of its own, never through the request's session.

Why in-process rather than Flask-Caching over Redis: a kept page is served in a dictionary
lookup (under a microsecond), while fetching a 30 KB page from Redis and unpickling it costs
the worker about 0.2 ms of CPU (measured with redis-py on this machine), out of the 0.5 ms a
request may take on each of two workers at the bench's ceiling of 4,000 a second (SPEC 7 asks
0.6 of it for the public pages). Workers need to share only the generation, one indexed row;
each rebuilds a page once per generation. Memory stays bounded per worker (MAX_BYTES, counts).

Inner caches elsewhere, each kept for a bench line that fails without it (measured in process
at 10,000 pending and 10,000 published stories, CPU time per request): the moderator's whole
queue page (moderate/queue_views.py; 2.4 ms kept, 18.9 ms rendered: "/moderate/ (100,000
pending)" at 0.4), the places of the statistics filters (public/stats_views.py; /stats 2.0 ms
against 4.7 ms: "/stats" at 0.6), and two functools caches that name their lines
(share/forms.py, demo/generator.py).
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from flask import Flask, Request, Response, current_app, has_app_context, make_response, request
from sqlalchemy import CursorResult, event, insert, text, update
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.i18n import select_locale
from testimonials.models import ContentVersion

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

MAX_PAGES = 1024
MAX_BODY = 512 * 1024  # a larger answer is rendered each time rather than kept
# What the pages may weigh in all, per process: a reader paging 2,000 pages deep must not
# grow every worker by the whole list (each worker's memory budget is 150 MB).
MAX_BYTES = 16 * 1024 * 1024
PAGE_CACHE_CONTROL = "public, max-age=0, must-revalidate"
_EXTENSION = "waitline.caching"
_MOVED = "waitline.generation_moved"  # session.info: the transaction that moved it
_KEPT_TAG = "waitline.page_tag"  # request.environ: this answer's body is the kept page's
_GENERATION_SQL = text("SELECT value FROM content_version WHERE id = 1")


class LRU:
    """A thread-safe map bounded by entry count and total weight, least recently used out
    first; an entry may also carry the monotonic time after which it is not returned."""

    def __init__(self, max_entries: int, max_weight: float = math.inf) -> None:
        self._entries: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries, self.max_weight = max_entries, max_weight
        self.weight = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[Any] | None:
        """(value,) or None when absent or expired (a value may itself be None)."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return (found[2],)

    def put(self, key: Hashable, value: Any, *, weight: int = 0,
            expires: float = math.inf) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._entries[key] = (expires, weight, value)
            self.weight += weight
            while len(self._entries) > self.max_entries or self.weight > self.max_weight:
                _key, (_expires, dropped, _value) = self._entries.popitem(last=False)
                self.weight -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.weight = 0


@dataclass
class Caches:
    """One app's caches and its reading of the generation."""

    recheck_seconds: float
    generation: int = 0  # the last reading of the database's number...
    read_at: float = -math.inf  # ...and when it was taken (time.monotonic)
    pages_generation: int = -1  # of the pages held
    pages: LRU = field(default_factory=lambda: LRU(MAX_PAGES, MAX_BYTES))
    values: LRU = field(default_factory=lambda: LRU(512))
    documents: LRU = field(default_factory=lambda: LRU(3))  # parsed releases: large
    release_texts: LRU = field(default_factory=lambda: LRU(256))


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = Caches(float(app.config["PAGE_CACHE_RECHECK_SECONDS"]))


def _caches() -> Caches:
    return cast(Caches, current_app.extensions[_EXTENSION])


# The generation ---------------------------------------------------------------------------

def stored_generation(session: Session) -> int:
    """The number as the database holds it now."""
    return session.execute(_GENERATION_SQL).scalar() or 0


def generation() -> int:
    """The number as this process last read it (at most PAGE_CACHE_RECHECK_SECONDS old).

    Read through a connection of its own, so that asking never opens the caller's transaction:
    the runtime settings are asked for before a request's `db.writing()` block, which must
    begin the request's transaction itself.
    """
    caches = _caches()
    now = time.monotonic()
    if now - caches.read_at >= caches.recheck_seconds:
        with db.engine().connect() as connection:
            caches.generation = connection.execute(_GENERATION_SQL).scalar() or 0
        caches.read_at = now
    return caches.generation


def public_changed(session: Session) -> None:
    """Call in the transaction that changes what the public sees: at its commit every cached
    page and remembered value is renewed (on this process at once, on the others within
    PAGE_CACHE_RECHECK_SECONDS). Moves the number once per transaction however often called.
    """
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_MOVED) is transaction:
        return
    result = session.execute(update(ContentVersion).where(ContentVersion.id == 1)
                             .values(value=ContentVersion.value + 1))
    if cast(CursorResult[Any], result).rowcount == 0:  # the migration's row is gone (truncated)
        session.execute(insert(ContentVersion).values(id=1, value=1))
    session.info[_MOVED] = session.get_transaction()
    if not event.contains(session, "after_commit", _reread_at_commit):
        # On this session only (not process-wide): the mover's next request reads the new number.
        event.listen(session, "after_commit", _reread_at_commit)


def _reread_at_commit(session: Session) -> None:
    if session.info.pop(_MOVED, None) is not None and has_app_context():
        caches = current_app.extensions.get(_EXTENSION)
        if caches is not None:
            caches.read_at = -math.inf


# Pages -------------------------------------------------------------------------------------

def page(view: F) -> F:
    """Mark a public view whose GET answers are kept for one generation, per address and
    language. An answer other than 200, one that sets a cookie and one over MAX_BODY are not
    kept; a reader who sends the ETag back gets a 304."""

    @functools.wraps(view)
    def cached_view(*args: Any, **kwargs: Any) -> Any:
        if not current_app.config["PAGE_CACHE"] or request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)
        caches = _caches()
        key = (generation(), request.full_path, select_locale())
        tag = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
        # Weak comparison (RFC 9110): W/"x" from a compressing proxy matches "x" too; the 304
        # repeats Cache-Control so the reader knows how long to keep its copy.
        if request.if_none_match.contains_weak(tag):
            return Response(status=304, headers={"ETag": f'"{tag}"',
                                                 "Cache-Control": PAGE_CACHE_CONTROL})
        found = caches.pages.get(key)
        if found is not None:
            body, status, headers = found[0]
            request.environ[_KEPT_TAG] = tag
            return Response(body, status=status, headers=headers)
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200 or response.direct_passthrough:
            return response
        response.headers["ETag"] = f'"{tag}"'
        response.headers.setdefault("Cache-Control", PAGE_CACHE_CONTROL)
        body = response.get_data()
        if len(body) <= MAX_BODY and "Set-Cookie" not in response.headers:
            if key[0] > caches.pages_generation:  # an older generation's pages are dead weight
                caches.pages.clear()
                caches.pages_generation = key[0]
            caches.pages.put(key, (body, response.status_code, list(response.headers.items())),
                             weight=len(body))
            request.environ[_KEPT_TAG] = tag
        return response

    return cast(F, cached_view)


def kept_page_tag(req: Request) -> str:
    """The kept page's tag when this request's answer is a kept page's body, else "" (Flask-
    Compress's COMPRESS_CACHE_KEY: only kept pages have their compressed copies kept)."""
    return cast(str, req.environ.get(_KEPT_TAG, ""))


class CompressedPages:
    """Flask-Compress's cache (COMPRESS_CACHE_BACKEND): each kept page compressed once per
    algorithm, kept with the pages (renewed with them). A browser sends Accept-Encoding with
    every request: Brotli made again for each cost 0.8 ms of CPU on /stories (42 KB) and
    2.4 ms on /stats (137 KB), against about 0.3 ms for the whole of a kept page's request."""

    def get(self, key: str) -> bytes | None:
        if not _is_page_key(key):
            return None
        found = _caches().pages.get(("compressed", key))
        return None if found is None else cast(bytes, found[0])

    def set(self, key: str, value: bytes) -> None:
        if _is_page_key(key):  # (Flask-Compress asks to keep every compressed answer)
            _caches().pages.put(("compressed", key), value, weight=len(value))


def _is_page_key(key: str) -> bool:
    """Flask-Compress's key is "algorithm;" + kept_page_tag(request)."""
    return not key.endswith(";")


# Values ------------------------------------------------------------------------------------

def remembered(name: Hashable, compute: Callable[[], T], *, seconds: float) -> T:
    """`compute()`, kept in this process for this generation and at most `seconds`.

    Each caller says which bench line needs it (an inner cache exists for no other reason).
    """
    caches = _caches()
    key = (generation(), name)
    found = caches.values.get(key)
    if found is not None:
        return cast(T, found[0])
    value = compute()
    caches.values.put(key, value, expires=time.monotonic() + seconds)
    return value


# Releases ----------------------------------------------------------------------------------

def release_document(number: int, load: Callable[[], T | None]) -> T | None:
    """Release `number` as `load()` parses it (None, for no such release, is not kept)."""
    return _kept(_caches().documents, number, load)


def from_release(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """`make()`, kept under `key`, whose first element is the release number it is made from
    (anything else it depends on, such as the language, is in the rest of the key)."""
    return cast(T, _kept(_caches().release_texts, key, make))


def _kept(store: LRU, key: Hashable, make: Callable[[], T | None]) -> T | None:
    found = store.get(key)
    if found is not None:
        return cast(T, found[0])
    value = make()
    if value is not None:
        store.put(key, value)
    return value
