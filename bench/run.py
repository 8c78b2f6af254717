"""`make bench`: the budgets of SPEC section 7, measured in one run, printed as one table.

For SQLite and (when it answers) PostgreSQL: builds the data sets with `flask demo load`
(kept between runs), starts gunicorn with 2 sync workers on 127.0.0.1, drives each page and
the ceiling route with wrk at 32 connections, posts 1,000 complete forms from 32 clients and
checks each is stored once, compares /stats at 10,000 and 1,000,000 submissions, and reads
the workers' memory. Loopback only; everything it starts, it stops.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import datasets  # noqa: E402
import servers  # noqa: E402
import wrk  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from testimonials.models import Region, Submission  # noqa: E402
from tests.load.gunicorn_server import Client  # noqa: E402
from tests.load.load_share import share_once  # noqa: E402

SECONDS = 8
PAGE_BUDGET, QUEUE_BUDGET, P99_BUDGET_MS = 0.6, 0.4, 50.0
SUBMISSIONS, SUBMIT_CLIENTS, SUBMIT_BUDGET = 1000, 32, 150.0
MEMORY_BUDGET_MB = 150.0
LOAD_BUDGET_S, RUN_BUDGET_MIN = 180.0, 15
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
OLDER = re.compile(r'rel="next" href="([^"]+)"')


@dataclass
class Line:
    engine: str
    what: str
    figure: str
    p99: str
    budget: str
    ok: bool


def log(message: str) -> None:
    print(message, flush=True)


def deep_path(client: Client, pages: int) -> str:
    """The URL of the page `pages` deep, reached through the site's own "older" links."""
    path = "/stories"
    for _ in range(pages - 1):
        found = OLDER.search(client.get(path).body)
        if not found:
            raise RuntimeError(f"no older link after {path}")
        path = found.group(1).replace("&amp;", "&")
    return path


def moderator_cookie(host: str) -> str:
    client = Client(host)
    token, _ = client.token_from("/moderate/login")
    client.post("/moderate/login", {"csrf_token": token, "email": "moderator@example.org",
                                    "password": "waitline-demo-2026"})
    if client.get("/moderate/").status != 200:
        raise RuntimeError("the demo moderator could not sign in")
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def page_lines(engine: str, server: servers.Gunicorn, url: str) -> list[Line]:
    db = create_engine(url)
    with db.connect() as connection:
        story = connection.scalar(select(func.max(Submission.id))
                                  .where(Submission.published_at.is_not(None)))
        region = connection.scalar(select(Region.slug).order_by(Region.id))
    db.dispose()
    host = server.url.removeprefix("http://")
    pages = {
        "/": "/",
        "/stories": "/stories",
        "/stories page 2,000": deep_path(Client(host), 2000),
        "/stories filtered": f"/stories?region={region}&care=group",
        "/stories/<id>": f"/stories/{story}",
        "/stats": "/stats",
    }
    ceiling = wrk.run(server.url + "/_bench/ceiling", seconds=SECONDS)
    lines = [Line(engine, "ceiling (5 KB template)", f"{ceiling.requests_per_second:,.0f}/s",
                  f"{ceiling.p99_ms:.1f}", "", True)]
    for name, path in pages.items():
        wrk.run(server.url + path, seconds=2)  # warm up
        result = wrk.run(server.url + path, seconds=SECONDS)
        ratio = result.requests_per_second / ceiling.requests_per_second
        ok = ratio >= PAGE_BUDGET and result.p99_ms < P99_BUDGET_MS and not result.errors
        lines.append(Line(engine, name, f"{ratio:.2f}", f"{result.p99_ms:.1f}",
                          f">= {PAGE_BUDGET}, p99 < {P99_BUDGET_MS:.0f}", ok))
    cookie = moderator_cookie(host)
    result = wrk.run(server.url + "/moderate/", seconds=SECONDS, headers={"Cookie": cookie})
    ratio = result.requests_per_second / ceiling.requests_per_second
    lines.append(Line(engine, "/moderate/ (100,000 pending)", f"{ratio:.2f}",
                      f"{result.p99_ms:.1f}", f">= {QUEUE_BUDGET}",
                      ratio >= QUEUE_BUDGET and not result.errors))
    return lines


def submission_line(engine: str, server: servers.Gunicorn, url: str) -> Line:
    db = create_engine(url)

    def count() -> int:
        with db.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Submission)) or 0

    before = count()
    host = server.url.removeprefix("http://")
    # Stories of this run's own (the kept data set holds earlier runs' stories, and the same
    # text again within a day is, rightly, taken for a duplicate).
    first = int(time.time()) % 1_000_000 * 10_000

    def send(number: int) -> str | None:
        try:
            return share_once(host, first + number)
        except Exception as error:  # noqa: BLE001 - counted and shown, not fatal to the table
            log(f"  submission {number}: {type(error).__name__}: {str(error)[:120]}")
            return None

    started = time.perf_counter()
    with ThreadPoolExecutor(SUBMIT_CLIENTS) as pool:
        tokens = list(pool.map(send, range(SUBMISSIONS)))
    elapsed = time.perf_counter() - started
    stored = count() - before
    db.dispose()
    rate = SUBMISSIONS / elapsed
    errors = tokens.count(None)
    ok = (stored == SUBMISSIONS and not errors and len(set(tokens)) == SUBMISSIONS
          and rate >= SUBMIT_BUDGET)
    return Line(engine, f"{SUBMISSIONS:,} form posts, {SUBMIT_CLIENTS} clients",
                f"{rate:.0f}/s, {stored:,} stored, {errors} errors", "",
                f">= {SUBMIT_BUDGET:.0f}/s, each once", ok)


