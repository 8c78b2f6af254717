"""Redis shared by two real gunicorn workers: the patients' limit of 5 holds at 5 across both,
and when Redis stops, sign-in fails closed while stories still arrive, and both come back by
themselves when Redis returns (a Redis server of the test's own, on a free port)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from security_helpers import PASSWORD, prepared_database

from tests.integration.hostile.hostile_corpus import share_fields
from tests.load.gunicorn_server import Client, RedisServer, Server, free_port, running

pytestmark = pytest.mark.slow
EMAIL = "sec-admin@example.org"


@contextmanager
def site_with_redis(tmp_path: Path, **env: str) -> Iterator[tuple[Server, RedisServer]]:
    redis_server = RedisServer(free_port(), tmp_path)
    redis_server.start()
    url = prepared_database(tmp_path)
    try:
        with running(tmp_path, url, workers=2, access_log=tmp_path / "access.log",
                     env={"RATELIMIT_STORAGE_URI": redis_server.url, **env}) as server:
            yield server, redis_server
    finally:
        redis_server.stop()


def send_story(host: str, number: int) -> int:
    client = Client(host)
    token, _page = client.token_from("/share")
    form = share_fields(f"Across two workers, story number {number}", number)
    form["csrf_token"] = token
    return client.post("/share", form).status


def sign_in_status(host: str, password: str) -> tuple[int, str]:
    client = Client(host)
    token, _page = client.token_from("/moderate/login")
    reply = client.post("/moderate/login", {"csrf_token": token, "email": EMAIL,
                                            "password": password})
    return reply.status, reply.body


def workers_seen(tmp_path: Path) -> set[str]:
    return {line.strip() for line in (tmp_path / "access.log").read_text().splitlines()
            if line.strip()}


def test_a_limit_of_five_holds_at_five_across_two_workers(tmp_path: Path) -> None:
    with site_with_redis(tmp_path, SUBMIT_RATE_LIMIT="5 per hour") as (server, _redis):
        statuses: list[int] = []
        threads = [threading.Thread(target=lambda n=n: statuses.append(send_story(server.host, n)))
                   for n in range(8)]  # at once, so both workers take some
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(statuses) == [303] * 5 + [429] * 3, statuses
        assert send_story(server.host, 99) == 429
    assert len(workers_seen(tmp_path)) == 2  # both workers answered, sharing one count


def test_when_redis_stops_sign_in_fails_closed_stories_arrive_and_both_recover(
        tmp_path: Path) -> None:
    with site_with_redis(tmp_path) as (server, redis_server):
        assert sign_in_status(server.host, "wrong password")[0] == 400
        assert send_story(server.host, 1) == 303

        redis_server.stop()
        for number in range(2, 6):  # several requests, so that both workers meet the outage
            status, body = sign_in_status(server.host, PASSWORD)
            assert status == 503 and "Signing in is unavailable right now" in body
            assert send_story(server.host, number) == 303

        redis_server.start()  # the same address, empty
        for number in range(6, 10):
            assert sign_in_status(server.host, "wrong password")[0] == 400
            status, _body = sign_in_status(server.host, PASSWORD)
            assert status == 302  # on to the second factor: signing in works again
            assert send_story(server.host, number) == 303
    assert len(workers_seen(tmp_path)) == 2
