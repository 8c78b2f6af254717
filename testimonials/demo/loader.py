"""Bulk loading of the demo data set: generated in parallel chunks, written in batches.

Worker processes generate each chunk, compute its statistics cells and turn its rows into
plain tuples for the driver; the parent only writes (executemany on SQLite, COPY on
PostgreSQL), so a million submissions load in minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.orm import Session

from testimonials.demo import generator
from testimonials.models import Facility, StatCell, Submission, Wait
from testimonials.services.statistics import add_to_cells, write_cells
from testimonials.stats.cells import Cell, cells

CHUNK_SIZE = 10_000
PARALLEL_FROM = 50_000  # below this, starting worker processes costs more than it saves
IN_FLIGHT = 4  # chunks generated ahead of the writer: bounds the parent's memory
SUBMISSION_COLUMNS = [c.name for c in Submission.__table__.columns]
WAIT_COLUMNS = [c.name for c in Wait.__table__.columns]

Job = tuple[generator.Context, int, int, str]
Chunk = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], Counter[Cell]]


def load(session: Session, *, count: int, seed: int, until: dt.datetime,
         moderator_id: int | None, only_status: str | None = None,
         progress: Callable[[int], None] | None = None) -> int:
    """Add `count` demo submissions after any already there, and count them in the statistics."""
    facilities = tuple(tuple(row) for row in session.execute(
        select(Facility.id, Facility.region_id, Facility.city)
        .where(Facility.merged_into_id.is_(None)).order_by(Facility.id)
    ))
    first_id = (session.scalar(select(func.max(Submission.id))) or 0) + 1
    context = generator.Context(
        seed=seed, count=count, first_id=first_id, until=until, facilities=facilities,
        facility_weights=generator.facility_weights(seed, len(facilities)),
        moderator_id=moderator_id, only_status=only_status,
    )
    stats_were_empty = session.scalar(select(func.count()).select_from(StatCell)) == 0
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB while loading
    added = 0
    counted: Counter[Cell] = Counter()
    for submissions, waits, chunk_cells in _chunks(context, dialect):
        _write(connection, Submission.__table__, SUBMISSION_COLUMNS, submissions)
        _write(connection, Wait.__table__, WAIT_COLUMNS, waits)
        counted.update(chunk_cells)
        added += len(submissions)
        if progress:
            progress(added)
    if stats_were_empty:
        write_cells(session, counted)
    else:
        add_to_cells(session, dict(counted))
    _advance_sequence(connection)
    return added


def _chunks(context: generator.Context, dialect: str) -> Iterator[Chunk]:
    chunk_count = -(-context.count // CHUNK_SIZE)
    jobs = [(context, index, CHUNK_SIZE, dialect) for index in range(chunk_count)]
    if context.count < PARALLEL_FROM:
        yield from map(generate, jobs)
        return
    # Spawned (not forked) workers: the parent holds database connections and threads.
    with multiprocessing.get_context("spawn").Pool(processes=2) as pool:
        pending: deque[Any] = deque()
        for job in jobs:
            pending.append(pool.apply_async(generate, (job,)))
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def generate(job: Job) -> Chunk:
    """One chunk, ready to write: driver-level tuples and the statistics cells it adds."""
    context, index, size, dialect = job
    submissions, waits = generator.generate_chunk(context, index, size)
    by_submission: dict[int, list[tuple[str, str, int | None]]] = {}
    for wait in waits:
        by_submission.setdefault(wait["submission_id"], []).append(
            (wait["kind"], wait["state"], wait["days"]))
    chunk_cells: Counter[Cell] = Counter()
    for row in submissions:
        if row["counted_in_stats"]:
            chunk_cells.update(cells(row["region_id"], row["facility_id"], row["care_types"],
                                     row["experience_month"], row["outcomes"],
                                     by_submission.get(row["id"], [])))
    convert = _sqlite_value if dialect == "sqlite" else _postgres_value
    return (
        [tuple(convert(row[c]) for c in SUBMISSION_COLUMNS) for row in submissions],
        [tuple(convert(row[c]) for c in WAIT_COLUMNS) for row in waits],
        chunk_cells,
    )


def _sqlite_value(value: Any) -> Any:
    # The formats SQLAlchemy's SQLite types read back (timestamps are naive UTC).
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _postgres_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _write(connection: Connection, table: Table, columns: list[str],
           rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    driver_connection = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    cursor = driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})", rows)
    cursor.close()


def _advance_sequence(connection: Connection) -> None:
    # Ids were given explicitly; PostgreSQL's sequence must move past them.
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "SELECT setval(pg_get_serial_sequence('submission', 'id'), "
            "COALESCE((SELECT MAX(id) FROM submission), 1))"
        ))
