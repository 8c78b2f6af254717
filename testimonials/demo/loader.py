"""Bulk loading of the demo data set: generated in parallel chunks, written in batches.

Worker processes generate each chunk, compute its statistics cells and turn its rows into
plain tuples for the driver. On SQLite (one writer at a time) the parent writes them with
executemany, in the command's transaction. On PostgreSQL each worker writes its own chunks
with COPY over a connection of its own: the server's work per row (the search document
above all) then runs in two backends at once instead of one. So a million submissions load
in minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Engine, Table, create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from testimonials.demo import generator
from testimonials.models import AuditEntry, Facility, StatCell, Submission, Wait
from testimonials.models.base import table_of
from testimonials.models.submission import recount_statuses
from testimonials.services.statistics import add_to_cells
from testimonials.stats.cells import Cell, Pair, as_cells, cell_pairs

CHUNK_SIZE = 10_000
PARALLEL_FROM = 50_000  # below this, starting worker processes costs more than it saves
IN_FLIGHT = 4  # chunks generated ahead of the writer: bounds the parent's memory
SUBMISSION_COLUMNS = [c.name for c in table_of(Submission).columns]
WAIT_COLUMNS = [c.name for c in table_of(Wait).columns]
AUDIT_COLUMNS = [c.name for c in table_of(AuditEntry).columns]
CELL_COLUMNS = ["scope", "measure", "days", "count"]
ID_AT = SUBMISSION_COLUMNS.index("id")

Job = tuple[generator.Context, int, int, str]  # context, chunk index, chunk size, dialect
WriteJob = tuple[generator.Context, int, int, str]  # context, chunk index, chunk size, URL
WORKERS = 2
_WRITERS: dict[str, Engine] = {}  # a worker process's engine, made at its first chunk
Rows = list[tuple[Any, ...]]
Chunk = tuple[Rows, Rows, Rows, Counter[Cell]]  # submissions, waits, audit entries, cells


def load(session: Session, *, count: int, seed: int, until: dt.datetime,
         moderators: tuple[tuple[int, str], ...], only_status: str | None = None,
         progress: Callable[[int], None] | None = None) -> int:
    """Add `count` demo submissions after any already there, with the audit entries of their
    decisions by `moderators` ((account id, e-mail), the lead first), and count them in the
    statistics."""
    facilities = tuple((row.id, row.region_id, row.city) for row in session.execute(
        select(Facility.id, Facility.region_id, Facility.city)
        .where(Facility.merged_into_id.is_(None)).order_by(Facility.id)
    ))
    first_id = (session.scalar(select(func.max(Submission.id))) or 0) + 1
    first_audit_id = (session.scalar(select(func.max(AuditEntry.id))) or 0) + 1
    context = generator.Context(
        seed=seed, count=count, first_id=first_id, until=until, facilities=facilities,
        facility_weights=generator.facility_weights(seed, len(facilities)),
        moderators=moderators, first_audit_id=first_audit_id, only_status=only_status,
    )
    stats_were_empty = session.scalar(select(func.count()).select_from(StatCell)) == 0
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # While loading: 1 GB of page cache, so that the indexes kept up to date row by row
        # stay in memory (this connection only; the default returns when it is closed).
        connection.exec_driver_sql("PRAGMA cache_size=-1048576")
    extras = _Extras(connection, empty=first_id == 1)
    if dialect == "postgresql":
        _count_statuses_at_end(connection)
    parallel = dialect == "postgresql" and count >= PARALLEL_FROM
    if parallel:
        added, counted = _written_by_workers(session, context, extras, progress)
        connection = session.connection()
        extras.restore(connection, beside=_url(session))
    else:
        added, counted = _written_here(connection, context, extras, progress)
        extras.restore(connection)
    # The status counts' triggers were set aside (SQLite: with every trigger of submission;
    # PostgreSQL: see _count_statuses_at_end): counted once here.
    recount_statuses(session)
    if dialect == "postgresql":
        connection.exec_driver_sql("SET LOCAL waitline.status_counts = ''")
    if stats_were_empty:
        # The cells in sorted order (the primary key's), by COPY on PostgreSQL.
        _write(connection, table_of(StatCell), CELL_COLUMNS,
               [(*cell, number) for cell, number in sorted(counted.items())])
    else:
        add_to_cells(session, dict(counted))
    _advance_sequence(connection)
    if dialect == "postgresql":
        # The planner's statistics for tables that just grew by `count` rows, rather than
        # waiting for autovacuum (which some servers run without).
        for table in ("submission", "wait", "audit_entry", "stat_cell"):
            connection.exec_driver_sql(f"ANALYZE {table}")
    return added


def _written_here(connection: Connection, context: generator.Context, extras: _Extras,
                  progress: Callable[[int], None] | None) -> tuple[int, Counter[Cell]]:
    """Chunks written by this process, in its transaction; the rows added and their cells."""
    added = 0
    counted: Counter[Cell] = Counter()
    for submissions, waits, audits, chunk_cells in _chunks(context, connection.dialect.name):
        _write_chunk(connection, submissions, waits, audits)
        if submissions:
            extras.after_chunk(submissions[0][ID_AT], submissions[-1][ID_AT])
        counted.update(chunk_cells)
        added += len(submissions)
        if progress:
            progress(added)
    return added, counted


def _written_by_workers(session: Session, context: generator.Context, extras: _Extras,
                        progress: Callable[[int], None] | None) -> tuple[int, Counter[Cell]]:
    """Chunks written by the worker processes (PostgreSQL); the rows added and their cells.

    The workers write in transactions of their own, so what the command did so far (the
    facilities, the demo accounts, the indexes set aside) is committed first: their rows
    refer to it, and must not wait on its locks. If the load fails, the rows the workers
    wrote are deleted again and the indexes put back before the error goes on.
    """
    session.commit()
    url = _url(session)
    chunk_count = -(-context.count // CHUNK_SIZE)
    jobs = [(context, index, CHUNK_SIZE, url) for index in range(chunk_count)]
    added = 0
    counted: Counter[Cell] = Counter()
    try:
        with multiprocessing.get_context("spawn").Pool(processes=WORKERS) as pool:
            for chunk_cells, written in pool.imap_unordered(generate_and_write, jobs):
                counted.update(chunk_cells)
                added += written
                if progress:
                    progress(added)
    except BaseException:
        session.rollback()
        connection = session.connection()
        _count_statuses_at_end(connection)
        # The database refuses to delete audit rows (migration 0022); these are the failed
        # load's own, committed by its workers: the table's owner sets the trigger aside for
        # this transaction only (ALTER TABLE locks the table until the commit).
        connection.exec_driver_sql(f"ALTER TABLE audit_entry DISABLE TRIGGER {_AUDIT_TRIGGER}")
        connection.execute(table_of(AuditEntry).delete()
                           .where(table_of(AuditEntry).c.submission_id >= context.first_id))
        connection.exec_driver_sql(f"ALTER TABLE audit_entry ENABLE TRIGGER {_AUDIT_TRIGGER}")
        connection.execute(table_of(Wait).delete()
                           .where(table_of(Wait).c.submission_id >= context.first_id))
        connection.execute(table_of(Submission).delete()
                           .where(table_of(Submission).c.id >= context.first_id))
        extras.restore(connection)
        recount_statuses(session)  # the workers' rows were never counted, yet deleted
        session.commit()
        raise
    return added, counted


_AUDIT_TRIGGER = "audit_entry_append_only"  # PostgreSQL's (migration 0022)


def _count_statuses_at_end(connection: Connection) -> None:
    """PostgreSQL: this transaction's changes of submission left out of the status counts
    (recounted at the load's end), their trigger fired at once rather than at the commit: a
    trigger event still pending forbids the CREATE INDEX of _Extras.restore."""
    connection.exec_driver_sql("SET LOCAL waitline.status_counts = 'recount'")
    connection.exec_driver_sql("SET CONSTRAINTS submission_status_count IMMEDIATE")


def _url(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=False)


def _chunks(context: generator.Context, dialect: str) -> Iterator[Chunk]:
    chunk_count = -(-context.count // CHUNK_SIZE)
    jobs = [(context, index, CHUNK_SIZE, dialect) for index in range(chunk_count)]
    if context.count < PARALLEL_FROM:
        yield from map(generate, jobs)
        return
    # Spawned (not forked) workers: the parent holds database connections and threads. At
    # the default priority: lowered, on a busy machine they waited behind every other
    # process while the writer waited for them (40% of a million-row load on SQLite);
    # IN_FLIGHT already keeps them from running ahead of it.
    with multiprocessing.get_context("spawn").Pool(processes=WORKERS) as pool:
        pending: deque[Any] = deque()
        for job in jobs:
            pending.append(pool.apply_async(generate, (job,)))
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def generate_and_write(job: WriteJob) -> tuple[Counter[Cell], int]:
    """One chunk generated and written over this worker's own connection (PostgreSQL)."""
    context, index, size, url = job
    submissions, waits, audits, chunk_cells = generate((context, index, size, "postgresql"))
    engine = _WRITERS.get(url)
    if engine is None:
        engine = _WRITERS[url] = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        # The status counts are left to the load's end (migration 0025_status_counts): each
        # chunk's counting would hold the same few count rows until its commit, and the
        # other worker's chunk would wait for them.
        connection.exec_driver_sql("SET LOCAL waitline.status_counts = 'recount'")
        _write_chunk(connection, submissions, waits, audits)
    return chunk_cells, len(submissions)


def _write_chunk(connection: Connection, submissions: Rows, waits: Rows, audits: Rows) -> None:
    _write(connection, table_of(Submission), SUBMISSION_COLUMNS, submissions)
    _write(connection, table_of(Wait), WAIT_COLUMNS, waits)
    _write(connection, table_of(AuditEntry), AUDIT_COLUMNS, audits)


def generate(job: Job) -> Chunk:
    """One chunk, ready to write: driver-level tuples and the statistics cells it adds."""
    context, index, size, dialect = job
    submissions, waits, audits = generator.generate_chunk(context, index, size)
    by_submission: dict[int, list[tuple[str, str, int | None]]] = {}
    for wait in waits:
        by_submission.setdefault(wait["submission_id"], []).append(
            (wait["kind"], wait["state"], wait["days"]))
    pairs: Counter[Pair] = Counter()
    for row in submissions:
        if row["counted_in_stats"]:
            pairs.update(cell_pairs(row["region_id"], row["facility_id"], row["care_types"],
                                    row["experience_month"], row["outcomes"],
                                    by_submission.get(row["id"], [])))
    return (
        _rows(submissions, table_of(Submission), SUBMISSION_COLUMNS, dialect),
        _rows(waits, table_of(Wait), WAIT_COLUMNS, dialect),
        _rows(audits, table_of(AuditEntry), AUDIT_COLUMNS, dialect),
        as_cells(pairs),  # a chunk's pairs counted in C, turned into cells once
    )


def _rows(records: list[dict[str, Any]], table: Table, columns: list[str],
          dialect: str) -> list[tuple[Any, ...]]:
    """Driver-level tuples: only the columns whose type needs it are converted."""
    values = itemgetter(*columns)
    fixes = [(at, how) for at, name in enumerate(columns)
             if (how := _converter(table.columns[name].type, dialect)) is not None]
    if not fixes:
        return [values(record) for record in records]
    rows = []
    for record in records:
        row = list(values(record))
        for at, how in fixes:
            if row[at] is not None:
                row[at] = how(row[at])
        rows.append(tuple(row))
    return rows


def _converter(column_type: Any, dialect: str) -> Callable[[Any], Any] | None:
    if isinstance(column_type, JSON):
        # SQLite stores the text; PostgreSQL's COPY takes the dict for a json column.
        return json.dumps if dialect == "sqlite" else None
    python_type = getattr(column_type, "impl", column_type)
    try:
        kind = python_type.python_type
    except NotImplementedError:
        return None
    if kind is dt.datetime:
        # SQLite: the text SQLAlchemy's type reads back; PostgreSQL: naive UTC.
        return _sqlite_timestamp if dialect == "sqlite" else _postgres_timestamp
    if dialect == "sqlite" and kind is dt.date:
        return dt.date.isoformat
    if dialect == "sqlite" and kind is bool:
        return int
    return None


def _sqlite_timestamp(value: dt.datetime) -> str:
    # "%Y-%m-%d %H:%M:%S.%f", as isoformat writes it several times faster than strftime.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _postgres_timestamp(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _write(connection: Connection, table: Table, columns: list[str],
           rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    driver_connection = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        # Binary COPY: the server reads each value as it is stored rather than parsing text.
        types = _column_types(connection, table.name, columns)
        with driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN "
                             "(FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    cursor = driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})", rows)
    cursor.close()


