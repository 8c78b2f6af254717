"""The suite's PostgreSQL databases: one per test process, cloned from one migrated per run.

Each pytest-xdist worker gets a database of its own (`waitline_test_<run>_<worker>`), made by
CREATE DATABASE ... TEMPLATE from `waitline_test_<run>_template`, which the first worker to
need one migrates (the others wait on an advisory lock, then clone it). Before, the workers
shared one schema in one database, and everything that looks at "this database" saw the other
worker too: testimonials/scrub.py waits, after an erasure, for every older transaction of the
database to end, and waited on the other worker's (and on any other run's on the same server).

Nothing is left behind: each worker drops its own database at the end, and the last one the
template. A run that is killed cannot, so every worker holds, while it lives, a connection
named after its run (application_name): a database of a run with no such connection left is
stale, and the next run's first worker drops it before making its own.
"""

from __future__ import annotations

import os
import uuid

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from testimonials import db, migrate

PREFIX = "waitline_test_"
# The same for all the workers of one run (xdist sets it); a run without xdist has its own.
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:12]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEMPLATE = f"{PREFIX}{RUN}_template"
OWN = f"{PREFIX}{RUN}_{WORKER}"
# The application_name of each worker's held connection: the run is alive while one remains.
ALIVE = f"{PREFIX}{RUN}"


class WorkerDatabase:
    """This worker's migrated database on the server `base_url` names (its database is only
    where the server is reached); `drop()` removes it, and the template after the last one."""

    def __init__(self, base_url: str) -> None:
        self.base = make_url(base_url)
        self.admin = create_engine(self.base.update_query_dict({"application_name": ALIVE}),
                                   isolation_level="AUTOCOMMIT")
        # Held until drop(): it says this run is alive (see the module's docstring).
        self.held: Connection = self.admin.connect()
        with self.run_lock():
            drop_stale(self.held)
            if not exists(self.held, TEMPLATE):
                self.make_template()
            self.held.exec_driver_sql(f'CREATE DATABASE "{OWN}" TEMPLATE "{TEMPLATE}"')
        self.url = self.base.set(database=OWN).render_as_string(hide_password=False)

    def run_lock(self) -> _AdvisoryLock:
        return _AdvisoryLock(self.held, ALIVE)

    def make_template(self) -> None:
        self.held.exec_driver_sql(f'CREATE DATABASE "{TEMPLATE}"')
        engine = db.make_engine(self.base.set(database=TEMPLATE).render_as_string(
            hide_password=False))
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()  # CREATE DATABASE ... TEMPLATE wants nobody connected to it

    def drop(self) -> None:
        try:
            with self.run_lock():
                self.held.exec_driver_sql(f'DROP DATABASE IF EXISTS "{OWN}" WITH (FORCE)')
                if not databases(self.held, f"{PREFIX}{RUN}_", but=TEMPLATE):
                    self.held.exec_driver_sql(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
        finally:
            self.held.close()
            self.admin.dispose()


class _AdvisoryLock:
    """A session-level advisory lock on `connection`, keyed by `name`, for a `with` block."""

    def __init__(self, connection: Connection, name: str) -> None:
        self.connection = connection
        self.name = name

    def __enter__(self) -> None:
        self.connection.execute(text("SELECT pg_advisory_lock(hashtext(:name))"),
                                {"name": self.name})

    def __exit__(self, *_exc: object) -> None:
        self.connection.execute(text("SELECT pg_advisory_unlock(hashtext(:name))"),
                                {"name": self.name})


def exists(connection: Connection, name: str) -> bool:
    return bool(connection.scalar(text("SELECT count(*) FROM pg_database WHERE datname = :name"),
                                  {"name": name}))


def databases(connection: Connection, prefix: str, *, but: str = "") -> list[str]:
    """The names of the databases starting with `prefix` (other than `but`)."""
    pattern = prefix.replace("_", r"\_") + "%"
    return list(connection.scalars(text(
        "SELECT datname FROM pg_database WHERE datname LIKE :pattern AND datname <> :but "
        "ORDER BY datname"), {"pattern": pattern, "but": but}))


def drop_stale(connection: Connection) -> list[str]:
    """Drop the suite's databases whose run is no longer alive (a run that was killed);
    return their names."""
    alive = set(connection.scalars(text(
        "SELECT DISTINCT application_name FROM pg_stat_activity "
        "WHERE application_name LIKE :pattern"), {"pattern": PREFIX.replace("_", r"\_") + "%"}))
    stale = [name for name in databases(connection, PREFIX)
             if f"{PREFIX}{run_of(name)}" not in alive]
    for name in stale:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return stale


def run_of(database: str) -> str:
    """The run a database of the suite belongs to: `waitline_test_<run>_<worker>` -> run."""
    return database.removeprefix(PREFIX).partition("_")[0]
