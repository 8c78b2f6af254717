"""Each app's stores, and the generation that renews them: one number that every public
change moves (`public_changed`; the package's docstring says who calls it and why).

The number is read through a connection of its own, never through the request's session, so
that asking never opens the caller's transaction: the runtime settings are asked for before a
request's `db.writing()` block, which must begin the request's transaction itself.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from sqlalchemy import CursorResult, event, insert, text, update
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.caching.lru import LRU
from testimonials.models import ContentVersion

MAX_PAGES = 1024
# What the pages may weigh in all, per process: a reader paging 2,000 pages deep must not
# grow every worker by the whole list (each worker's memory budget is 150 MB).
MAX_BYTES = 16 * 1024 * 1024
_EXTENSION = "waitline.caching"
_MOVED = "waitline.generation_moved"  # session.info: the transaction that moved it
_GENERATION_SQL = text("SELECT value FROM content_version WHERE id = 1")


@dataclass
class Caches:
    """One app's stores and its reading of the generation."""

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


def caches() -> Caches:
    """This app's stores and its reading of the generation."""
    return cast(Caches, current_app.extensions[_EXTENSION])


def stored_generation(session: Session) -> int:
    """The number as the database holds it now."""
    return session.execute(_GENERATION_SQL).scalar() or 0


def generation() -> int:
    """The number as this process last read it (at most PAGE_CACHE_RECHECK_SECONDS old)."""
    kept = caches()
    now = time.monotonic()
    if now - kept.read_at >= kept.recheck_seconds:
        with db.engine().connect() as connection:
            kept.generation = connection.execute(_GENERATION_SQL).scalar() or 0
        kept.read_at = now
    return kept.generation


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
        kept = current_app.extensions.get(_EXTENSION)
        if kept is not None:
            kept.read_at = -math.inf
