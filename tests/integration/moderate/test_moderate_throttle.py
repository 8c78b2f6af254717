"""Failed sign-ins are throttled per account and per address, across workers, not for ever."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from moderate_helpers import PASSWORD, make_account
from testimonials import create_app
from testimonials.vocab import Role
from tests.conftest import service_missing

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _app(database_url: str, **config: object) -> Flask:
    # A window long enough that a slow, loaded machine cannot let it lapse mid-test.
    return create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                       "RATELIMIT_ENABLED": True, "SIGN_IN_RATE_LIMIT": "3 per 60 seconds",
                       **config})


@pytest.fixture
def limited(database_url: str) -> Iterator[Flask]:
    app = _app(database_url)
    yield app
    app.extensions["waitline.engine"].dispose()


def _try(app: Flask, email: str, password: str, address: str = "203.0.113.5") -> int:
    client = app.test_client()
    response = client.post("/moderate/login", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code


def test_failures_are_throttled_per_account(limited: Flask) -> None:
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        assert _try(limited, person.email, "wrong password!", address) == 400
    # From a fourth address, even the right password waits: the account is being guessed.
    assert _try(limited, person.email, PASSWORD, "203.0.113.4") == 429


def test_failures_are_throttled_per_address(limited: Flask) -> None:
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    for number in range(3):
        assert _try(limited, f"guess{number}@example.org", "wrong password!") == 400
    assert _try(limited, person.email, PASSWORD) == 429
    assert _try(limited, person.email, PASSWORD, "198.51.100.7") == 302


def test_the_throttle_wears_off(database_url: str) -> None:
    app = _app(database_url, SIGN_IN_RATE_LIMIT="3 per 3 seconds")
    person = make_account(app, "mod@example.org", Role.MODERATOR)
    for _ in range(3):
        _try(app, person.email, "wrong password!")
    assert _try(app, person.email, PASSWORD) == 429
    time.sleep(3.1)  # the moving window of SIGN_IN_RATE_LIMIT passes: no permanent lockout
    assert _try(app, person.email, PASSWORD) == 302
    app.extensions["waitline.engine"].dispose()


def test_successes_do_not_count(limited: Flask) -> None:
    person = make_account(limited, "mod@example.org", Role.MODERATOR)
    for _ in range(5):
        assert _try(limited, person.email, PASSWORD) == 302


def test_the_page_says_what_happened(limited: Flask) -> None:
    for _ in range(3):
        _try(limited, "x@example.org", "wrong password!")
    response = limited.test_client().post("/moderate/login", data={
        "email": "x@example.org", "password": "p"}, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert response.status_code == 429
    assert "Too many tries" in response.get_data(as_text=True)


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
    first, second = (_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL, SECRET_KEY=secret)
                     for _ in range(2))
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    for _ in range(3):
        assert _try(first, email, "wrong password!") == 400
    assert _try(second, email, "wrong password!") == 429
    for app in (first, second):
        app.extensions["waitline.engine"].dispose()
