"""Moderator alerts: urgent items and the daily digest, by SMTP or the log, never with text."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from moderate_helpers import Person
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials.models import Account
from testimonials.services import notify
from testimonials.vocab import Flag
from tests import builders
from tests.fakes import FakeSMTP

STORY = "Secret story text: I think about suicide while waiting. Call me at 510-555-0123."


def _choose(session: Session, person: Person, **choices: bool) -> None:
    session.execute(update(Account).where(Account.id == person.id).values(**choices))
    session.commit()


def test_alerts_page_saves_the_choice(mod_client: Any, session: Session,
                                      moderator: Person) -> None:
    assert mod_client.post("/moderate/alerts", data={"urgent": "yes"}).status_code == 302
    account = session.get(Account, moderator.id)
    assert account is not None and account.alert_urgent and not account.alert_digest


def test_urgent_alert_goes_to_those_who_chose_it_without_story_text(
        app: Flask, session: Session, moderator: Person, admin: Person,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _choose(session, moderator, alert_urgent=True)
    item = builders.submission(session, story=STORY, is_urgent=True, flags=int(Flag.CRISIS),
                               email="patient@example.org")
    session.commit()
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    config = {**app.config, "SMTP_HOST": "mail.example.org", "SITE_URL": "https://w.example"}
    assert notify.urgent_item_arrived(session, item.id, config) == 1
    (message,) = FakeSMTP.sent
    assert message["To"] == moderator.email
    body = message.get_content()
    assert f"https://w.example/moderate/{item.id}" in body
    for secret in ("Secret story text", "510-555-0123", "patient@example.org", "suicide while"):
        assert secret not in body and secret not in message["Subject"]


def test_without_smtp_mail_goes_to_the_log(app: Flask, session: Session, moderator: Person,
                                           caplog: pytest.LogCaptureFixture) -> None:
    _choose(session, moderator, alert_urgent=True)
    item = builders.submission(session, story=STORY, is_urgent=True)
    session.commit()
    with caplog.at_level("INFO"):
        assert notify.urgent_item_arrived(session, item.id, app.config) == 1
    assert "Urgent item" in caplog.text
    assert "Secret story" not in caplog.text and moderator.email not in caplog.text


def test_digest_command_counts_the_queue(runner: FlaskCliRunner, session: Session,
                                         moderator: Person, monkeypatch: pytest.MonkeyPatch,
                                         app: Flask) -> None:
    _choose(session, moderator, alert_digest=True)
    for urgent in (True, False, False):
        builders.submission(session, story=STORY, is_urgent=urgent)
    session.commit()
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config["SMTP_HOST"] = "mail.example.org"
    result = runner.invoke(args=["notify", "digest"])
    assert result.exit_code == 0, result.output
    assert "digest sent to 1 moderator(s) through SMTP" in result.output
    body = FakeSMTP.sent[0].get_content()
    assert "3 items are waiting for review" in body and "1 of them urgent" in body
    assert "Secret story" not in body


def test_nobody_chose_nothing_is_sent(app: Flask, session: Session, moderator: Person) -> None:
    assert notify.digest(session, app.config, builders.NOW) == 0
