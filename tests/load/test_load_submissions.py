"""Load and faults on loopback: 1,000 submissions from 32 concurrent clients against gunicorn
(2 workers, SQLite) are each stored exactly once; with the workers killed by SIGKILL 20 times
while submissions are in flight, the database passes its integrity check and every submission
the site acknowledged (a redirect to its receipt) is there."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from testimonials.models import Submission
from testimonials.services.submissions import token_hash
from tests.load.gunicorn_server import running, stopwatch
from tests.load.load_share import share_once, story_of

pytestmark = pytest.mark.slow
CLIENTS = 32
SUBMISSIONS = 1000
KILLS = 20
# One address sends everything here; the per-address limit is raised for the test only.
ENV = {"SUBMIT_RATE_LIMIT": "1000000 per hour"}


def stored_tokens(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """{token hash: story} of every stored submission."""
    with app.extensions["waitline.sessionmaker"]() as session:
        return dict(session.execute(select(Submission.token_hash, Submission.original_story)).all())


def test_a_thousand_concurrent_submissions_are_each_stored_once(  # type: ignore[no-untyped-def]
        sqlite_file, tmp_path: Path, capsys) -> None:
    url, app = sqlite_file
    with running(tmp_path, url, env=ENV) as server:
        with stopwatch() as elapsed, ThreadPoolExecutor(CLIENTS) as pool:
            tokens = list(pool.map(lambda n: share_once(server.host, n), range(SUBMISSIONS)))
    stored = stored_tokens(app)
    assert len(stored) == SUBMISSIONS  # no more (no double insert), no fewer
    assert len(set(tokens)) == SUBMISSIONS
    for number, token in enumerate(tokens):
        assert stored[token_hash(token)] == story_of(number)
    with capsys.disabled():
        print(f"\n  {SUBMISSIONS} submissions from {CLIENTS} clients in {elapsed[0]:.1f} s "
              f"({SUBMISSIONS / elapsed[0]:.0f}/s, form and post each)")


def test_killed_workers_lose_no_acknowledged_submission(  # type: ignore[no-untyped-def]
        sqlite_file, tmp_path: Path, capsys) -> None:
    url, app = sqlite_file
    acknowledged: list[tuple[int, str]] = []
    failures: Counter[str] = Counter()
    stop = threading.Event()
    numbers = iter(range(10**9))
    lock = threading.Lock()

    def keep_sending() -> None:
        while not stop.is_set():
            with lock:
                number = next(numbers)
            try:
                acknowledged.append((number, share_once(server.host, number)))
            except Exception as error:  # noqa: BLE001 - a killed worker drops its requests
                failures[type(error).__name__] += 1

    chooser = random.Random(20)
    with running(tmp_path, url, env=ENV) as server:
        senders = [threading.Thread(target=keep_sending) for _ in range(8)]
        for sender in senders:
            sender.start()
        try:
            for _ in range(KILLS):
                # Some submissions acknowledged between two kills (three at least), rather than
                # a fixed 0.3 s: on a starved machine that let too few through (16 of the 50
                # asked for below), on an idle one it only waited.
                wanted, deadline = len(acknowledged) + 3, time.monotonic() + 15
                while len(acknowledged) < wanted and time.monotonic() < deadline:
                    time.sleep(0.05)
                before = server.workers()
                victim = chooser.choice(sorted(before))
                os.kill(victim, signal.SIGKILL)
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:  # the master starts a new worker
                    now = server.workers()
                    if victim not in now and len(now) == len(before):
                        break
                    time.sleep(0.05)
                else:
                    pytest.fail("gunicorn did not replace a killed worker")
            time.sleep(0.5)
        finally:
            stop.set()
            for sender in senders:
                sender.join(timeout=60)
    with app.extensions["waitline.engine"].connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("PRAGMA foreign_key_check")).first() is None
    stored = stored_tokens(app)
    missing = [n for n, token in acknowledged if stored.get(token_hash(token)) != story_of(n)]
    assert missing == []
    assert len(acknowledged) > 50
    with app.extensions["waitline.sessionmaker"]() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == len(stored)
    with capsys.disabled():
        print(f"\n  {KILLS} workers killed; {len(acknowledged)} acknowledged submissions all "
              f"stored; {sum(failures.values())} requests cut off ({dict(failures)}); "
              f"{len(stored) - len(acknowledged)} stored without an answer reaching the client")