def stats_lines(engine: str) -> list[Line]:
    """/stats at 10,000 and 1,000,000 submissions, and how long the million took to load."""
    timings = {}
    load_seconds, measured = 0.0, False
    for name, count in (("stats-10k", 10_000), ("stats-1m", 1_000_000)):
        dataset = datasets.DataSet(name, engine, ((count, None),))
        load_seconds, measured = datasets.ensure(dataset, log)
        with servers.Gunicorn(datasets.environment(dataset.url)) as server:
            wrk.run(server.url + "/stats", seconds=2)
            timings[name] = wrk.run(server.url + "/stats", seconds=SECONDS)
    slower = timings["stats-10k"].requests_per_second / timings["stats-1m"].requests_per_second
    when = "" if measured else " (when the kept set was built)"
    return [
        Line(engine, "/stats 1,000,000 vs 10,000", f"{slower:.2f}x time",
             f"{timings['stats-1m'].p99_ms:.1f}", "<= 2x", slower <= 2.0),
        Line(engine, "demo load --count 1000000" + when, f"{load_seconds:.0f} s", "",
             f"< {LOAD_BUDGET_S:.0f} s", load_seconds < LOAD_BUDGET_S),
        Line(engine, "statistics release at 1,000,000" + when,
             f"{datasets.release_seconds(dataset):.0f} s", "", "reported", True),
    ]


def limit_storage() -> dict[str, str]:
    """Redis for the rate limits when it answers, as in production; otherwise memory."""
    try:
        import redis

        redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=1).ping()
        return {"RATELIMIT_STORAGE_URI": BENCH_REDIS}
    except Exception as error:  # noqa: BLE001
        log(f"Redis not used: {type(error).__name__} at {BENCH_REDIS}")
        return {}


def engines(lines: list[Line]) -> list[str]:
    """SQLite, and PostgreSQL when it answers; a PostgreSQL that does not answer is a failed
    line (the budgets hold on both), unless BENCH_SQLITE_ONLY=1 asks for SQLite alone."""
    if os.environ.get("BENCH_SQLITE_ONLY") == "1":
        return ["sqlite"]
    try:
        datasets._sql(["SELECT 1"])  # noqa: SLF001
        return ["sqlite", "postgresql"]
    except Exception as error:  # noqa: BLE001
        log(f"PostgreSQL did not answer: {type(error).__name__} at {datasets.PG_BASE}")
        lines.append(Line("postgresql", "server reachable", "no", "", "answers", False))
        return ["sqlite"]


def main() -> int:
    started = time.perf_counter()
    wrk.ensure_installed()
    lines: list[Line] = []
    limits = limit_storage()
    for engine in engines(lines):
        log(f"{engine}:")
        main_set = datasets.DataSet("main", engine, ((100_000, "approved"), (100_000, "pending")))
        datasets.ensure(main_set, log)
        env = datasets.environment(main_set.url, SUBMIT_RATE_LIMIT="1000000 per hour", **limits)
        with servers.Gunicorn(env) as server:
            lines += page_lines(engine, server, main_set.url)
            lines.append(submission_line(engine, server, main_set.url))
            rss = server.worker_rss_mb()
            lines.append(Line(engine, "worker memory after the run", f"{rss:.0f} MB", "",
                              f"< {MEMORY_BUDGET_MB:.0f} MB", rss < MEMORY_BUDGET_MB))
        lines += stats_lines(engine)
    elapsed = time.perf_counter() - started
    lines.append(Line("both", "whole run", f"{elapsed / 60:.1f} min", "",
                      f"< {RUN_BUDGET_MIN} min", elapsed < RUN_BUDGET_MIN * 60))
    print_table(lines, elapsed)
    return 0 if all(line.ok for line in lines) else 1


def print_table(lines: list[Line], elapsed: float) -> None:
    print()
    print(f"Waitline bench, {dt.date.today()}, {platform.node()} "
          f"({platform.processor() or platform.machine()}, {_cores()} cores), {elapsed / 60:.1f} min")
    print()
    print("| engine | measure | figure (ratio to ceiling) | p99 ms | budget | met |")
    print("|---|---|---|---|---|---|")
    for line in lines:
        print(f"| {line.engine} | {line.what} | {line.figure} | {line.p99} | {line.budget} | "
              f"{'yes' if line.ok else '**no**' if line.budget else ''} |")


def _cores() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())
