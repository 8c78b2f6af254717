"""`flask --app app purge`: refused stories and old contact e-mails are erased on time."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskCliRunner
from share_helpers import fresh
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Draft, Submission, utcnow
from testimonials.services import audit, drafts
from testimonials.vocab import Status
from tests import builders


def arrange(session: Session) -> dict[str, int]:
    now = utcnow()
    old, recent = now - dt.timedelta(days=91), now - dt.timedelta(days=89)
    rows = {
        "old_rejected": builders.submission(session, email="a@example.org", moderated_at=old),
        "old_spam": builders.submission(session, moderated_at=old),
        "recent_rejected": builders.submission(session, email="b@example.org",
                                               moderated_at=recent),
        "old_approved": builders.submission(session, status=Status.APPROVED,
                                            email="c@example.org", moderated_at=old),
        "recent_approved": builders.submission(session, status=Status.APPROVED,
                                               email="d@example.org", moderated_at=recent),
        "old_pending": builders.submission(session, email="e@example.org", created_at=old),
    }
    rows["old_rejected"].status = Status.REJECTED
    rows["old_spam"].status = Status.SPAM
    rows["recent_rejected"].status = Status.REJECTED
    audit.record(session, old, None, "edit", submission_id=rows["old_approved"].id,
                 before={"email": "c@example.org"}, after={"email": "c2@example.org"},
                 actor_label="patient")
    ids = {name: row.id for name, row in rows.items()}
    # Read before the commit: a read after it begins a transaction that stays open across the
    # purge, and the scrub after the erasure waited its full 10 s for it (issue 19).
    session.commit()
    return ids


def test_dry_run_counts_and_changes_nothing(app: Flask, runner: FlaskCliRunner,
                                            session: Session) -> None:
    ids = arrange(session)
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("would erase 2 rejected or spam stories "
                                     "and 1 contact e-mails; 0 unfinished drafts")
    fresh(session)
    assert session.get(Submission, ids["old_rejected"]).original_story is not None


def test_purge_erases_what_is_past_its_time(app: Flask, runner: FlaskCliRunner,
                                            session: Session) -> None:
    ids = arrange(session)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "erased 2 rejected or spam stories and 1 contact e-mails" in result.output
    assert "@" not in result.output
    fresh(session)
    for name in ("old_rejected", "old_spam"):
        row = session.get(Submission, ids[name])
        assert row.original_story is None and row.email is None and row.erased_at is not None
    approved = session.get(Submission, ids["old_approved"])
    assert approved.email is None and approved.original_story is not None
    for name in ("recent_rejected", "recent_approved", "old_pending"):
        assert session.get(Submission, ids[name]).email is not None, name
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.submission_id == ids["old_approved"], AuditEntry.action == "edit")).one()
    assert entry.before == {"email": None} and entry.after == {"email": None}
    assert runner.invoke(args=["purge"]).output.strip() == (
        "erased 0 rejected or spam stories and 0 contact e-mails; 0 unfinished drafts")


def test_purge_erases_drafts_idle_past_the_retention_time(app: Flask, runner: FlaskCliRunner,
                                                         session: Session) -> None:
    now = utcnow()
    _old_id, old = drafts.create(session, now - dt.timedelta(hours=25))
    _new_id, new = drafts.create(session, now - dt.timedelta(hours=23))
    drafts.save(old, {"story": "An old story never sent"}, now - dt.timedelta(hours=25))
    old_hash, new_hash = old.id_hash, new.id_hash  # before the commit: none left open (above)
    session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 unfinished drafts" in result.output and "old story" not in result.output
    fresh(session)
    assert session.get(Draft, old_hash) is None
    assert session.get(Draft, new_hash) is not None
