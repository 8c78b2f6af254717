"""Every change that makes an item urgent in the queue alerts the moderators who asked: a new
crisis story, a patient's edit that adds crisis words, an urgent story back in the queue.

The rule lives in the services (services.urgency) and the alert goes out on commit
(testimonials.alerts), so no view or command can forget it, and a rollback sends nothing.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from share_helpers import STORY, approve, stored
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.models import Account, utcnow
from testimonials.services import accounts, moderation, notify, submissions
from testimonials.vocab import Language, Reporter, Role
from tests.fakes import FakeSMTP

CRISIS = " Some nights I started thinking about killing myself while I waited."


@pytest.fixture
def mailbox(app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The messages sent by SMTP to a moderator who chose urgent alerts."""
    account = accounts.create_account(session, "mod@example.org", "a long enough pass phrase 42",
                                      Role.MODERATOR, utcnow())
    session.execute(update(Account).where(Account.id == account.id).values(alert_urgent=True))
    session.commit()
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config["SMTP_HOST"] = "mail.example.org"
    return FakeSMTP.sent


def edit(client: FlaskClient, token: str, data: dict[str, Any]) -> None:
    with client.post(f"/my/{token}/edit", data=data) as response:  # closed: sent, as by gunicorn
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def test_an_edit_that_adds_crisis_words_alerts_the_moderators(
        client: FlaskClient, session: Session, share: Any, form_data: dict[str, Any],
        mailbox: list[Any]) -> None:
    token = share()
    assert mailbox == []
    edit(client, token, {**form_data, "story": STORY + CRISIS})
    row = stored(session, token)
    assert row.is_urgent
    (message,) = mailbox
    assert f"#{row.id}" in message["Subject"] and "killing myself" not in message.get_content()
    edit(client, token, {**form_data, "story": STORY + CRISIS + " Still waiting."})
    assert len(mailbox) == 1  # already urgent: no second alert


def test_an_urgent_story_edited_back_into_the_queue_alerts_again(
        client: FlaskClient, session: Session, share: Any, form_data: dict[str, Any],
        mailbox: list[Any]) -> None:
    token = share({"story": STORY + CRISIS})
    assert len(mailbox) == 1
    approve(session, stored(session, token))
    edit(client, token, {**form_data, "story": STORY + CRISIS + " An update."})
    assert len(mailbox) == 2  # pending and urgent again: the queue pins it, moderators are told


def _answers(story: str) -> submissions.Answers:
    return submissions.Answers(
        story=story, title=None, reporter=Reporter.PATIENT, facility_id=None,
        facility_other=None, care_types=0, outcomes=0, experience_month=None, waits=(),
        consent_publish=False, consent_stats=True, consent_share=False, consent_contact=False,
        display_name=None, email=None)


def test_any_caller_of_the_services_alerts_on_commit_and_never_on_rollback(
        app: Flask, session: Session, mailbox: list[Any]) -> None:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    submissions.submit(session, _answers(STORY + CRISIS), Language.EN, now)
    session.rollback()
    assert mailbox == []
    receipt = submissions.submit(session, _answers(STORY + CRISIS), Language.EN, now)
    assert mailbox == []  # not before the commit
    session.commit()
    assert len(mailbox) == 1
    calm = submissions.submit(session, _answers(STORY + " Another one."), Language.EN, now)
    session.commit()
    submissions.edit(session, calm.submission, _answers(STORY + CRISIS + " Later."), now)
    session.commit()
    assert len(mailbox) == 2
    moderator = session.get(Account, 1)
    assert moderator is not None
    moderation.approve(session, receipt.submission, moderator, now,
                       version=receipt.submission.version, title=None, story=STORY)
    session.commit()
    moderation.return_to_queue(session, receipt.submission, now, moderator)
    session.commit()
    assert len(mailbox) == 3


def test_outside_a_request_an_alert_after_a_writing_block_records_its_outcome_at_once(
        app: Flask, session: Session, mailbox: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A command's writing block: the alert goes out once its transaction has ended, so the
    outcome's own write does not wait (the busy timeout) for the block's SQLite write gate."""
    def refuse(_smtp: FakeSMTP, _message: Any) -> None:
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    began = time.monotonic()
    with app.app_context(), db.writing() as writer:
        submissions.submit(writer, _answers(STORY + CRISIS), Language.EN, now)
    assert time.monotonic() - began < app.config["SQLITE_BUSY_TIMEOUT_MS"] / 2000
    failure = notify.last_failure(session)
    assert failure is not None and failure.kind == notify.ALERT
