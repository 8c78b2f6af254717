"""Benchmark data sets, built with the app's own commands and kept between runs.

SQLite sets are files under bench/results/data/; PostgreSQL sets are schemas in the
database named by BENCH_DATABASE_URL (default: the local `test` database). A set is
rebuilt when missing or when its stamp (count, seed, schema revision, demo generator) differs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "results" / "data"
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
PG_BASE = os.environ.get("BENCH_DATABASE_URL",
                         "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class DataSet:
    name: str  # e.g. "main", "stats-10k"
    engine: str  # "sqlite" | "postgresql"
    loads: tuple[tuple[int, str | None], ...]  # (count, --only) demo loads, in order

    @property
    def url(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{DATA / (self.name + '.db')}"
        return f"{PG_BASE}?options=-csearch_path%3D{_schema(self)}"

    @property
    def stamp(self) -> str:
        revisions = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
        # The demo generator's code too: a changed data set is built (and timed) again.
        demo = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(
            (ROOT / "testimonials" / "demo").glob("*.py")))).hexdigest()[:16]
        return repr((self.loads, revisions, demo))


def environment(url: str, **extra: str) -> dict[str, str]:
    # Development for the demo accounts' sign-in without a second factor, but templates
    # compiled once as in production.
    env = dict(os.environ, DATABASE_URL=url, WAITLINE_ENV="development",
               TEMPLATES_AUTO_RELOAD="false", **extra)
    env["PYTHONPATH"] = str(ROOT)
    return env


def ensure(dataset: DataSet, log) -> tuple[float, bool]:  # type: ignore[no-untyped-def]
    """Build the data set unless an identical one is already there.

    Returns the seconds its `demo load` commands took, and whether that was measured now
    (False: the set was kept, and the time is the one measured when it was built).
    """
    DATA.mkdir(parents=True, exist_ok=True)
    stamp_file = DATA / f"{dataset.engine}-{dataset.name}.stamp"
    time_file = stamp_file.with_suffix(".seconds")
    if stamp_file.exists() and stamp_file.read_text() == dataset.stamp and _present(dataset):
        log(f"  data set {dataset.engine}/{dataset.name}: kept from an earlier run")
        return (float(time_file.read_text()) if time_file.exists() else float("nan")), False
    _reset(dataset)
    env = environment(dataset.url)
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    seconds = 0.0
    for count, only in dataset.loads:
        args = [*FLASK, "demo", "load", "--count", str(count), "--seed", "2026",
                "--until", "2026-11-01", "--no-release"] + (["--only", only] if only else [])
        started = time.perf_counter()
        output = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True,
                                text=True).stdout
        seconds += time.perf_counter() - started
        log(f"  data set {dataset.engine}/{dataset.name}: {output.splitlines()[0]}")
    # Statistics are served from releases: cut one over the whole set (timed on its own).
    started = time.perf_counter()
    subprocess.run([*FLASK, "stats", "release", "--force"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    release_file(dataset).write_text(f"{time.perf_counter() - started:.1f}")
    if dataset.engine == "postgresql":
        # The local server runs without autovacuum: set the visibility map as a production
        # server's autovacuum would have by the time a site holds this many stories (not
        # counted in the load time).
        _vacuum(dataset)
    stamp_file.write_text(dataset.stamp)
    time_file.write_text(f"{seconds:.1f}")
    return seconds, True


def release_file(dataset: DataSet) -> Path:
    """Where the seconds the data set's statistics release took to cut are kept."""
    return DATA / f"{dataset.engine}-{dataset.name}.release-seconds"


def release_seconds(dataset: DataSet) -> float:
    found = release_file(dataset)
    return float(found.read_text()) if found.exists() else float("nan")


def _vacuum(dataset: DataSet) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(dataset.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for table in ("submission", "wait", "stat_cell"):
            connection.exec_driver_sql(f"VACUUM ANALYZE {table}")
    engine.dispose()


def _present(dataset: DataSet) -> bool:
    if dataset.engine == "sqlite":
        return (DATA / f"{dataset.name}.db").exists()
    return bool(_sql([f"SELECT 1 FROM information_schema.schemata "
                      f"WHERE schema_name = '{_schema(dataset)}'"]))


def _reset(dataset: DataSet) -> None:
    if dataset.engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (DATA / f"{dataset.name}.db{suffix}").unlink(missing_ok=True)
        return
    _sql([f"DROP SCHEMA IF EXISTS {_schema(dataset)} CASCADE",
          f"CREATE SCHEMA {_schema(dataset)}"])


def _schema(dataset: DataSet) -> str:
    return "bench_" + dataset.name.replace("-", "_")


def _sql(statements: list[str]) -> list[tuple[object, ...]]:
    """Run statements on the PostgreSQL server; the rows of the last one."""
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_BASE)
    rows: list[tuple[object, ...]] = []
    with engine.begin() as connection:
        for statement in statements:
            result = connection.execute(text(statement))
            rows = [tuple(r) for r in result] if result.returns_rows else []
    engine.dispose()
    return rows
