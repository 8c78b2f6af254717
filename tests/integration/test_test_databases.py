"""The suite's own PostgreSQL cleaning (tests/conftest.py): between two tests it must leave
the schema as TRUNCATE ... RESTART IDENTITY did, the append-only audit log included. (The
SQLite database needs no such test: each test gets a fresh copy of the migrated file.) And the
databases of a run that was killed do not outlive it (tests/postgres_databases.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Base, Facility
from tests import builders
from tests.conftest import empty_postgres
from tests.postgres_databases import PREFIX, RUN, databases, drop_stale


@pytest.fixture
def session(live_postgres_url: str, postgres_cleaner: Engine) -> Iterator[Session]:
    """A session on this process's PostgreSQL database, emptied first as for any test."""
    empty_postgres(postgres_cleaner)
    engine = create_engine(live_postgres_url)
    with Session(engine) as own:
        yield own
    engine.dispose()


def test_between_tests_every_table_is_emptied_and_ids_start_again(
        postgres_cleaner: Engine, session: Session) -> None:
    place = builders.facility(session)
    story = builders.submission(session, place=place)
    session.add(AuditEntry(actor_label="test", action="approve", submission_id=story.id))
    session.commit()
    session.close()

    empty_postgres(postgres_cleaner)

    for table in Base.metadata.sorted_tables:
        assert session.execute(select(func.count()).select_from(table)).scalar_one() == 0, table
    session.rollback()
    assert builders.facility(session, name="Again").id == 1
    session.commit()
    # The audit log's no-delete trigger is back on outside the cleaning.
    session.add(AuditEntry(actor_label="test", action="approve"))
    session.commit()
    with pytest.raises(Exception, match="append-only|audit"):
        session.execute(text("DELETE FROM audit_entry"))
    session.rollback()
    assert session.execute(select(func.count()).select_from(Facility)).scalar_one() == 1


def test_a_killed_runs_databases_are_dropped_and_a_live_runs_are_kept(
        live_postgres_url: str) -> None:
    dead, live = (f"{uuid.uuid4().hex[:12]}" for _ in range(2))
    admin = create_engine(live_postgres_url, isolation_level="AUTOCOMMIT")
    # A run is alive while one of its processes holds a connection named after it.
    holder = create_engine(make_url(live_postgres_url).update_query_dict(
        {"application_name": f"{PREFIX}{live}"}))
    with admin.connect() as connection, holder.connect():
        for run in (dead, live):
            connection.exec_driver_sql(f'CREATE DATABASE "{PREFIX}{run}_gw0"')
        try:
            assert drop_stale(connection) == [f"{PREFIX}{dead}_gw0"]
            assert databases(connection, f"{PREFIX}{dead}_") == []
            assert databases(connection, f"{PREFIX}{live}_") == [f"{PREFIX}{live}_gw0"]
            assert databases(connection, f"{PREFIX}{RUN}_")  # this run's own are kept too
        finally:
            for run in (dead, live):
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{PREFIX}{run}_gw0"')
    holder.dispose()
    admin.dispose()


def plain_state(engine: Engine) -> dict[str, object]:
    """What the engine's dialect holds as plain values, once it has run a statement."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {name: value for name, value in vars(engine.dialect).items()
            if isinstance(value, (str, int, float, tuple, type(None)))}


def test_a_dialect_told_what_an_earlier_one_learned_equals_one_that_asked(
        live_postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py _remember_postgres_dialect_setup."""
    told = [create_engine(live_postgres_url) for _ in range(2)]  # the second one at least
    asked_calls: list[object] = []
    real = PGDialect_psycopg.initialize.asked  # type: ignore[attr-defined]
    told_state = [plain_state(engine) for engine in told]

    def asking(dialect: PGDialect_psycopg, connection: object) -> None:
        asked_calls.append(dialect)
        real(dialect, connection)

    monkeypatch.setattr(PGDialect_psycopg, "initialize", asking)
    asked = create_engine(live_postgres_url)
    asked_state = plain_state(asked)
    assert asked_calls == [asked.dialect]  # this one did ask the server
    assert asked_state["server_version_info"] >= (13,)  # type: ignore[operator]
    assert told_state[0] == told_state[1] == asked_state
    for engine in [*told, asked]:
        engine.dispose()
