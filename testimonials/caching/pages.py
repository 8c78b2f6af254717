"""Whole answers of the public views marked `@caching.page`, kept for one generation, and
their compressed copies (Flask-Compress's cache)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Request, Response, current_app, make_response, request

from testimonials.caching.invalidation import caches, generation
from testimonials.i18n import select_locale

F = TypeVar("F", bound=Callable[..., Any])

MAX_BODY = 512 * 1024  # a larger answer is rendered each time rather than kept
PAGE_CACHE_CONTROL = "public, max-age=0, must-revalidate"
_KEPT_TAG = "waitline.page_tag"  # request.environ: this answer's body is the kept page's


def page(view: F) -> F:
    """Mark a public view whose GET answers are kept for one generation, per address and
    language. An answer other than 200, one that sets a cookie and one over MAX_BODY are not
    kept; a reader who sends the ETag back gets a 304."""

    @functools.wraps(view)
    def cached_view(*args: Any, **kwargs: Any) -> Any:
        if not current_app.config["PAGE_CACHE"] or request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)
        kept = caches()
        key = (generation(), request.full_path, select_locale())
        tag = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
        # Weak comparison (RFC 9110): W/"x" from a compressing proxy matches "x" too; the 304
        # repeats Cache-Control so the reader knows how long to keep its copy.
        if request.if_none_match.contains_weak(tag):
            return Response(status=304, headers={"ETag": f'"{tag}"',
                                                 "Cache-Control": PAGE_CACHE_CONTROL})
        found = kept.pages.get(key)
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
            if key[0] > kept.pages_generation:  # an older generation's pages are dead weight
                kept.pages.clear()
                kept.pages_generation = key[0]
            kept.pages.put(key, (body, response.status_code, list(response.headers.items())),
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
        found = caches().pages.get(("compressed", key))
        return None if found is None else cast(bytes, found[0])

    def set(self, key: str, value: bytes) -> None:
        if _is_page_key(key):  # (Flask-Compress asks to keep every compressed answer)
            caches().pages.put(("compressed", key), value, weight=len(value))


def _is_page_key(key: str) -> bool:
    """Flask-Compress's key is "algorithm;" + kept_page_tag(request)."""
    return not key.endswith(";")
