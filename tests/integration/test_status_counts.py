"""The stored submissions per (status, is_urgent) that the moderator's queue page shows, and
the published ones the home page shows: kept exact by the database's triggers (migrations
0025_status_counts, 0026_published_in_status_count) through every change."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from testimonials.models import Account, StatusCount, Submission, Wait
from testimonials.models.submission import (
    PUBLISHED,
    counted_statuses,
    recount_statuses,
    stored_statuses,
)
from testimonials.services import bulk, moderation, submissions, urgency
from testimonials.vocab import Flag, Role, Status
from tests import builders


def _counted(session: Session) -> dict[tuple[str, bool], int]:
    return {(str(status), bool(urgent)): number
            for status, urgent, number in session.execute(counted_statuses())}


def _stored(session: Session) -> dict[tuple[str, bool], int]:
    session.expire_all()
    return stored_statuses(session)


def _pick(session: Session, rng: random.Random, *statuses: Status) -> Submission | None:
    """One item of these statuses at random, of those still holding their words."""
    ids = [item.id for item in session.query(Submission).where(
        Submission.status.in_(statuses), Submission.erased_at.is_(None))]
    return session.get(Submission, rng.choice(ids)) if ids else None


def _one_change(app: Flask, session: Session, rng: random.Random, moderator: Account) -> str:
    """One of the changes that move a status (or urgency), committed; what it was."""
    kind = rng.choice(["submit", "submit", "approve", "reject", "spam", "unpublish", "requeue",
                       "bulk", "withdraw", "erase", "urgency", "delete"])
    with app.app_context():
        if kind == "submit":
            builders.submission(session, is_urgent=rng.random() < 0.3)
        elif kind == "bulk":
            pending = [item.id for item in session.query(Submission).where(
                Submission.status == Status.PENDING, Submission.erased_at.is_(None))]
            chosen = rng.sample(pending, min(len(pending), rng.randint(1, 4)))
            bulk.decide(session, chosen, moderator, builders.NOW, rng.choice(["spam", "reject"]),
                        reason_for=lambda _item: "Not a story about waiting.")
        elif kind in ("approve", "reject", "spam"):
            item = _pick(session, rng, Status.PENDING)
            if item is not None and kind == "approve":
                moderation.approve(session, item, moderator, builders.NOW, version=item.version,
                                   title=item.original_title, story=item.original_story)
            elif item is not None and kind == "reject":
                moderation.reject(session, item, moderator, builders.NOW, version=item.version,
                                  reason="Not a story about waiting.")
            elif item is not None:
                moderation.mark_spam(session, item, moderator, builders.NOW,
                                     version=item.version)
        elif kind == "unpublish":
            item = _pick(session, rng, Status.APPROVED)
            if item is not None and item.published_at is not None:
                moderation.unpublish(session, item, moderator, builders.NOW,
                                     version=item.version)
        elif kind == "requeue":
            item = session.query(Submission).where(
                Submission.status.in_((Status.REJECTED, Status.SPAM)),
                Submission.erased_at.is_(None)).first()
            if item is not None:
                moderation.return_to_queue(session, item, builders.NOW, moderator)
        elif kind == "withdraw":
            item = _pick(session, rng, *Status)
            if item is not None:
                submissions.withdraw(session, item, builders.NOW)
        elif kind == "erase":  # the words gone, the status kept
            item = _pick(session, rng, Status.PENDING, Status.APPROVED, Status.REJECTED)
            if item is not None:
                submissions.erase(session, item, builders.NOW)
        elif kind == "urgency":
            item = _pick(session, rng, Status.PENDING)
            if item is not None:
                urgency.set_flags(session, item, Flag.CRISIS if not item.is_urgent else Flag(0))
        else:  # a row deleted by a statement, as a failed demo load deletes its own
            item = _pick(session, rng, Status.PENDING)
            if item is not None and item.moderated_at is None:
                session.execute(delete(Wait).where(Wait.submission_id == item.id))
                session.execute(delete(Submission).where(Submission.id == item.id))
        session.commit()
    return kind


def test_the_stored_counts_equal_a_count_after_any_series_of_changes(
        app: Flask, session: Session) -> None:
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    for _ in range(6):
        builders.submission(session)
    builders.submission(session, is_urgent=True)
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    rng = random.Random(19)
    done = []
    for _ in range(60):
        done.append(_one_change(app, session, rng, moderator))
        assert _stored(session) == _counted(session), done
    # The series did change statuses every way (a series that did not would prove little).
    statuses = {status for status, _urgent in _counted(session)}
    assert statuses >= {"pending", "approved", "rejected", "spam", "withdrawn"}, done
    assert {"bulk", "withdraw", "erase", "urgency", "delete", "requeue"} <= set(done)


def test_a_statement_that_changes_many_rows_moves_the_counts_once_for_each(
        session: Session) -> None:
    for _ in range(5):
        builders.submission(session)
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    session.execute(update(Submission).where(Submission.status == Status.PENDING)
                    .values(status=Status.SPAM))
    session.execute(update(Submission).values(updated_at=builders.NOW))  # no status moved
    session.commit()
    assert _stored(session) == {("spam", False): 5, ("approved", False): 1,
                                (PUBLISHED, False): 1}


def test_a_lost_count_is_made_again_and_a_recount_puts_every_count_right(
        session: Session) -> None:
    builders.submission(session)
    session.commit()
    session.execute(delete(StatusCount))  # as after a TRUNCATE of the table
    session.commit()
    builders.submission(session)
    session.commit()
    assert _stored(session) == {("pending", False): 1}  # the row made again, from there
    recount_statuses(session)
    session.commit()
    assert _stored(session) == {("pending", False): 2}


def test_stats_check_finds_a_wrong_status_count_and_rebuild_puts_it_right(
        app: Flask, session: Session) -> None:
    builders.submission(session)
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["stats", "check"]).exit_code == 0
    session.execute(update(StatusCount).where(StatusCount.status == "pending")
                    .values(items=StatusCount.items + 3))
    session.commit()
    failed = runner.invoke(args=["stats", "check"])
    assert failed.exit_code == 1
    assert "status pending: stored 4, recount 1" in failed.output
    assert runner.invoke(args=["stats", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["stats", "check"]).exit_code == 0
    assert _stored(session) == _counted(session)


def test_transactions_that_change_statuses_in_opposite_orders_do_not_deadlock(
        app: Flask, session: Session) -> None:
    """Each takes one count row and then wants the other's: counted at once, PostgreSQL
    would abort one of them as a deadlock; counted at their commits, one waits."""
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: the second waits at its first change")
    urgent = [builders.submission(session, is_urgent=True).id for _ in range(2)]
    calm = [builders.submission(session).id for _ in range(2)]
    session.commit()
    first, second = (app.extensions["waitline.sessionmaker"]() for _ in range(2))

    def reject(own: Session, item: int) -> None:
        own.execute(update(Submission).where(Submission.id == item)
                    .values(status=Status.REJECTED))

    try:
        reject(first, urgent[0])
        reject(second, calm[0])
        with ThreadPoolExecutor(max_workers=1) as pool:
            later = pool.submit(lambda: (reject(second, urgent[1]), second.commit()))
            reject(first, calm[1])
            first.commit()
            later.result(timeout=60)
    finally:
        first.close()
        second.close()
    assert _stored(session) == _counted(session) == {("rejected", True): 2,
                                                     ("rejected", False): 2}
