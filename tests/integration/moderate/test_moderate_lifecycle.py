"""Every pair of an item's stage and an action, through the real services: what the table in
testimonials/lifecycle.py allows happens and leads where the table says; anything else is
refused and changes nothing. A withdrawn or erased story never comes back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.lifecycle import TRANSITIONS, Action, Stage
from testimonials.models import Account, Submission
from testimonials.services import accounts, moderation, retention, submissions
from testimonials.services.submissions import Answers, SubmissionError
from testimonials.vocab import Language, Reporter, Role, Unit, WaitKind, WaitState
from testimonials.waits import WaitAnswer
from tests import builders

NOW = builders.NOW
LATER = NOW + dt.timedelta(days=200)  # past every retention period
STORY = "I waited three months for a first appointment, and then six weeks more."


def answers(story: str = STORY) -> Answers:
    return Answers(
        story=story, title="Months", reporter=Reporter.PATIENT, facility_id=None,
        facility_other=None, care_types=1, outcomes=0, experience_month=dt.date(2026, 3, 1),
        waits=(WaitAnswer(WaitKind.INTAKE, WaitState.WAITING, 30, 30, Unit.DAYS),),
        consent_publish=True, consent_stats=True, consent_share=False, consent_contact=True,
        display_name=None, email="lifecycle@example.org")


def public(session: Session, item: Submission, who: Account,
           step: Callable[..., Any]) -> None:
    step(session, item, who, NOW, version=item.version, title="Months", story=STORY)


def _purge(session: Session, item: Submission, who: Account) -> None:
    """Retention's erasure of refused stories (and only that)."""
    retention.purge(session, LATER, rejected_days=90, email_days=100_000)


def _purge_email(session: Session, item: Submission, who: Account) -> None:
    """Retention's erasure of resolved items' contact e-mails (and only that)."""
    retention.purge(session, LATER, rejected_days=100_000, email_days=90)


# How to bring a fresh pending item to each stage.
REACH: dict[Stage, Callable[[Session, Submission, Account], Any]] = {
    Stage.PENDING: lambda session, item, who: None,
    Stage.APPROVED: lambda session, item, who: public(session, item, who, moderation.approve),
    Stage.REJECTED: lambda session, item, who: moderation.reject(
        session, item, who, NOW, version=item.version, reason="Please remove the name."),
    Stage.SPAM: lambda session, item, who: moderation.mark_spam(session, item, who, NOW,
                                                                 version=item.version),
    Stage.WITHDRAWN: lambda session, item, who: submissions.withdraw(session, item, NOW),
    Stage.ERASED: lambda session, item, who: (
        moderation.reject(session, item, who, NOW, version=item.version, reason="No."),
        _purge(session, item, who)),
}

# Each action as its service does it.
DO: dict[Action, Callable[[Session, Submission, Account], Any]] = {
    Action.APPROVE: lambda session, item, who: public(session, item, who, moderation.approve),
    Action.EDIT_PUBLIC: lambda session, item, who: public(session, item, who,
                                                          moderation.edit_public),
    Action.REJECT: lambda session, item, who: moderation.reject(
        session, item, who, NOW, version=item.version, reason="Please shorten it."),
    Action.SPAM: lambda session, item, who: moderation.mark_spam(session, item, who, NOW,
                                                                  version=item.version),
    Action.UNPUBLISH: lambda session, item, who: moderation.unpublish(
        session, item, who, NOW, version=item.version),
    Action.REQUEUE: lambda session, item, who: moderation.return_to_queue(session, item, NOW,
                                                                          who),
    Action.EDIT: lambda session, item, who: submissions.edit(
        session, item, answers(STORY + " And more."), NOW),
    Action.WAIT_ENDED: lambda session, item, who: submissions.report_waits_ended(
        session, item, {WaitKind.INTAKE: WaitAnswer(WaitKind.INTAKE, WaitState.ENDED, 40, 40,
                                                    Unit.DAYS)}, NOW),
    Action.WITHDRAW: lambda session, item, who: submissions.withdraw(session, item, NOW),
    Action.PURGE: _purge,
    Action.PURGE_EMAIL: _purge_email,
}


def test_every_action_has_a_service_and_every_stage_a_way_there() -> None:
    assert set(DO) == set(Action) and set(REACH) == set(Stage)


def test_nothing_leads_back_from_withdrawn_or_erased() -> None:
    gone = {Stage.WITHDRAWN, Stage.ERASED}
    assert all(after in gone for (before, _action), after in TRANSITIONS.items()
               if before in gone)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_and_action_does_what_the_table_says(
        app: Flask, session: Session, stage: Stage, action: Action) -> None:
    who = accounts.create_account(session, "life@example.org", "correct horse battery",
                                  Role.MODERATOR, NOW)
    receipt = submissions.submit(session, answers(), Language.EN, NOW)
    item = receipt.submission
    REACH[stage](session, item, who)
    session.commit()
    assert item.stage is stage
    expected = TRANSITIONS.get((stage, action))
    before = (item.status, item.version, item.original_story, item.erased_at)
    if action in (Action.PURGE, Action.PURGE_EMAIL):
        # Retention picks what the table allows; it leaves everything else as it is.
        DO[action](session, item, who)
        session.commit()
        assert item.stage is (expected or stage)
        return
    if expected is None:
        with pytest.raises((moderation.ModerationError, SubmissionError, ValueError)):
            DO[action](session, item, who)
        session.rollback()
        session.refresh(item)
        assert (item.status, item.version, item.original_story, item.erased_at) == before
        return
    if action is Action.UNPUBLISH:
        assert item.published_at is not None  # approved with consent: on the site
    DO[action](session, item, who)
    session.commit()
    assert item.stage is expected


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.ERASED])
def test_returning_a_withdrawn_or_erased_story_to_the_queue_is_refused_with_a_reason(
        app: Flask, session: Session, mod_client: FlaskClient, stage: Stage) -> None:
    who = session.scalars(select(Account)).first()
    assert who is not None
    item = submissions.submit(session, answers(), Language.EN, NOW).submission
    REACH[stage](session, item, who)
    session.commit()
    response = mod_client.post(f"/moderate/{item.id}/decide",
                               data={"action": "requeue", "version": str(item.version)})
    assert response.status_code == 400
    assert "cannot go back to the queue" in response.get_data(as_text=True)
    session.refresh(item)
    assert item.stage is stage
