"""The review page says what it shows rightly: plurals, and what happened in a conflict."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from markupsafe import escape
from moderate_helpers import Person, make_account, sign_in, version_of
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials.models import Account, Submission
from testimonials.services import notify, submissions
from testimonials.vocab import Language, Reporter, Role, Status, Unit, WaitKind, WaitState
from testimonials.waits import WaitAnswer
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


def _sent_by_patient(session: Session) -> tuple[Submission, submissions.Answers]:
    answers = submissions.Answers(
        story="I waited five months for a first appointment and nobody called me back.",
        title="Five months", reporter=Reporter.PATIENT, facility_id=None, facility_other=None,
        care_types=1, outcomes=0, experience_month=dt.date(2025, 3, 1),
        waits=(WaitAnswer(WaitKind.INTAKE, WaitState.ENDED, 150, 5, Unit.MONTHS),),
        consent_publish=True, consent_stats=True, consent_share=False, consent_contact=False,
        display_name=None, email=None)
    receipt = submissions.submit(session, answers, Language.EN, builders.NOW)
    session.commit()
    return receipt.submission, answers


def _patient_edits(app: Flask, item_id: int, answers: submissions.Answers, story: str) -> None:
    with app.extensions["waitline.sessionmaker"]() as own:
        row = own.get(Submission, item_id)
        assert row is not None
        assert submissions.edit(own, row, replace(answers, story=story), builders.NOW)
        own.commit()


def test_a_patient_edit_while_reviewing_is_explained_and_the_edit_kept(
        app: Flask, mod_client: FlaskClient, session: Session) -> None:
    item, answers = _sent_by_patient(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    new_words = "I waited six months in the end, and I went to the emergency room twice."
    _patient_edits(app, item.id, answers, new_words)
    typed = "I waited five months for a first appointment [name removed]."
    response = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": read, "public_title": "Months", "public_story": typed})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert ("The patient changed this story while you were reviewing it; here is the new version"
            in page)
    assert "Someone else decided" not in page
    assert f'name="public_story" rows="14">{escape(typed)}</textarea>' in page
    assert 'value="Months"' in page
    assert escape(new_words) in page  # the original, as it now is
    # The page carries the version now shown: deciding again goes through.
    again = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": version_of(page), "public_title": "Months",
        "public_story": typed})
    assert again.status_code == 302


def test_a_reject_reason_survives_another_moderators_decision(
        app: Flask, mod_client: FlaskClient, session: Session) -> None:
    item, _answers = _sent_by_patient(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    other = make_account(app, "other@example.org", Role.MODERATOR)
    second = app.test_client()
    sign_in(app, second, other)
    assert second.post(f"/moderate/{item.id}/decide", data={
        "action": "spam", "version": read}).status_code == 302
    reason = "Please tell us the clinic's city <not the street>, then send it again."
    late = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "reject", "version": read, "reason": reason})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Someone else decided this item while you were reading" in page
    assert escape(reason) in page


def test_a_patient_edit_while_a_reason_is_typed_keeps_the_reason(
        app: Flask, mod_client: FlaskClient, session: Session) -> None:
    item, answers = _sent_by_patient(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    _patient_edits(app, item.id, answers, "Now a different story of waiting months for care.")
    reason = "Please leave out the doctor's name."
    late = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "reject", "version": read, "reason": reason})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "The patient changed this story" in page
    assert f'data-focus-key="r" aria-describedby="reason-hint">{escape(reason)}</textarea>' in page
    # The public version was not posted with the reason: it is the item's own, not blanked.
    assert 'name="public_story" rows="14">Now a different story' in page


def test_a_withdrawal_while_reviewing_is_explained(app: Flask, mod_client: FlaskClient,
                                                   session: Session) -> None:
    item, _answers = _sent_by_patient(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    with app.extensions["waitline.sessionmaker"]() as own:
        row = own.get(Submission, item.id)
        assert row is not None
        submissions.withdraw(own, row, builders.NOW)
        own.commit()
    late = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": read, "public_title": "", "public_story": "Typed."})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "The patient withdrew this story while you were reviewing it" in page
