"""Every cache of the application in one place: its keys, its generation, its invalidation.

Three stores per process (per app), each an `LRU` (lru.py) bounded by count and weight:
- pages (pages.py): the answers of the public views marked `@caching.page`, by (generation,
  path and query, language), with an ETag so that a reader's revalidation costs a 304, and
  each one's compressed copies (Brotli, gzip) as Flask-Compress makes them;
- values (values.py): what `remembered(name, compute, seconds)` computes, kept for one
  generation and at most `seconds`;
- releases (values.py): what is made from a published statistics release, by release number.
  A release never changes, so none of it goes stale and no generation is in its key.

The generation (invalidation.py) is one number, the `content_version` row, that moves whenever
something the public sees changes. Nothing discovers that: each service that changes
something public calls `public_changed(session)` inside its own transaction (moderators'
decisions, a published story edited or withdrawn by its patient, places, settings, themes,
report picks, a statistics release). Every moderator decision moves it, whatever its outcome
and whatever the patient consented to, so a move says only that a moderator decided; a change
that only the statistics see (a counted, unpublished story's wait ended) must not move it, or
the ETags would tell a reader that someone consented to be counted only. New submissions do
not move it. Each process rereads the number at most every PAGE_CACHE_RECHECK_SECONDS, and the
process that moved it rereads it at its commit.

Stored counts are no cache of this package: the database's triggers keep them exact in the
transaction of each change (status_count: the statuses and the published stories).

Why in-process rather than Flask-Caching over Redis: a kept page is served in a dictionary
lookup (under a microsecond), while fetching a 30 KB page from Redis and unpickling it costs
the worker about 0.2 ms of CPU (measured with redis-py on this machine), out of the 0.5 ms a
request may take on each of two workers at the bench's ceiling of 4,000 a second (SPEC 7 asks
0.6 of it for the public pages). Workers need to share only the generation, one indexed row;
each rebuilds a page once per generation. Memory stays bounded per worker.

Callers of `remembered` are inner caches, each kept for a bench line that fails without it,
named (with its figures) where it is defined: the moderator's whole queue page
(moderate/queue_views.py), the places of the statistics filters (public/stats_views.py) and the
admins' runtime settings (runtime_settings.py); two functools caches name theirs likewise
(share/forms.py, demo/generator.py).
"""

from testimonials.caching.invalidation import (
    generation,
    init_app,
    public_changed,
    stored_generation,
)
from testimonials.caching.lru import LRU
from testimonials.caching.pages import CompressedPages, kept_page_tag, page
from testimonials.caching.values import from_release, release_document, remembered

__all__ = [
    "LRU", "CompressedPages", "from_release", "generation", "init_app", "kept_page_tag", "page",
    "public_changed", "release_document", "remembered", "stored_generation",
]
