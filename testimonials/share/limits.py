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

from flask import current_app
from limits import RateLimitItem, parse_many

from testimonials import runtime_settings
from testimonials.addresses import client_key
from testimonials.extensions import limiter

log = logging.getLogger(__name__)

SUBMIT = ("SUBMIT_RATE_LIMIT", "share-submit")
TOKEN_LOOKUP = ("TOKEN_LOOKUP_RATE_LIMIT", "share-token-miss")


def allowed(which: tuple[str, str]) -> bool:
    """Whether this address may go on (it has not used up the limit)."""
    return _every_limit(which, "test", "checked")


def take(which: tuple[str, str]) -> bool:
    """Count one use against this address if the limit allows it; False when it is used up.

    One step in the storage (a hit refuses rather than counts past the limit), so that two
    workers taking the last place at the same moment cannot both get it, as a test followed
    by a count could.
    """
    return _every_limit(which, "hit", "counted")


def _every_limit(which: tuple[str, str], method: str, done: str) -> bool:
    """The storage's `method` ("test" or "hit") on each limit of the setting, stopping at the
    first refusal; True when limits are off, and when the storage fails (any storage
    failure: let the patient through)."""
    items = _items(which)
    if not items:
        return True  # limits off: the extension's storage was never set up
    try:
        key = client_key()
        step = getattr(limiter.limiter, method)
        return all(step(item, which[1], key) for item in items)
    except Exception:  # noqa: BLE001
        log.warning("rate-limit storage unavailable; %s not %s", which[1], done)
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
