"""Redis shared by two real gunicorn workers: the patients' limit of 5 holds at 5 across both,
and when Redis stops, sign-in fails closed while stories still arrive, and both come back by
themselves when Redis returns (a Redis server of the test's own, on a free port)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass
class Site:
    """The module's one site: gunicorn and its Redis, and where its access log is."""

    server: Server
    redis: RedisServer
    log: Path

    def fresh(self) -> int:
        """Empty the counts, as a Redis of the test's own would be; the access log's length,
        so that a test reads only the lines of its own requests."""
        import redis

        redis.Redis.from_url(self.redis.url, socket_connect_timeout=2).flushall()
        return len(self.log.read_text()) if self.log.exists() else 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One gunicorn of two workers and one Redis for both tests, started once (each start
    cost seconds: the workers load the app, issue 19). Their limits are the defaults
    (SUBMIT_RATE_LIMIT is 5 per hour); each test begins with Redis emptied."""
    tmp_path = tmp_path_factory.mktemp("redis-site")
    with site_with_redis(tmp_path, SUBMIT_RATE_LIMIT="5 per hour") as (server, redis_server):
        yield Site(server, redis_server, tmp_path / "access.log")


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


def workers_seen(site: Site, since: int) -> set[str]:
    """The workers (pids) that answered since the access log had `since` characters. A worker
    writes its line just after its answer: the log is read again for a moment until both
    appear (the server is still running)."""
    deadline = time.monotonic() + 5
    while True:
        seen = {line.strip() for line in site.log.read_text()[since:].splitlines()
                if line.strip()}
        if len(seen) >= 2 or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


def test_a_limit_of_five_holds_at_five_across_two_workers(site: Site) -> None:
    since, server = site.fresh(), site.server
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda n=n: statuses.append(send_story(server.host, n)))
               for n in range(8)]  # at once, so both workers take some
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [303] * 5 + [429] * 3, statuses
    assert send_story(server.host, 99) == 429
    assert len(workers_seen(site, since)) == 2  # both workers answered, sharing one count


def test_when_redis_stops_sign_in_fails_closed_stories_arrive_and_both_recover(
        site: Site) -> None:
    since, server, redis_server = site.fresh(), site.server, site.redis
    # Stories numbered apart from the test above's (the site's database is shared).
    assert sign_in_status(server.host, "wrong password")[0] == 400
    assert send_story(server.host, 101) == 303

    redis_server.stop()
    for number in range(102, 106):  # several requests, so that both workers meet the outage
        status, body = sign_in_status(server.host, PASSWORD)
        assert status == 503 and "Signing in is unavailable right now" in body
        assert send_story(server.host, number) == 303

    redis_server.start()  # the same address, empty
    for number in range(106, 110):
        assert sign_in_status(server.host, "wrong password")[0] == 400
        status, _body = sign_in_status(server.host, PASSWORD)
        assert status == 302  # on to the second factor: signing in works again
        assert send_story(server.host, number) == 303
    assert len(workers_seen(site, since)) == 2
