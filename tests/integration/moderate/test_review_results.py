"""The review page says what it shows rightly: plurals, and what happened in a conflict."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import update
from sqlalchemy.orm import Session

from moderate_helpers import Person
from testimonials.models import Account, Submission
from testimonials.services import notify
from testimonials.vocab import Status, Unit, WaitKind, WaitState
from tests import builders


def _with_waits(session: Session, answers: dict[WaitKind, tuple[str, Unit, int]]) -> Submission:
    """A pending item whose waits were typed as an amount and a unit (days stored beside)."""
    item = builders.submission(session, waits={kind: (WaitState.WAITING, days)
                                               for kind, (_amount, _unit, days) in answers.items()})
    for wait in item.waits:
        amount, unit, _days = answers[wait.kind]
        wait.amount, wait.unit = Decimal(amount), unit
    session.commit()
    return item


@pytest.mark.parametrize("language,wanted,unwanted", [
    ("en", ["1 week (7 days)", "1 month (30 days)", "1 day"],
     ["1 weeks", "1 months", "1 days"]),
    ("es", ["1 semana (7 días)", "1 mes (30 días)", "1 día"],
     ["1 semanas", "1 meses", "1 días"]),
])
def test_review_says_one_week_and_one_month(mod_client: FlaskClient, session: Session,
                                            language: str, wanted: list[str],
                                            unwanted: list[str]) -> None:
    item = _with_waits(session, {WaitKind.INTAKE: ("1", Unit.WEEKS, 7),
                                 WaitKind.FIRST_RETURN: ("1", Unit.MONTHS, 30),
                                 WaitKind.PSYCHIATRY: ("1", Unit.DAYS, 1)})
    page = mod_client.get(f"/moderate/{item.id}?lang={language}").get_data(as_text=True)
    for text in wanted:
        assert text in page
    for text in unwanted:
        assert text not in page


def test_review_says_weeks_and_months_in_the_plural(mod_client: FlaskClient,
                                                    session: Session) -> None:
    item = _with_waits(session, {WaitKind.INTAKE: ("2.5", Unit.WEEKS, 18),
                                 WaitKind.FIRST_RETURN: ("3", Unit.MONTHS, 91)})
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert "2.5 weeks (18 days)" in page and "3 months (91 days)" in page


def test_the_digest_says_one_item_and_one_day(app: Flask, session: Session, moderator: Person,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    session.execute(update(Account).where(Account.id == moderator.id).values(alert_digest=True))
    builders.submission(session, now=builders.NOW - dt.timedelta(days=1, hours=2))
    session.commit()
    sent: list[notify.Mail] = []
    monkeypatch.setattr(notify, "send", lambda mail, _config: sent.append(mail))
    assert notify.digest(session, app.config, builders.NOW) == 1
    (mail,) = sent
    assert "1 item waiting for review" in mail.subject
    assert "1 item is waiting for review" in mail.body and "waited 1 day." in mail.body


def test_export_says_one_story(runner: FlaskCliRunner, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    result = runner.invoke(args=["export", "stories"])
    assert result.exit_code == 0, result.output
    assert "1 story exported" in result.stderr
