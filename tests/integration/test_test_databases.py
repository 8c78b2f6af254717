"""The suite's own PostgreSQL cleaning (tests/conftest.py): between two tests it must leave
the schema as TRUNCATE ... RESTART IDENTITY did, the append-only audit log included. (The
SQLite database needs no such test: each test gets a fresh copy of the migrated file.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Base, Facility
from tests import builders
from tests.conftest import empty_postgres


@pytest.fixture
def session(live_postgres_url: str, postgres_cleaner: Engine) -> Iterator[Session]:
    """A session on the run's PostgreSQL schema, emptied first as for any test."""
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
