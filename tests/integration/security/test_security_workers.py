"""Sign-in throttling holds across two gunicorn workers that share Redis, and fails closed when
Redis is gone (while patients can still send their stories)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from flask import Flask
from security_helpers import PASSWORD, arrange, csrf_of, prepared_database, strict_app

from tests.conftest import service_missing
from tests.integration.hostile.hostile_corpus import share_fields
from tests.load.gunicorn_server import Client, free_port, running

pytestmark = pytest.mark.slow
# A Redis database of this suite's own, emptied before use.
REDIS_URL = os.environ.get("WAITLINE_SECURITY_REDIS_URL", "redis://127.0.0.1:6379/14")
EMAIL = "sec-admin@example.org"


def fresh_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        service_missing(f"Redis at {REDIS_URL} did not answer ({type(error).__name__})")


def fail_once(host: str, results: list[int]) -> None:
    client = Client(host)
    token, _page = client.token_from("/moderate/login")
    results.append(client.post("/moderate/login", {"csrf_token": token, "email": EMAIL,
                                                   "password": "wrong " * 3}).status)


def test_failed_sign_ins_are_counted_across_workers(tmp_path: Path) -> None:
    fresh_redis()
    url = prepared_database(tmp_path)
    limit = 6  # wrong passwords for one account from one address, tried in pairs
    access = tmp_path / "access.log"
    env = {"RATELIMIT_STORAGE_URI": REDIS_URL, "SIGN_IN_RATE_LIMIT": f"{limit} per 15 minutes"}
    with running(tmp_path, url, workers=2, env=env, access_log=access) as server:
        results: list[int] = []
        for _ in range(limit // 2):  # in pairs, at once: both workers must answer
            pair = [threading.Thread(target=fail_once, args=(server.host, results))
                    for _ in range(2)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join(timeout=30)
        assert results == [400] * limit
        client = Client(server.host)
        token, _page = client.token_from("/moderate/login")
        right = client.post("/moderate/login", {"csrf_token": token, "email": EMAIL,
                                                "password": PASSWORD})
        assert right.status == 429 and "Too many tries" in right.body
    pids = {line.strip() for line in access.read_text().splitlines() if line.strip()}
    assert len(pids) == 2, pids  # both workers served, and they shared the count


def test_without_redis_sign_in_fails_closed_and_stories_still_arrive(database_url: str) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app: Flask = strict_app(database_url, RATELIMIT_STORAGE_URI=dead)
    try:
        arrange(app)
        client = app.test_client()
        token = csrf_of(client.get("/moderate/login").get_data(as_text=True))
        response = client.post("/moderate/login", data={"csrf_token": token, "email": EMAIL,
                                                        "password": PASSWORD})
        assert response.status_code == 503
        assert "Signing in is unavailable right now" in response.get_data(as_text=True)
        patient = app.test_client()
        form = share_fields("Sent while the rate-limit store is down", 7)
        form["csrf_token"] = csrf_of(patient.get("/share").get_data(as_text=True))
        assert patient.post("/share", data=form).status_code == 303
    finally:
        app.extensions["waitline.engine"].dispose()
