"""The rows of a built data set, kept to be written again into a fresh database (issue 19).

A fixture that builds the same data for many tests (through the builders and services, as a
test would) can build it once per worker and kind of database, `take` its rows, and `restore`
them into each later test's fresh database: one many-row INSERT per table instead of the
build's hundreds of statements and statistics updates. The database is then as the build left
it: the same rows with the same ids and, on PostgreSQL, the same next value of every sequence.
What no model's column holds is made again by the database as the rows arrive: SQLite's
full-text index by its insert trigger, PostgreSQL's generated search column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, delete, select, text

from testimonials.models import Base, StatusCount


@dataclass(frozen=True)
class Snapshot:
    rows: list[tuple[Table, list[dict[str, Any]]]]  # parents before children
    sequences: list[tuple[str, int]]  # PostgreSQL: (name, last value given)


def take(engine: Engine) -> Snapshot:
    """Every row of every model's table, in primary-key order, and the sequences' positions."""
    rows = []
    sequences: list[tuple[str, int]] = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            found = connection.execute(select(table).order_by(*table.primary_key.columns))
            kept = [dict(row) for row in found.mappings()]
            if kept:
                rows.append((table, kept))
        if engine.dialect.name == "postgresql":
            sequences = [(name, value) for name, value in connection.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL"))]
    return Snapshot(rows, sequences)


def restore(engine: Engine, snapshot: Snapshot) -> None:
    """Make a fresh database (migrated, or emptied between tests) hold exactly the snapshot.

    Every model's table is emptied first: the SQLite template keeps the rows its migrations
    wrote (the themes), which the snapshot holds too.
    """
    counts = StatusCount.__table__
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # the counting triggers set aside (loader too)
            connection.execute(text("SET LOCAL waitline.status_counts = 'recount'"))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        for table, rows in snapshot.rows:
            connection.execute(table.insert(), rows)
        # The stored counts as the snapshot holds them, not as SQLite's triggers (which have
        # no switch) moved them again while the submissions arrived.
        connection.execute(delete(counts))
        for table, rows in snapshot.rows:
            if table is counts:
                connection.execute(counts.insert(), rows)
        for name, value in snapshot.sequences:
            connection.execute(text("SELECT setval(CAST(:name AS regclass), :value)"),
                               {"name": name, "value": value})


def built_once(engine: Engine, built: dict[str, Snapshot], build: Callable[[], object]) -> None:
    """Restore this kind of database's snapshot from `built`, or run `build` and keep one.

    `built` is the calling module's own store (one per worker, keyed by dialect)."""
    kind = engine.dialect.name
    if kind in built:
        restore(engine, built[kind])
    else:
        build()
        built[kind] = take(engine)
