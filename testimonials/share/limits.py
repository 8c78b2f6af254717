"""The patients' rate limits, counted by hand so that hitting one never loses a story.

Flask-Limiter's decorator answers before the view runs; the share form must instead come back
filled in. So the view asks first (`allowed`) and counts only what it accepted (`count`).
Keys are the keyed hash of the address (testimonials.addresses), never the address. If the
limit storage (Redis) is down, patients are let through: a lost story is the worse failure.
"""

from __future__ import annotations

import logging

from flask import current_app
from limits import RateLimitItem, parse

from testimonials.addresses import client_key
from testimonials.extensions import limiter

log = logging.getLogger(__name__)

SUBMIT = ("SUBMIT_RATE_LIMIT", "share-submit")
TOKEN_LOOKUP = ("TOKEN_LOOKUP_RATE_LIMIT", "share-token-miss")


def allowed(which: tuple[str, str]) -> bool:
    """Whether this address may go on (it has not used up the limit)."""
    item = _item(which)
    if item is None:
        return True
    try:
        return bool(limiter.limiter.test(item, which[1], client_key()))
    except Exception:  # noqa: BLE001 - any storage failure: let the patient through
        log.warning("rate-limit storage unavailable; %s not checked", which[1])
        return True


def count(which: tuple[str, str]) -> None:
    """Count one use against this address."""
    item = _item(which)
    if item is None:
        return
    try:
        limiter.limiter.hit(item, which[1], client_key())
    except Exception:  # noqa: BLE001
        log.warning("rate-limit storage unavailable; %s not counted", which[1])


def _item(which: tuple[str, str]) -> RateLimitItem | None:
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    return parse(str(config[which[0]]))
