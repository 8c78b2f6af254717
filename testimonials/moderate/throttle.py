"""Throttling failed sign-ins per account and per address, shared by all workers.

Counts live in the rate-limit storage (RATELIMIT_STORAGE_URI: Redis in production, so every
worker sees the same counts) under a moving window of SIGN_IN_RATE_LIMIT: failures age out,
nobody is locked out for good. Only failures count. If the storage cannot be reached,
sign-in fails closed (StorageDown): without counts, passwords could be guessed freely.

The storage is this app's own `limits` storage on the same URI as Flask-Limiter's, rather
than the extension's, whose single instance is rebound by every app that is created.
"""

from __future__ import annotations

import logging

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from testimonials.addresses import address_hash, client_key

log = logging.getLogger(__name__)
_KEY = "waitline.sign_in_throttle"


class StorageDown(RuntimeError):
    """The shared rate-limit storage did not answer."""


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _limiter() -> tuple[MovingWindowRateLimiter, list[RateLimitItem]]:
    cached = current_app.extensions.get(_KEY)
    if cached is None:
        config = current_app.config
        options = dict(config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        uri = str(config["RATELIMIT_STORAGE_URI"])
        if uri.startswith(("redis", "rediss")):
            # Fail closed quickly rather than hang a sign-in page on a dead server.
            options.setdefault("socket_connect_timeout", 2)
            options.setdefault("socket_timeout", 2)
        storage: Storage = storage_from_string(uri, **options)  # type: ignore[assignment]
        cached = (MovingWindowRateLimiter(storage), parse_many(config["SIGN_IN_RATE_LIMIT"]))
        current_app.extensions[_KEY] = cached
    return cached


def _identities(email: str) -> list[tuple[str, str]]:
    # The e-mail is keyed and hashed like the address: the storage holds neither.
    account = address_hash(email.strip().lower()[:254], current_app.config["SECRET_KEY"])
    return [("sign-in-account", account), ("sign-in-address", client_key())]


def allowed(email: str) -> bool:
    """Whether another try is allowed for this e-mail from this address."""
    if not enabled():
        return True
    limiter, limits = _limiter()
    try:
        return all(limiter.test(limit, *identity)
                   for limit in limits for identity in _identities(email))
    except Exception as error:  # noqa: BLE001 - whatever the storage raises, refuse
        log.error("sign-in throttle storage unavailable: %s", type(error).__name__)
        raise StorageDown() from None


def failed(email: str) -> None:
    """Count a failed try against the account and the address."""
    if not enabled():
        return
    limiter, limits = _limiter()
    try:
        for limit in limits:
            for identity in _identities(email):
                limiter.hit(limit, *identity)
    except Exception as error:  # noqa: BLE001
        log.error("sign-in throttle storage unavailable: %s", type(error).__name__)
        raise StorageDown() from None
