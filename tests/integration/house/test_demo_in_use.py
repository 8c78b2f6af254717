"""The demo data set looks like a site in use: decisions logged, a queue days (not years) old."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from testimonials.models import Account, AuditEntry, Submission
from testimonials.services import audit
from tests import snapshots
from tests.builders import empty_audit_log

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
LOAD = ["demo", "load", "--count", "900", "--seed", "7", "--until", "2026-11-01"]
DECISIONS = {"approved": "approve", "rejected": "reject", "spam": "spam"}


# What one real load leaves, per kind of database: the tests that only read it (all but the
# one that loads twice) get it copied into their fresh database (tests/snapshots.py) rather
# than load 900 items again each (issue 19).
_LOADED: dict[str, snapshots.Snapshot] = {}


@pytest.fixture(autouse=True)
def _no_protection_audit(app: Flask) -> None:
    """The load's data and audit log, not how its release protects them: each load still cuts
    its release, without the protection audit (on by default), which cost the test that loads
    twice about 90 s of CPU, the second release audited against the first (issue 19). The
    audit has its own tests (tests/unit/stats, test_stats_release_adversary)."""
    app.config["STATS_PROTECTION_AUDIT"] = False


def _load(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=LOAD)
    assert result.exit_code == 0, result.output


def _loaded(runner: FlaskCliRunner) -> None:
    """The database as LOAD leaves it: loaded for real once per worker and kind, then copied."""
    engine = runner.app.extensions["waitline.engine"]
    if engine.dialect.name in _LOADED:
        snapshots.restore(engine, _LOADED[engine.dialect.name])
        return
    _load(runner)
    _LOADED[engine.dialect.name] = snapshots.take(engine)


def _audit_rows(session: Session) -> list[tuple[object, ...]]:
    session.expire_all()
    return [tuple(row) for row in session.execute(
        select(AuditEntry.id, AuditEntry.created_at, AuditEntry.actor_id, AuditEntry.actor_label,
               AuditEntry.action, AuditEntry.submission_id, AuditEntry.before, AuditEntry.after,
               AuditEntry.reason)
        # The decisions; the first statistics release's entry carries the time of the load.
        .where(AuditEntry.submission_id.is_not(None)).order_by(AuditEntry.id))]


def test_every_demo_decision_is_in_the_audit_log_by_a_demo_account_after_submission(
        runner: FlaskCliRunner, session: Session) -> None:
    _loaded(runner)
    demo = {row.id: row.email for row in session.execute(select(Account.id, Account.email))}
    entries = {entry.submission_id: entry for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.submission_id.is_not(None)))}
    decided = session.scalars(select(Submission)
                              .where(Submission.status.in_(list(DECISIONS)))).all()
    assert len(decided) > 600
    assert len(entries) == len(decided)
    for item in decided:
        entry = entries[item.id]
        assert entry.action == DECISIONS[item.status.value]
        assert entry.actor_id == item.moderated_by_id and entry.actor_label == demo[entry.actor_id]
        assert entry.created_at == item.moderated_at
        assert item.created_at < entry.created_at < UNTIL
        assert entry.before is not None and entry.before["status"] == "pending"
        assert entry.after is not None and entry.after["status"] == item.status.value
        assert entry.reason == item.decision_reason
    # Both demo accounts moderate, as a team would.
    assert {entry.actor_id for entry in entries.values()} == set(demo)


def test_demo_decisions_are_made_in_working_hours_and_logged_in_time_order(
        runner: FlaskCliRunner, session: Session) -> None:
    _loaded(runner)
    # The moderators' decisions on items (the load's own statistics release is stamped with
    # the time of the load, whenever that is).
    times = session.scalars(select(AuditEntry.created_at)
                            .where(AuditEntry.submission_id.is_not(None))
                            .order_by(AuditEntry.id)).all()
    assert times and times == sorted(times)
    pacific = dt.timezone(dt.timedelta(hours=-8))  # standard time: daylight time only adds one
    hours = {moment.astimezone(pacific).hour for moment in times}
    assert min(hours) >= 7 and max(hours) < 22


def test_the_demo_queue_is_days_old_not_years(runner: FlaskCliRunner, session: Session) -> None:
    _loaded(runner)
    pending = session.scalars(select(Submission.created_at)
                              .where(Submission.status == "pending")).all()
    assert 3 <= len(pending) <= 60
    assert UNTIL - min(pending) < dt.timedelta(days=21)
    decided_recently = session.scalars(select(Submission.id).where(
        Submission.status != "pending",
        Submission.created_at > UNTIL - dt.timedelta(days=2))).all()
    assert len(decided_recently) < len(pending)  # the newest items are mostly still waiting


def test_the_same_seed_gives_the_same_audit_log(runner: FlaskCliRunner, session: Session) -> None:
    # The first load is the one the other tests share (a real load of this worker, copied in
    # when it was already made: one load of 900 saved, issue 19); the second is made here.
    _loaded(runner)
    first = _audit_rows(session)
    empty_audit_log(session)
    session.execute(text("DELETE FROM stat_cell"))
    session.execute(text("DELETE FROM wait"))
    session.execute(text("DELETE FROM submission"))
    session.commit()
    _load(runner)
    assert _audit_rows(session) == first and len(first) > 600


def test_entries_written_after_a_demo_load_take_new_ids(runner: FlaskCliRunner,
                                                        session: Session) -> None:
    _loaded(runner)
    newest = session.scalar(select(func.max(AuditEntry.id)))
    entry = audit.record(session, UNTIL, None, "requeue", actor_label=audit.SYSTEM)
    session.commit()
    assert newest is not None and entry.id > newest