def _column_types(connection: Connection, table: str, columns: list[str]) -> list[int]:
    """The type of each column, as PostgreSQL names it (its oid), for a binary COPY."""
    key = (table, tuple(columns))
    if key not in _TYPES:
        found: dict[str, int] = dict(connection.execute(text(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped"),
            {"table": table}).all())
        _TYPES[key] = [found[name] for name in columns]
    return _TYPES[key]


_TYPES: dict[tuple[str, tuple[str, ...]], list[int]] = {}  # per process (one database each)


class _Extras:
    """What costs most per row, set aside for the length of the load and put back at its end,
    in the same transaction.

    SQLite: the search triggers. The published rows of each chunk are indexed in one statement
    just after it is written (several times faster than a trigger per row, and done while the
    generator processes work on the next chunks). Its B-tree indexes stay: kept up to date
    row by row in the page cache, they cost less than building them at the end, which only
    one core can do. PostgreSQL, into empty tables: the secondary indexes (the search's GIN
    index among them), built at the end with parallel workers instead of row by row.
    """

    def __init__(self, connection: Connection, *, empty: bool) -> None:
        self.connection = connection
        self.triggers: list[tuple[str, str]] = []
        self.indexes: list[tuple[str, str]] = []
        if connection.dialect.name == "sqlite":
            self.triggers = [(str(name), str(sql)) for name, sql in connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'submission'"))]
        elif empty:
            self.indexes = [(str(name), str(sql)) for name, sql in connection.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename IN ('submission', 'wait', 'audit_entry') AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint)"))]
        for name, _sql in self.triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        for name, _sql in self.indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        if connection.dialect.name == "postgresql":
            # A published row (its texts and search document) is about 3 KB: over the 2 KB at
            # which PostgreSQL tries to compress a row, which it cannot do by much, at a cost
            # larger than computing the search document. Rows are stored as they are while
            # loading; the table's setting returns at the end.
            connection.exec_driver_sql("ALTER TABLE submission SET (toast_tuple_target = 8160)")

    def after_chunk(self, first_id: int, last_id: int) -> None:
        if self.triggers:  # what story_search_insert would have done for these rows
            self.connection.execute(text(
                "INSERT INTO story_search(rowid, public_title, public_story) "
                "SELECT id, public_title, public_story FROM submission "
                "WHERE id BETWEEN :first AND :last AND published_at IS NOT NULL"),
                {"first": first_id, "last": last_id})

    def restore(self, connection: Connection, *, beside: str | None = None) -> None:
        """Everything set aside put back, over `connection` (the load may have committed).

        With `beside` (a database URL; the rows are committed, so another connection sees
        them), the search index, which PostgreSQL builds on one core only, is built over a
        connection of its own while this one builds the others.
        """
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            connection.exec_driver_sql(_INDEX_MEMORY)
        aside = [sql for _name, sql in self.indexes if " USING gin " in sql] if beside else []
        with ThreadPoolExecutor(max_workers=1) as pool:
            built_aside = ([pool.submit(_build_index, beside, sql) for sql in aside]
                           if beside else [])
            for _name, sql in self.indexes:
                if sql not in aside:
                    connection.exec_driver_sql(sql)
            for future in built_aside:
                future.result()
        if postgresql:
            # Last: it locks the whole table, and the index built aside needed it meanwhile.
            connection.exec_driver_sql("ALTER TABLE submission RESET (toast_tuple_target)")
        for _name, sql in self.triggers:
            connection.exec_driver_sql(sql)


_INDEX_MEMORY = "SET LOCAL maintenance_work_mem = '512MB'"  # each index built in one pass


def _build_index(url: str, sql: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(_INDEX_MEMORY)
            connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _advance_sequence(connection: Connection) -> None:
    # Ids were given explicitly; PostgreSQL's sequences must move past them.
    if connection.dialect.name == "postgresql":
        for table in ("submission", "audit_entry"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            ))
