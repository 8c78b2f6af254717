"""Throttling failed sign-ins so that guessing is slow and a stranger cannot lock out the owner.

Counts live in the rate-limit storage (RATELIMIT_STORAGE_URI: Redis in production, so every
worker sees the same counts). Only failures count. If the storage cannot be reached, sign-in
fails closed (StorageDown): without counts, passwords could be guessed freely.

The password step:
- per account *and* address (SIGN_IN_RATE_LIMIT, a moving window): whoever guesses from one
  address is stopped there, while the owner, from any other address, signs in as usual;
- per address (SIGN_IN_ADDRESS_LIMIT): one address trying many accounts;
- per account from every address together, a larger budget (SIGN_IN_ACCOUNT_FREE failures a
  day) and then growing delays: after each further failure the account waits 1, 2, 4... up to
  SIGN_IN_ACCOUNT_MAX_DELAY seconds before the next try. Never a lockout: a guesser with many
  addresses can at worst make the owner wait that long, and gets at most
  SIGN_IN_ACCOUNT_FREE + 86400 / SIGN_IN_ACCOUNT_MAX_DELAY guesses a day (1,460 by default).
The code step (the password was right, so only its holder gets there): SIGN_IN_CODE_LIMIT
wrong codes per account, from any address. That is the guess budget against the second
factor: 10 a day by default; each guess matches one of the 3 codes accepted out of 10^6 (the
current 30-second step and its neighbours), so about 1 chance in 33,000 a day (1% a year).

Keys are keyed hashes of the e-mail and of the address: the storage holds neither.
The storage is this app's own `limits` storage on the same URI as Flask-Limiter's, rather
than the extension's, whose single instance is rebound by every app that is created.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from testimonials.addresses import address_hash, client_key

log = logging.getLogger(__name__)
_KEY = "waitline.sign_in_throttle"
_ACCOUNT_WINDOW_S = 86400  # the account's free failures are counted per day
T = TypeVar("T")


class StorageDown(RuntimeError):
    """The shared rate-limit storage did not answer."""


@dataclass(frozen=True)
class Verdict:
    """Whether a try may go ahead; if not, how many seconds until one may."""

    allowed: bool
    retry_after: int = 0


ALLOWED = Verdict(True)


def account_delay(failures: int, free: int, max_delay: int) -> int:
    """Seconds the account waits after its `failures`-th failure of the day: none within the
    free budget, then 1, 2, 4, 8... capped at `max_delay`."""
    beyond = failures - free
    if beyond <= 0:
        return 0
    return int(min(max_delay, 2 ** min(beyond - 1, 30)))


@dataclass(frozen=True)
class _Limits:
    limiter: MovingWindowRateLimiter
    storage: Storage
    pair: list[RateLimitItem]
    address: list[RateLimitItem]
    code: list[RateLimitItem]
    free: int
    max_delay: int


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _limits() -> _Limits:
    cached: _Limits | None = current_app.extensions.get(_KEY)
    if cached is None:
        config = current_app.config
        options = dict(config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        uri = str(config["RATELIMIT_STORAGE_URI"])
        if uri.startswith(("redis", "rediss")):
            # Fail closed quickly rather than hang a sign-in page on a dead server.
            options.setdefault("socket_connect_timeout", 2)
            options.setdefault("socket_timeout", 2)
        storage: Storage = storage_from_string(uri, **options)  # type: ignore[assignment]
        cached = _Limits(MovingWindowRateLimiter(storage), storage,
                         parse_many(config["SIGN_IN_RATE_LIMIT"]),
                         parse_many(config["SIGN_IN_ADDRESS_LIMIT"]),
                         parse_many(config["SIGN_IN_CODE_LIMIT"]),
                         int(config["SIGN_IN_ACCOUNT_FREE"]),
                         int(config["SIGN_IN_ACCOUNT_MAX_DELAY"]))
        current_app.extensions[_KEY] = cached
    return cached


def _account(email: str) -> str:
    # The e-mail is keyed and hashed like the address.
    return address_hash(email.strip().lower()[:254], current_app.config["SECRET_KEY"])


def _guarded(step: Callable[[], T]) -> T:
    try:
        return step()
    except Exception as error:  # noqa: BLE001 - whatever the storage raises, refuse
        log.error("sign-in throttle storage unavailable: %s", type(error).__name__)
        raise StorageDown() from None


def _window(limiter: MovingWindowRateLimiter, items: list[RateLimitItem],
            *identity: str) -> Verdict:
    for item in items:
        if not limiter.test(item, *identity):
            reset_at, _remaining = limiter.get_window_stats(item, *identity)
            return Verdict(False, max(1, math.ceil(reset_at - time.time())))
    return ALLOWED


def check(email: str) -> Verdict:
    """Whether a password may be tried for this e-mail from this address now."""
    if not enabled():
        return ALLOWED

    def look() -> Verdict:
        limits, account, address = _limits(), _account(email), client_key()
        for verdict in (_window(limits.limiter, limits.pair, "sign-in-pair", account, address),
                        _window(limits.limiter, limits.address, "sign-in-address", address)):
            if not verdict.allowed:
                return verdict
        cooldown = f"sign-in-account-wait/{account}"
        if limits.storage.get(cooldown) > 0:
            return Verdict(False, max(1, math.ceil(limits.storage.get_expiry(cooldown)
                                                   - time.time())))
        return ALLOWED

    return _guarded(look)


def failed(email: str) -> None:
    """Count a wrong password against the pair, the address and the account."""
    if not enabled():
        return

    def count() -> None:
        limits, account, address = _limits(), _account(email), client_key()
        for item in limits.pair:
            limits.limiter.hit(item, "sign-in-pair", account, address)
        for item in limits.address:
            limits.limiter.hit(item, "sign-in-address", address)
        failures = limits.storage.incr(f"sign-in-account-failures/{account}", _ACCOUNT_WINDOW_S)
        delay = account_delay(failures, limits.free, limits.max_delay)
        if delay:
            cooldown = f"sign-in-account-wait/{account}"
            limits.storage.clear(cooldown)
            limits.storage.incr(cooldown, delay)

    _guarded(count)


def code_check(email: str) -> Verdict:
    """Whether another one-time code may be tried for this account (from any address)."""
    if not enabled():
        return ALLOWED
    return _guarded(lambda: _window(_limits().limiter, _limits().code, "sign-in-code",
                                    _account(email)))


def code_failed(email: str) -> None:
    """Count a wrong one-time code against the account."""
    if not enabled():
        return

    def count() -> None:
        limits = _limits()
        for item in limits.code:
            limits.limiter.hit(item, "sign-in-code", _account(email))

    _guarded(count)
