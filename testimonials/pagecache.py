"""A cache of rendered public pages, valid for one content version.

Anonymous GETs of the public pages are answered from a per-process cache when the
content version (one row, read on every request) has not changed since the page was
rendered; with an ETag, a browser's revalidation costs a 304. Whatever changes what the
public sees bumps the version in the same transaction (`bump_on_public_change`), so a
moderator's decision shows on every worker at the next request.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Any, cast

from flask import Flask, Response, current_app, g, has_app_context, request
from sqlalchemy import CursorResult, event, insert, inspect, text, update
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.i18n import select_locale
from testimonials.models import ContentVersion, Facility, Region, Setting, Submission, Wait

# The public pages, by route rule (the statistics pages keep their own cache per release).
CACHEABLE_RULES = frozenset({
    "/", "/stories", "/stories/<int:story_id>", "/stories.atom",
    "/api/v1/stories", "/api/v1/stories/<int:story_id>", "/api/openapi.json",
})
MAX_ENTRIES = 1024
_CACHE_CONTROL = "public, max-age=0, must-revalidate"
MAX_BODY = 512 * 1024
# What the pages held may weigh in all, per process: a reader paging 2,000 pages deep must not
# grow every worker by the whole list (each worker's memory budget is 150 MB).
MAX_BYTES = 16 * 1024 * 1024
# Submission columns whose change can alter a public page.
_PUBLIC_COLUMNS = frozenset({
    "status", "published_at", "public_title", "public_story", "display_name", "facility_id",
    "region_id", "care_types", "outcomes", "experience_month",
})


_VERSION_SQL = text("SELECT value FROM content_version WHERE id = 1")


def current_version(session: Session) -> int:
    return session.execute(_VERSION_SQL).scalar() or 0


def content_version(session: Session) -> int:
    """The version as this process last read it (at most PAGE_CACHE_RECHECK_SECONDS old).

    The version a cached page is keyed on; values memoised per version (public.web) use it
    too, so that they change with the pages.
    """
    return int(current_app.extensions["waitline.page_cache"].version_for_request(session))


def _forget_reading(session: Session) -> None:
    """After a commit that bumped the version, this process rereads it at once."""
    if session.info.pop("waitline.version_bumped", None) and has_app_context():
        cache = current_app.extensions.get("waitline.page_cache")
        if cache is not None:
            cache.read_at = float("-inf")


def bump(session: Session) -> None:
    """Invalidate every cached public page (call inside the transaction that changes them)."""
    result = session.execute(update(ContentVersion).where(ContentVersion.id == 1)
                             .values(value=ContentVersion.value + 1))
    # The row the migration creates is gone (e.g. a truncated table).
    if cast(CursorResult[Any], result).rowcount == 0:
        session.execute(insert(ContentVersion).values(id=1, value=1))


def bump_once(session: Session) -> None:
    """Bump the version in this transaction unless it has been bumped already.

    For changes the flush hook cannot see, such as the statistics aggregates (written with
    plain statements), whose figures the home page shows.
    """
    if not session.info.get("waitline.version_bumped"):
        session.info["waitline.version_bumped"] = True
        bump(session)


def _is_public(submission: Submission | None) -> bool:
    # Counted in the statistics is not public: figures change only with a release (and a
    # version bump on a statistics-only change would tell who consented to what).
    return submission is not None and submission.published_at is not None


def _touches_public(session: Session, instance: Any, *, new: bool) -> bool:
    if isinstance(instance, (Facility, Region, Setting)):
        return True
    if isinstance(instance, Wait):
        # A published story shows its waits ("still waiting after...").
        owner = instance.submission
        if owner is None and instance.submission_id is not None:
            owner = session.get(Submission, instance.submission_id)
        return _is_public(owner)
    if not isinstance(instance, Submission):
        return False
    if new:
        return _is_public(instance)
    state = inspect(instance)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return bool(changed & _PUBLIC_COLUMNS) or ("waits" in changed and _is_public(instance))


def bump_on_public_change(session: Session, _context: Any, _instances: Any) -> None:
    """Before each flush: bump the version if the flush changes anything public."""
    if session.info.get("waitline.version_bumped"):
        return
    if any(_touches_public(session, obj, new=True) for obj in session.new) or any(
            _touches_public(session, obj, new=False)
            for obj in list(session.dirty) + list(session.deleted)):
        session.info["waitline.version_bumped"] = True
        bump(session)


def _reset_flag(session: Session, *_args: Any) -> None:
    session.info.pop("waitline.version_bumped", None)


event.listen(Session, "before_flush", bump_on_public_change)
event.listen(Session, "after_commit", _forget_reading)
event.listen(Session, "after_rollback", _reset_flag)


class PageCache:
    """Rendered responses keyed by (version, path and query, language), least recent out."""

    def __init__(self, recheck_seconds: float) -> None:
        self.entries: OrderedDict[tuple[int, str, str], tuple[bytes, int, list[tuple[str, str]]]]
        self.entries = OrderedDict()
        self.size = 0  # bytes of the bodies held
        self.version = -1  # of the pages held
        self.recheck_seconds = recheck_seconds
        self.known_version = 0  # the last reading of the database's version...
        self.read_at = float("-inf")  # ...and when it was taken (time.monotonic)

    def version_for_request(self, session: Session) -> int:
        """The content version, read from the database at most every `recheck_seconds`.

        Other workers see a change within that interval; the worker that made the change
        sees it at once (`_forget_reading` runs after its commit).
        """
        now = time.monotonic()
        if now - self.read_at >= self.recheck_seconds:
            self.known_version, self.read_at = current_version(session), now
        return self.known_version

    def get(self, key: tuple[int, str, str]) -> tuple[bytes, int, list[tuple[str, str]]] | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: tuple[int, str, str],
            value: tuple[bytes, int, list[tuple[str, str]]]) -> None:
        if key[0] > self.version:
            self.entries.clear()  # an older version's pages are dead weight
            self.size = 0
            self.version = key[0]
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[0])
        self.entries[key] = value
        self.size += len(value[0])
        while len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES:
            _key, (body, _status, _headers) = self.entries.popitem(last=False)
            self.size -= len(body)


def _cacheable() -> bool:
    return (request.method in ("GET", "HEAD") and request.url_rule is not None
            and request.url_rule.rule in CACHEABLE_RULES)


def _etag(key: tuple[int, str, str]) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:24]


def init_app(app: Flask) -> None:
    cache = PageCache(float(app.config["PAGE_CACHE_RECHECK_SECONDS"]))
    app.extensions["waitline.page_cache"] = cache

    @app.before_request
    def answer_from_cache() -> Response | None:
        if not app.config["PAGE_CACHE"] or not _cacheable():
            return None
        version = cache.version_for_request(db.session())
        key = (version, request.full_path, select_locale())
        g.page_cache_key = key
        etag = _etag(key)
        # Weak comparison (RFC 9110): W/"x" from a compressing proxy matches "x" too; the 304
        # repeats Cache-Control so the reader knows how long to keep its copy.
        if request.if_none_match.contains_weak(etag):
            return Response(status=304, headers={"ETag": f'"{etag}"',
                                                 "Cache-Control": _CACHE_CONTROL})
        found = cache.get(key)
        if found is None:
            return None
        body, status, headers = found
        return Response(body, status=status, headers=headers)

    @app.after_request
    def remember_page(response: Response) -> Response:
        key = g.pop("page_cache_key", None)
        if key is None or response.status_code != 200 or response.direct_passthrough:
            return response
        response.headers["ETag"] = f'"{_etag(key)}"'
        response.headers.setdefault("Cache-Control", _CACHE_CONTROL)
        body = response.get_data()
        if len(body) <= MAX_BODY and "Set-Cookie" not in response.headers:
            cache.put(key, (body, response.status_code,
                            [(k, v) for k, v in response.headers.items() if k != "Set-Cookie"]))
        return response
