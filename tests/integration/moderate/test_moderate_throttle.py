"""Failed sign-ins are throttled per account and address, per address, and per account with
growing delays, across workers, never as a lockout; wrong codes have a budget of their own."""

from __future__ import annotations

import os
import time
import types
import uuid
from collections.abc import Iterator

import limits.storage.memory
import pytest
from flask import Flask
from moderate_helpers import PASSWORD, current_code, make_account

from testimonials import create_app
from testimonials.moderate import throttle
from testimonials.moderate.throttle import account_delay
from testimonials.vocab import Role
from tests.conftest import service_missing

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
STRANGER, OWNER = "203.0.113.66", "198.51.100.7"


def _app(database_url: str, **config: object) -> Flask:
    # Windows long enough that a slow, loaded machine cannot let them lapse mid-test.
    return create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                       "RATELIMIT_ENABLED": True, "SIGN_IN_RATE_LIMIT": "3 per 60 seconds",
                       "SIGN_IN_ADDRESS_LIMIT": "6 per 60 seconds",
                       "SIGN_IN_ACCOUNT_FREE": 5, "SIGN_IN_ACCOUNT_MAX_DELAY": 60,
                       "SIGN_IN_CODE_LIMIT": "4 per day", **config})


@pytest.fixture
def limited(database_url: str) -> Iterator[Flask]:
    app = _app(database_url)
    yield app
    app.extensions["waitline.engine"].dispose()


