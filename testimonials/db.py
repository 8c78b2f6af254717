"""The database engine and one session per application context, closed at teardown.

Services add and flush; the view or command that writes does so in one `with db.writing():`
block, whose end commits.
"""

from __future__ import annotations

import fcntl
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, Row, Select, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from testimonials.models import audit

_SESSION_KEY = "_waitline_session"
# Statements and rows of any columns (SQLAlchemy types them by their columns).
AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]


def _sqlite_module() -> Any:
    """pysqlite3 (the standard module built on SQLite 3.46) where its wheel installs, else None.

    Python's own sqlite3 uses the system's SQLite (3.40 on Debian 12), whose full-text index
    keeps a deleted story's words until a merge of the whole index (seconds at 100,000
    stories, holding the write lock). From 3.42 FTS5 can delete them for good at once
    (testimonials/scrub.py). Where the wheel does not exist, the system's SQLite serves.
    """
    try:
        from pysqlite3 import dbapi2
    except ImportError:
        return None
    return dbapi2


SQLITE_MODULE = _sqlite_module()


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 5,
                busy_timeout_ms: int = 10000, echo: bool = False) -> Engine:
    """An engine for SQLite (WAL, busy timeout, foreign keys, secure delete) or PostgreSQL (pooled).

    Parameters are hidden from error messages: they carry patients' stories and e-mails.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        driver = {"module": SQLITE_MODULE} if SQLITE_MODULE is not None else {}
        engine = create_engine(url, echo=echo, hide_parameters=True,
                               connect_args={"timeout": busy_timeout_ms / 1000}, **driver)
        in_memory = parsed.database in (None, "", ":memory:") or "mode=memory" in url
        gate = None if in_memory else WriteGate(f"{parsed.database}-writers",
                                                busy_timeout_ms / 1000)
        _configure_sqlite(engine, busy_timeout_ms, gate)
        return engine
    engine = create_engine(
        url, echo=echo, hide_parameters=True, pool_size=pool_size, max_overflow=max_overflow,
        pool_recycle=1800,
    )
    _ping_when_idle(engine)
    return engine


# A pooled connection unused for longer than this is pinged before it is handed out.
IDLE_BEFORE_PING_S = 2.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a connection before use only if it has lain idle in the pool.

    SQLAlchemy's pool_pre_ping costs a round trip on every checkout: on a busy worker that was
    a sixth of a moderator's page. A connection in steady use has just proved itself; one that
    idled (through a server restart, say) is pinged first and replaced if dead. A server that
    dies under load fails the statements in flight, and SQLAlchemy then renews the whole pool.
    A connection just made has just proved itself too: it counts as used at that moment (the
    ping was one more round trip before each new connection's first statement).
    """

    @event.listens_for(engine, "connect")
    def note_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last_used = record.info.get("checked_in_at")
        if last_used is not None and time.monotonic() - last_used < IDLE_BEFORE_PING_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure means: use another one
            raise DisconnectionError("connection failed its ping") from error
        if not alive:
            raise DisconnectionError("connection failed its ping")

    @event.listens_for(engine, "checkin")
    def note_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()


class WriteGate:
    """Writers of one SQLite file take turns here, just before BEGIN IMMEDIATE.

    SQLite makes a writer that finds the file locked sleep (1, 2, 5, 10 ms and more) before it
    looks again: under 32 concurrent submissions the two workers spent a fifth of their time
    asleep there, most of it after the lock was already free. An flock on a file beside the
    database lets the next writer in within a fraction of a millisecond, and the system drops
    it when a process dies. SQLite still does the locking: a writer that cannot pass the gate
    within the busy timeout (a long command holds the database) goes on and lets SQLite decide.
    """

    def __init__(self, path: str, timeout_s: float) -> None:
        self.path = path
        self.timeout_s = timeout_s

    def enter(self) -> io.FileIO | None:
        """The lock file, open and locked (close it to leave), or None if not taken in time.

        A file object rather than a bare descriptor: if it is ever dropped without being
        closed (a connection discarded by the pool), collecting it releases the lock.
        """
        try:
            handle = io.FileIO(self.path, "a")
        except OSError:  # (a read-only directory): SQLite alone decides
            return None
        deadline = time.monotonic() + self.timeout_s
        pause = 0.00005
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    return None
                time.sleep(pause)
                pause = min(pause * 2, 0.001)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, gate: WriteGate | None) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed, not left in free space: a withdrawn story
        # must not survive in the file (testimonials/scrub.py does the rest).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A transaction that will write takes the write lock up front (BEGIN IMMEDIATE), so it
        # waits its turn under the busy timeout instead of failing when it upgrades from read.
        options = connection.get_execution_options()
        # A bulk load (demo data) does not wait for the disk at commit; a patient's new story
        # waits until it is on disk, WAL included. Either can only be set outside a
        # transaction, and is undone when the connection goes back to the pool.
        level = "OFF" if options.get("sqlite_bulk") else \
            "FULL" if options.get("sqlite_durable") else None
        if level is not None:
            connection.exec_driver_sql(f"PRAGMA synchronous={level}")
            connection.connection.info["synchronous"] = level
        if options.get("sqlite_one_read"):
            return  # one statement is a transaction of its own in SQLite: no BEGIN needed
        mode = "IMMEDIATE" if options.get("sqlite_write") else "DEFERRED"
        if mode == "IMMEDIATE" and gate is not None and "gate" not in connection.connection.info:
            held = gate.enter()
            if held is not None:  # kept until the connection goes back to the pool (at commit)
                connection.connection.info["gate"] = held
        connection.exec_driver_sql(f"BEGIN {mode}")

    @event.listens_for(engine, "checkin")
    def on_checkin(dbapi_connection: Any, record: Any) -> None:
        if record.info.pop("synchronous", None) is not None:
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        held = record.info.pop("gate", None)
        if held is not None:
            held.close()  # closing the file releases the lock


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory; close the session at teardown."""
    engine = make_engine(
        app.config["DATABASE_URL"],
        pool_size=app.config["DB_POOL_SIZE"],
        max_overflow=app.config["DB_MAX_OVERFLOW"],
        busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
        echo=bool(app.config.get("SQLALCHEMY_ECHO")),
    )
    app.extensions["waitline.engine"] = engine
    maker = sessionmaker(engine, expire_on_commit=False)
    # On this app's factory, not on every Session of the process: another app's sessions (a
    # test's second app, a script's own) are left as they were made.
    event.listen(maker, "do_orm_execute", audit.refuse_bulk_changes)
    app.extensions["waitline.sessionmaker"] = maker
    app.teardown_appcontext(close_session)


def engine() -> Engine:
    """The current app's engine."""
    return cast(Engine, current_app.extensions["waitline.engine"])


