"""The home page's count of published stories: the row (PUBLISHED, False) of status_count,
kept exact by the database's triggers through every change whatever makes it (migration
0026_published_in_status_count), read from that one row by every worker."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from testimonials import caching, create_app, lifecycle
from testimonials.lifecycle import Action
from testimonials.models import Account, StatusCount, Submission, Wait
from testimonials.models.submission import PUBLISHED, count_published, stored_published
from testimonials.services import facilities, moderation, retention, submissions
from testimonials.vocab import Role, Status, Unit
from testimonials.waits import WaitAnswer
from tests import builders


def _figure(app: Flask) -> str:
    page = app.test_client().get("/").get_data(as_text=True)
    found = re.search(r'<span class="figure-number">([^<]*)</span>\s*'
                      r'<span class="figure-label">stor', page)
    assert found, page
    return found.group(1)


def _store(session: Session, published: int) -> None:
    """Write a stored count by hand, and commit."""
    session.execute(delete(StatusCount).where(StatusCount.status == PUBLISHED))
    session.execute(insert(StatusCount).values(status=PUBLISHED, is_urgent=False,
                                               items=published))
    session.commit()


def _counted(session: Session) -> int:
    session.expire_all()
    return stored_published(session)


def test_an_approval_counts_the_published_stories_in_its_own_commit(
        app: Flask, session: Session) -> None:
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    for _ in range(2):
        builders.submission(session, status=Status.APPROVED)
    pending = builders.submission(session, status=Status.PENDING)
    session.commit()
    assert _figure(app) == "2"
    builders.approve(session, pending, moderator)
    assert _counted(session) == 3  # the approved story itself included
    assert _figure(app) == "3"


def test_the_home_page_reads_the_counted_figure_rather_than_counting(
        database_url: str, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    # A figure no count gives: the page shows what the row holds.
    _store(session, 41)
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    try:
        assert _figure(app) == "41"
    finally:
        app.extensions["waitline.engine"].dispose()


def test_a_statement_outside_the_orm_moves_the_stored_count(session: Session) -> None:
    """A bulk statement, as a hand-made repair or a migration makes, is seen like a decision:
    no service said anything, and no generation moved."""
    for _ in range(3):
        builders.submission(session, status=Status.APPROVED)
    builders.submission(session)
    session.commit()
    assert _counted(session) == 3
    session.execute(update(Submission).where(Submission.id == 1).values(published_at=None))
    session.execute(update(Submission).values(updated_at=builders.NOW))  # nothing published
    session.commit()
    assert _counted(session) == 2
    session.execute(update(Submission).values(published_at=builders.NOW))
    session.commit()
    assert _counted(session) == 4
    session.execute(delete(Wait).where(Wait.submission_id == 2))
    session.execute(delete(Submission).where(Submission.id == 2))
    session.commit()
    assert _counted(session) == 3 == _published(session)


def _answers_of(item: Submission, story: str) -> submissions.Answers:
    """The item's answers as the patient would send them again, with a new story."""
    return submissions.Answers(
        story=story, title=item.original_title, reporter=item.reporter,
        facility_id=item.facility_id, facility_other=item.facility_other,
        care_types=item.care_types, outcomes=item.outcomes,
        experience_month=item.experience_month,
        waits=tuple(WaitAnswer(w.kind, w.state, w.days, w.days, Unit.DAYS if w.days else None)
                    for w in item.waits),
        consent_publish=item.consent_publish, consent_stats=item.consent_stats,
        consent_share=item.consent_share, consent_contact=item.consent_contact,
        display_name=item.display_name, email=item.email)


def _published(session: Session) -> int:
    session.expire_all()
    return session.scalar(count_published()) or 0


