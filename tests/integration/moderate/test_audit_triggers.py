"""The database itself keeps the audit log append-only (migration 0022), on both engines:
an UPDATE or DELETE from any client is refused; the erasure that withdrawal requires goes
through its one path (services.audit.erasure) and works, and leaves the gate closed."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from testimonials.models import AuditEntry, Submission, utcnow
from testimonials.services import audit, submissions
from tests import builders


def _item_with_history(app: Flask) -> tuple[int, int]:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        item = builders.submission(session, story="I waited nine months for my son's doctor.")
        entry = audit.record(session, utcnow(), None, "edit", submission_id=item.id,
                             before={"story": "I waited nine months"},
                             after={"story": "I waited ten months"}, actor_label=audit.PATIENT)
        session.commit()
        return item.id, entry.id


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET action = 'approve' WHERE id = :id",
    "UPDATE audit_entry SET reason = NULL WHERE id = :id",
    "DELETE FROM audit_entry WHERE id = :id",
])
def test_the_database_refuses_to_change_or_delete_an_audit_row(app: Flask,
                                                               statement: str) -> None:
    _item, entry_id = _item_with_history(app)
    engine = app.extensions["waitline.engine"]
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:  # plain SQL: no ORM event stands in the way
            connection.execute(text(statement), {"id": entry_id})
    with engine.connect() as connection:
        assert connection.execute(text("SELECT action FROM audit_entry WHERE id = :id"),
                                  {"id": entry_id}).scalar_one() == "edit"


def test_withdrawal_erases_the_words_through_the_one_path_and_closes_the_gate(
        app: Flask) -> None:
    item_id, entry_id = _item_with_history(app)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        item = session.get(Submission, item_id)
        submissions.withdraw(session, item, utcnow())
        session.commit()
    with maker() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.id == entry_id)).one()
        assert entry.before == {"story": None} and entry.after == {"story": None}
        assert entry.action == "edit"  # who did what, and when, stays
    engine = app.extensions["waitline.engine"]
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_entry SET before = NULL WHERE id = :id"),
                               {"id": entry_id})


def test_the_gate_opened_in_a_transaction_that_fails_is_closed_after_it(app: Flask) -> None:
    _item, entry_id = _item_with_history(app)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        with audit.erasure(session):
            session.execute(text("UPDATE audit_entry SET reason = NULL WHERE id = :id"),
                            {"id": entry_id})
        session.rollback()
    engine = app.extensions["waitline.engine"]
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": entry_id})