@contextmanager
def one_read() -> Iterator[Connection]:
    """A plain connection of its own for a read that needs no transaction (one statement):
    cheaper than the request's ORM session, which it leaves untouched, and on PostgreSQL one
    round trip instead of three (BEGIN, the read, ROLLBACK), on SQLite no BEGIN either (a
    statement is its own transaction). Used on every signed-in page: the user, and the claims
    on the queue page. Not for two reads that must agree with each other."""
    with engine().connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        else:
            connection.execution_options(sqlite_one_read=True)
        yield connection
        connection.rollback()


def own_session(bind: Engine | None = None) -> Session:
    """A new session from the app's factory (its hooks apply), on the app's engine or `bind`;
    the caller closes it (`with db.own_session() as own:`)."""
    maker = current_app.extensions["waitline.sessionmaker"]
    return cast(Session, maker() if bind is None else maker(bind=bind))


def session() -> Session:
    """The session of this app context, opened on first use."""
    if _SESSION_KEY not in g:
        setattr(g, _SESSION_KEY, current_app.extensions["waitline.sessionmaker"]())
    return cast(Session, getattr(g, _SESSION_KEY))


class WriteAfterRead(RuntimeError):
    """A writing block opened inside a transaction that was already open."""


_WRITING = "waitline.writing"


@contextmanager
def writing(own: Session | None = None, *, bulk: bool = False, durable: bool = False,
            after_reads: bool = False) -> Iterator[Session]:
    """The app context's session (or `own`, a session of the caller's) in a write transaction:
    committed when the block ends, rolled back if it raises (HTTP aborts included). Also a
    decorator: `@db.writing()`.

    On SQLite the transaction begins holding the write lock (the write gate, then BEGIN
    IMMEDIATE), so concurrent writers queue under the busy timeout. A transaction that began
    with reads cannot do that: its first write must upgrade the lock, and fails at once with
    "database is locked" if another writer committed meanwhile. So the block must begin the
    transaction: opened while one is open (reads earlier in the request, or another block) it
    raises WriteAfterRead, on every database, so tests on any of them catch it. `after_reads`
    says the reads before were meant: they are ended first (what they loaded is read again
    when next used, now under the lock); unsaved changes still raise. `bulk` (a demo data
    load): on SQLite, the commit does not wait for the disk. `durable` (a patient's new
    story): on SQLite, the commit waits until it is on disk (synchronous=FULL), as every
    PostgreSQL commit does. Other writes keep SQLite's NORMAL under WAL: never corrupt, but
    the last commits before a power cut or a crash of the system can be lost; a story whose
    receipt the patient has seen must not be.
    """
    db = own if own is not None else session()
    if db.info.get(_WRITING):
        raise WriteAfterRead("db.writing() inside another db.writing() block: write in one")
    if db.in_transaction():
        if not after_reads or db.new or db.dirty or db.deleted:
            raise WriteAfterRead(
                "db.writing() after this session's transaction began with reads: on SQLite its "
                "writes would upgrade a read lock and can fail with 'database is locked'. Open "
                "the block before the first read, or pass after_reads=True to end those reads.")
        db.rollback()
    if db.get_bind().dialect.name == "sqlite":
        db.connection(execution_options={"sqlite_write": True, "sqlite_bulk": bulk,
                                         "sqlite_durable": durable})
    db.info[_WRITING] = True
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.info.pop(_WRITING, None)


def close_session(_exc: BaseException | None = None) -> None:
    """Roll back anything uncommitted and return the connection to the pool."""
    db = g.pop(_SESSION_KEY, None)
    if db is not None:
        db.close()