@pytest.mark.parametrize("seed", [1, 2])
def test_the_stored_count_equals_a_recount_after_any_series_of_changes(
        app: Flask, session: Session, seed: int) -> None:
    """Approvals (published or counted only), edits of the public text, unpublishes, returns
    to the queue, rejections, spam, patients' edits and withdrawals (which erase), and the
    retention's erasure of refused stories, in a random order: after every commit the stored
    count is what a count of the published stories gives."""
    chance = random.Random(seed)
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    for number in range(12):
        builders.submission(session, status=Status.APPROVED if number < 4 else Status.PENDING,
                            consent_publish=number % 5 != 4)
    session.commit()
    later = builders.NOW
    done: list[str] = []
    for _ in range(60):
        later += dt.timedelta(hours=1)
        items = session.scalars(select(Submission).order_by(Submission.id)).all()
        item = chance.choice(items)
        action = chance.choice(["approve", "approve", "edit public",
                                "unpublish", "unpublish", "requeue", "reject", "spam",
                                "patient edit", "withdraw", "purge", "new"])
        if action == "new":
            builders.submission(session)
        elif action == "purge":
            retention.purge(session, later + dt.timedelta(days=400), rejected_days=90,
                            email_days=100_000)
            caching.public_changed(session)  # as the retention command's erasures do
        elif action == "withdraw":
            submissions.withdraw(session, item, later)
        elif action == "patient edit" and submissions.can_edit(item):
            submissions.edit(session, item, _answers_of(item, f"A new story {later}, told "
                                                              f"again at more length."), later)
        elif action in ("approve", "edit public") and lifecycle.allowed(
                item.stage, Action.APPROVE if action == "approve" else Action.EDIT_PUBLIC):
            # (An item without consent to publish is approved into the statistics only.)
            step = moderation.approve if action == "approve" else moderation.edit_public
            step(session, item, moderator, later, version=item.version,
                 title=item.original_title, story=item.original_story)
        elif action == "unpublish" and item.published_at is not None:
            moderation.unpublish(session, item, moderator, later, version=item.version)
        elif action == "requeue" and lifecycle.allowed(item.stage, Action.REQUEUE):
            moderation.return_to_queue(session, item, later, moderator)
        elif action in ("reject", "spam") and item.status is Status.PENDING:
            if action == "reject":
                moderation.reject(session, item, moderator, later, version=item.version,
                                  reason="Not about a wait.")
            else:
                moderation.mark_spam(session, item, moderator, later, version=item.version)
        else:
            session.rollback()
            continue
        session.commit()
        done.append(action)
        assert _counted(session) == _published(session), done
    assert {"approve", "unpublish", "withdraw"} <= set(done)


def test_changes_move_the_stored_count_by_their_own_stories_without_counting(
        app: Flask, session: Session) -> None:
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    public = builders.submission(session, status=Status.APPROVED)
    first, second = builders.submission(session), builders.submission(session)
    place = builders.facility(session)
    session.commit()
    # A figure no count gives: each change adds to it (a count would say 1, then 2).
    _store(session, 41)
    builders.approve(session, first, moderator)
    session.commit()
    assert _counted(session) == 42
    moderation.reject(session, second, moderator, builders.NOW, version=second.version,
                      reason="Not about a wait.")
    session.commit()
    assert _counted(session) == 42
    approved = session.get(Submission, first.id)
    assert approved is not None
    moderation.unpublish(session, approved, moderator, builders.NOW, version=approved.version)
    session.commit()
    assert _counted(session) == 41
    withdrawn = session.get(Submission, public.id)
    assert withdrawn is not None
    submissions.withdraw(session, withdrawn, builders.NOW)  # a published story, erased
    session.commit()
    assert _counted(session) == 40
    # A public change of another kind counts nothing either.
    facilities.rename_facility(session, place, "Oakland Center", "Oakland", moderator,
                               builders.NOW)
    session.commit()
    assert _counted(session) == 40


def test_stats_check_finds_a_wrong_stored_count_and_rebuild_mends_it(
        runner: FlaskCliRunner, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    _store(session, 7)
    checked = runner.invoke(args=["stats", "check"])
    assert checked.exit_code != 0 and "published stories: stored 7, recount 1" in checked.output
    assert runner.invoke(args=["stats", "rebuild"]).exit_code == 0
    assert _counted(session) == 1
    assert runner.invoke(args=["stats", "check"]).exit_code == 0


def test_a_rebuild_that_mends_the_count_shows_it_on_the_kept_home_page(
        database_url: str, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    _store(session, 7)
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "PAGE_CACHE": True})
    try:
        assert _figure(app) == "7"  # and the page kept
        assert app.test_cli_runner().invoke(args=["stats", "rebuild"]).exit_code == 0
        assert _figure(app) == "1"  # the rebuild moved the generation
    finally:
        app.extensions["waitline.engine"].dispose()
