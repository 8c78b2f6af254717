"""Erased words leave the database files, not only the rows (a withdrawal or a purge).

Blanking a column is not enough: the engines keep older copies of what was there.
- SQLite: deleted content stays in the page until overwritten, unless `secure_delete` is on
  (set on every connection, testimonials/db.py). The search index (an external-content FTS5
  table) records a deletion as a marker beside the old entry, and both keep the words until
  their segments are merged: `forget_search_terms` merges them (FTS5 'optimize'). The WAL keeps
  earlier copies of every page written since it was last reset: `after_erasure` checkpoints it
  and truncates it to nothing.
- PostgreSQL: an UPDATE leaves the old row version (and its index entries, the search
  document's among them) until VACUUM removes them: `after_erasure` vacuums the tables that
  hold patients' words, indexes included, so no query, replica or dump can reach them.
  PostgreSQL does not zero the space a removed version leaves inside its page (the bytes stay
  until a new row takes the space); `rewrite` (VACUUM FULL, `flask purge --rewrite`) writes
  the tables anew. It locks them while it runs: for a quiet hour.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# The tables that hold what a patient wrote, or a moderator's words about it.
TEXT_TABLES = ("submission", "audit_entry")
SEARCH_TABLE = "story_search"  # testimonials.public.search.FTS_TABLE


# From this version FTS5 can remove a deleted row's entries from the index at once
# ('secure-delete'); before it, only a merge of the whole index ('optimize') drops them.
SECURE_DELETE_SINCE = (3, 42, 0)


def forget_search_terms(session: Session) -> None:
    """In the erasing transaction: no erased word left in the search index (SQLite).

    With 'secure-delete' on (set once, stored in the index's own configuration) a deletion
    removes its words from the index pages at once, at the cost of the pages it touches; the
    first time, one merge drops whatever earlier deletions left. Without it (SQLite < 3.42)
    only a merge of the whole index does: seconds at 100,000 stories, under the write lock.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    can_secure_delete = _sqlite_version(session) >= SECURE_DELETE_SINCE
    if can_secure_delete and _secure_delete_on(session):
        return
    if can_secure_delete:
        session.execute(text(
            f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('secure-delete', 1)"))
    session.execute(text(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')"))


def _sqlite_version(session: Session) -> tuple[int, ...]:
    version = str(session.execute(text("SELECT sqlite_version()")).scalar())
    return tuple(int(part) for part in version.split("."))


def _secure_delete_on(session: Session) -> bool:
    value = session.execute(text(
        f"SELECT v FROM {SEARCH_TABLE}_config WHERE k = 'secure-delete'")).scalar()
    return bool(value)


def after_erasure(engine: Engine) -> None:
    """Once an erasure is committed: no earlier copy left in the WAL (SQLite), no old row
    version left in the tables or their indexes (PostgreSQL). Never raises: the erasure
    itself is done; a failure here is logged (without any of the erased words)."""
    try:
        if engine.dialect.name == "sqlite":
            _checkpoint(engine)
        elif engine.dialect.name == "postgresql":
            _vacuum(engine, "VACUUM (INDEX_CLEANUP ON)")
    except Exception as error:  # noqa: BLE001 - the erasure stands; say that the scrub did not
        log.error("scrubbing after an erasure failed: %s", type(error).__name__)


def rewrite(engine: Engine) -> None:
    """The text tables written anew, without the space erased rows left (locks them)."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        finally:
            raw.close()
        _checkpoint(engine)
    elif engine.dialect.name == "postgresql":
        _vacuum(engine, "VACUUM (FULL)")


def _checkpoint(engine: Engine) -> None:
    # On the driver's connection, outside any transaction (a checkpoint cannot run in one);
    # it waits, under the busy timeout, for readers still on older pages.
    raw = engine.raw_connection()
    try:
        busy, _frames, _done = raw.driver_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    if busy:
        log.warning("the WAL could not be truncated after an erasure: readers kept it busy")


# How long a scrub waits for transactions that may still see the erased row versions (VACUUM
# must keep those) to end.
HORIZON_WAIT_S = 10.0
# Other sessions of this database whose snapshot or own write is older than transaction :xid
# (one begun after the erasure committed): while any remains, the old versions stay.
_OLDER_TRANSACTIONS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND (age(backend_xmin) > age(CAST(CAST(:xid AS text) AS xid))
           OR age(backend_xid) > age(CAST(CAST(:xid AS text) AS xid)))
"""


def _vacuum(engine: Engine, command: str) -> None:
    # VACUUM cannot run inside a transaction: a connection of its own, in autocommit.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # A transaction of its own, begun after the erasure committed (a new xid, as 32 bits).
        xid = connection.scalar(text(
            "SELECT (CAST(CAST(pg_current_xact_id() AS text) AS bigint) % 4294967296)"))
        deadline = time.monotonic() + HORIZON_WAIT_S
        # A row version that an open snapshot may still read is kept by VACUUM (FULL too).
        while connection.scalar(text(_OLDER_TRANSACTIONS), {"xid": str(xid)}):
            if time.monotonic() >= deadline:
                log.warning("older transactions kept erased row versions from VACUUM")
                break
            time.sleep(0.05)
        connection.exec_driver_sql(f"{command} {', '.join(TEXT_TABLES)}")
