"""The patients' rate limits, counted by hand so that hitting one never loses a story.

Flask-Limiter's decorator answers before the view runs; the share form must instead come back
filled in. So the view takes a place (`take`) only once the form is valid, and a refused form keeps
everything typed.
Keys are the keyed hash of the address (testimonials.addresses), never the address. If the
limit storage (Redis) is down, patients are let through: a lost story is the worse failure.
The limits are read through runtime_settings, so an admin's change applies at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse_many

from testimonials import runtime_settings
from testimonials.addresses import client_key
from testimonials.extensions import limiter

log = logging.getLogger(__name__)

SUBMIT = ("SUBMIT_RATE_LIMIT", "share-submit")
TOKEN_LOOKUP = ("TOKEN_LOOKUP_RATE_LIMIT", "share-token-miss")


@dataclass(frozen=True, slots=True)
class Places:
    """One setting's limits and this address's key, read beforehand (`places`): taking a
    place is then one step in the storage. A new story takes its place inside SQLite's write
    lock; reading the setting (a session of its own) and hashing the address are done before
    it, where they hold up no other writer."""

    name: str
    items: tuple[RateLimitItem, ...]
    key: str


def places(which: tuple[str, str]) -> Places:
    """The setting's limits, as set now, and this request's address key."""
    items = tuple(_items(which))
    return Places(which[1], items, client_key() if items else "")


def allowed(which: tuple[str, str]) -> bool:
    """Whether this address may go on (it has not used up the limit)."""
    return _every_limit(places(which), "test", "checked")


def take(which: tuple[str, str] | Places) -> bool:
    """Count one use against this address if the limit allows it; False when it is used up.

    One step in the storage (a hit refuses rather than counts past the limit), so that two
    workers taking the last place at the same moment cannot both get it, as a test followed
    by a count could.
    """
    return _every_limit(which if isinstance(which, Places) else places(which), "hit", "counted")


def _every_limit(ready: Places, method: str, done: str) -> bool:
    """The storage's `method` ("test" or "hit") on each limit, stopping at the first refusal;
    True when limits are off, and when the storage fails (any storage failure: let the
    patient through)."""
    if not ready.items:
        return True  # limits off: the extension's storage was never set up
    try:
        step = getattr(limiter.limiter, method)
        return all(step(item, ready.name, ready.key) for item in ready.items)
    except Exception:  # noqa: BLE001
        log.warning("rate-limit storage unavailable; %s not %s", ready.name, done)
        return True


def count(which: tuple[str, str]) -> None:
    """Count one use against this address."""
    items = _items(which)
    try:
        key = client_key()
        for item in items:
            limiter.limiter.hit(item, which[1], key)
    except Exception:  # noqa: BLE001
        log.warning("rate-limit storage unavailable; %s not counted", which[1])


def _items(which: tuple[str, str]) -> list[RateLimitItem]:
    """Every limit of the setting ("5 per hour; 20 per day"), none when limits are off."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return []
    return parse_many(str(runtime_settings.get(which[0])))