class Clock:
    """The wall clock as the in-memory limit storage and the throttle read it, moved forward by
    `wait` instead of sleeping: the windows and delays run out as they would in real time, and
    the tests that wait for them take no seconds (issue 19; they slept 3 s each before)."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def time(self) -> float:
        return time.time() + self.ahead

    def wait(self, seconds: float) -> None:
        self.ahead += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    faked = types.SimpleNamespace(time=moved.time)
    monkeypatch.setattr(limits.storage.memory, "time", faked)
    monkeypatch.setattr(throttle, "time", faked)
    return moved


def _try(app: Flask, email: str, password: str, address: str = "203.0.113.5") -> int:
    client = app.test_client()
    response = client.post("/moderate/login", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code


def test_a_stranger_cannot_lock_out_the_owner(limited: Flask) -> None:
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    statuses = [_try(limited, person.email, "wrong password!", STRANGER) for _ in range(5)]
    assert statuses == [400, 400, 400, 429, 429]  # the stranger is stopped at their address
    assert _try(limited, person.email, PASSWORD, STRANGER) == 429
    assert _try(limited, person.email, PASSWORD, OWNER) == 302  # the owner is not


def test_failures_are_throttled_per_address(limited: Flask) -> None:
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    for number in range(6):
        assert _try(limited, f"guess{number}@example.org", "wrong password!") == 400
    assert _try(limited, person.email, PASSWORD) == 429
    assert _try(limited, person.email, PASSWORD, OWNER) == 302


def test_many_addresses_slow_an_account_down_without_locking_it(database_url: str,
                                                                clock: Clock) -> None:
    app = _app(database_url, SIGN_IN_ACCOUNT_FREE=4, SIGN_IN_ACCOUNT_MAX_DELAY=2)
    person = make_account(app, "mod@example.org", Role.MODERATOR)
    for number in range(4):  # the account's free budget, spent from four addresses
        assert _try(app, person.email, "wrong password!", f"203.0.113.{number}") == 400
    # Beyond it each failure makes the account wait, for everyone: 1 s, then 2 s (the cap).
    assert _try(app, person.email, "wrong password!", "203.0.113.10") == 400
    assert _try(app, person.email, PASSWORD, OWNER) == 429
    clock.wait(1.1)
    assert _try(app, person.email, "wrong password!", "203.0.113.11") == 400
    response = app.test_client().post("/moderate/login", data={
        "email": person.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": OWNER})
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    clock.wait(2.1)  # never longer than SIGN_IN_ACCOUNT_MAX_DELAY: the owner gets in
    assert _try(app, person.email, PASSWORD, OWNER) == 302
    app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize(("failures", "delay"), [
    (0, 0), (20, 0), (21, 1), (22, 2), (23, 4), (26, 32), (27, 60), (28, 60), (10**6, 60)])
def test_the_account_delay_grows_and_is_capped(failures: int, delay: int) -> None:
    assert account_delay(failures, free=20, max_delay=60) == delay


def test_the_pair_throttle_wears_off(database_url: str, clock: Clock) -> None:
    app = _app(database_url, SIGN_IN_RATE_LIMIT="3 per 3 seconds")
    person = make_account(app, "mod@example.org", Role.MODERATOR)
    for _ in range(3):
        _try(app, person.email, "wrong password!")
    assert _try(app, person.email, PASSWORD) == 429
    clock.wait(3.1)  # the moving window of SIGN_IN_RATE_LIMIT passes: no permanent lockout
    assert _try(app, person.email, PASSWORD) == 302
    app.extensions["waitline.engine"].dispose()


def test_successes_do_not_count(limited: Flask) -> None:
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    for _ in range(8):
        assert _try(limited, person.email, PASSWORD) == 302


def test_the_page_says_what_happened(limited: Flask) -> None:
    for _ in range(3):
        _try(limited, "x@example.org", "wrong password!")
    response = limited.test_client().post("/moderate/login", data={
        "email": "x@example.org", "password": "p"}, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert response.status_code == 429
    assert "Too many tries" in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_wrong_codes_have_a_budget_per_account_from_any_address(limited: Flask) -> None:
    """With the password known, SIGN_IN_CODE_LIMIT codes can be guessed, then none."""
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    statuses = []
    for number in range(5):  # a new address and a new sign-in for every guess
        client = limited.test_client()
        address = f"203.0.113.{number + 20}"
        client.post("/moderate/login", data={"email": person.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": address})
        statuses.append(client.post("/moderate/login/code", data={"code": "000000"},
                                    environ_base={"REMOTE_ADDR": address}).status_code)
    assert statuses == [400, 400, 400, 400, 429]
    client = limited.test_client()  # the budget is spent: even the right code waits
    client.post("/moderate/login", data={"email": person.email, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": OWNER})
    right = client.post("/moderate/login/code", data={"code": current_code()},
                        environ_base={"REMOTE_ADDR": OWNER})
    assert right.status_code == 429


def test_the_default_code_budget_is_the_one_stated(app: Flask) -> None:
    assert app.config["SIGN_IN_CODE_LIMIT"] == "10 per day"
    assert app.config["SIGN_IN_ACCOUNT_FREE"] + 86400 // app.config[
        "SIGN_IN_ACCOUNT_MAX_DELAY"] == 1460


def test_sign_in_fails_closed_when_the_limit_storage_is_down(database_url: str) -> None:
    app = _app(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6390")
    person = make_account(app, "mod@example.org", Role.MODERATOR)
    started = time.perf_counter()
    status = _try(app, person.email, PASSWORD)
    assert status == 503
    assert time.perf_counter() - started < 5
    page = app.test_client().post("/moderate/login", data={
        "email": person.email, "password": PASSWORD}).get_data(as_text=True)
    assert "Signing in is unavailable right now" in page
    app.extensions["waitline.engine"].dispose()


def test_workers_share_the_counts_through_redis(database_url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        service_missing(f"Redis at {REDIS_URL} did not answer")
    # Two apps stand for two gunicorn workers; a fresh e-mail keeps runs apart.
    secret = f"throttle-test-{uuid.uuid4().hex}"
    first, second = (_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL, SECRET_KEY=secret,
                          SIGN_IN_ACCOUNT_FREE=3, SIGN_IN_ACCOUNT_MAX_DELAY=30)
                     for _ in range(2))
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    for _ in range(3):
        assert _try(first, email, "wrong password!") == 400
    assert _try(second, email, "wrong password!") == 429  # the pair's count, shared
    # The account's delay is shared too: one worker's failures make the other wait.
    assert _try(first, email, "wrong password!", "203.0.113.77") == 400
    assert _try(second, email, "wrong password!", "203.0.113.78") == 429
    for app in (first, second):
        app.extensions["waitline.engine"].dispose()
