"""The audit log: every action recorded with before and after; append-only; erasable text."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import Person, version_of
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.models import AuditEntry, Submission, utcnow
from testimonials.models.audit import AppendOnlyError, refuse_bulk_changes
from testimonials.services import audit
from tests import builders

STORY = "I waited five months for my daughter's therapy. Her name is Lucia Fernandez, age 9."


def _approve(client: FlaskClient, item: Submission, story: str) -> None:
    page = client.get(f"/moderate/{item.id}").get_data(as_text=True)
    response = client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": version_of(page), "public_title": "Five months",
        "public_story": story, "confirm_personal_data": "yes"})
    assert response.status_code == 302


def test_an_approval_records_who_what_and_the_text_before_and_after(
        mod_client: FlaskClient, session: Session, moderator: Person) -> None:
    item = builders.submission(session, story=STORY)
    session.commit()
    _approve(mod_client, item, "I waited five months for my daughter's therapy.")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "approve")).one()
    assert entry.actor_id == moderator.id and entry.actor_label == moderator.email
    assert entry.submission_id == item.id
    assert entry.before is not None and entry.after is not None
    assert entry.before["status"] == "pending" and entry.after["status"] == "approved"
    assert entry.before["original_story"] == STORY
    assert entry.after["public_story"] == "I waited five months for my daughter's therapy."


def test_the_log_page_lists_newest_first_and_filters(mod_client: FlaskClient,
                                                     session: Session) -> None:
    first = builders.submission(session, story=STORY)
    second = builders.submission(session, story=STORY + " Again.")
    session.commit()
    _approve(mod_client, first, "First & <3 only.")
    page = mod_client.get(f"/moderate/{second.id}").get_data(as_text=True)
    mod_client.post(f"/moderate/{second.id}/decide", data={
        "action": "reject", "version": version_of(page), "reason": "Names, please remove."})
    page = mod_client.get("/moderate/audit").get_data(as_text=True)
    assert page.index(f"#{second.id}<") < page.index(f"#{first.id}<")
    assert "First &amp; &lt;3 only." in page  # text shown escaped
    only_first = mod_client.get(f"/moderate/audit?item={first.id}").get_data(as_text=True)
    assert f"#{second.id}<" not in only_first and f"#{first.id}<" in only_first
    rejects = mod_client.get("/moderate/audit?action=reject").get_data(as_text=True)
    assert "Names, please remove." in rejects and f"#{first.id}<" not in rejects


def test_the_log_pages_by_key(mod_client: FlaskClient, session: Session) -> None:
    for number in range(55):
        audit.record(session, utcnow(), None, "submit", submission_id=None,
                     subject=f"s{number}", actor_label="patient")
    session.commit()
    page = mod_client.get("/moderate/audit").get_data(as_text=True)
    older = re.search(r'rel="next" href="([^"]+)"', page)
    assert older and "before=" in older.group(1)
    rest = mod_client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "s0<" in rest or "· s0" in rest


def test_no_route_changes_or_deletes_entries(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert (rule.methods or set()) <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_the_orm_refuses_to_change_or_delete_an_entry(session: Session) -> None:
    entry = audit.record(session, utcnow(), None, "submit", actor_label="patient",
                         after={"story": "words"})
    session.commit()
    entry.action = "approve"
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    entry.after = {"story": "other words"}
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    session.delete(entry)
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    with pytest.raises(AppendOnlyError):
        session.execute(update(AuditEntry).values(action="x"))
    with pytest.raises(AppendOnlyError):
        session.execute(delete(AuditEntry))


def test_the_bulk_guard_is_on_the_apps_session_factory_not_on_every_session(app: Flask) -> None:
    maker = app.extensions["waitline.sessionmaker"]
    assert event.contains(maker, "do_orm_execute", refuse_bulk_changes)
    assert not event.contains(Session, "do_orm_execute", refuse_bulk_changes)
    with app.app_context(), db.own_session() as own, pytest.raises(AppendOnlyError):
        own.execute(delete(AuditEntry))  # a session of one's own from the factory is guarded


def test_erase_texts_blanks_the_words_and_keeps_the_facts(mod_client: FlaskClient,
                                                          session: Session) -> None:
    item = builders.submission(session, story=STORY)
    session.commit()
    _approve(mod_client, item, "Five months of waiting.")
    assert audit.erase_texts(session, item.id) == 1
    session.commit()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.submission_id == item.id,
                                                     AuditEntry.action == "approve")).one()
    session.refresh(entry)
    assert entry.action == "approve" and entry.after is not None and entry.before is not None
    assert entry.after["public_story"] is None and entry.before["original_story"] is None
    assert entry.after["status"] == "approved"
    assert STORY not in str(entry.before) + str(entry.after)


def test_erase_texts_can_take_only_the_email(session: Session) -> None:
    item = builders.submission(session, story=STORY)
    entry = audit.record(session, utcnow(), None, "edit", submission_id=item.id,
                         actor_label="patient", before={"email": "a@example.org", "story": "x"},
                         after={"email": "b@example.org", "story": "y"})
    session.commit()
    audit.erase_texts(session, item.id, keys=frozenset({"email"}))
    session.commit()
    session.refresh(entry)
    assert entry.before == {"email": None, "story": "x"}
    assert entry.after == {"email": None, "story": "y"}
