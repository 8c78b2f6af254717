"""The patients' side after the audit: urgent alerts, double taps, admins' settings, take-downs,
edits that keep the duplicate check and the audit log honest, and withdrawals that erase all."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

import pytest
from flask import Flask, has_app_context, has_request_context
from flask.testing import FlaskClient, FlaskCliRunner
from share_helpers import STORY, TOKEN_IN_LOCATION, approve, fresh, stored
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from testimonials import runtime_settings
from testimonials.models import Account, AuditEntry, Setting, Submission, utcnow
from testimonials.services import accounts, moderation, submissions
from testimonials.vocab import Role, Status
from tests import builders
from tests.fakes import FakeSMTP

CRISIS = " Some nights I want to end my life while I wait."


def count(session: Session) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Submission)) or 0


def moderator(session: Session, email: str = "mod@example.org", *, urgent: bool) -> Account:
    account = accounts.create_account(session, email, "a long enough pass phrase 42",
                                      Role.MODERATOR, utcnow())
    session.execute(update(Account).where(Account.id == account.id).values(alert_urgent=urgent))
    session.commit()
    return account


def set_setting(app: Flask, session: Session, key: str, value: Any) -> None:
    """What an admin's change at /admin/settings stores, seen at once by this worker."""
    session.merge(Setting(key=key, value=value, updated_at=utcnow()))
    session.commit()
    with app.app_context():
        runtime_settings.invalidate()


def nonce(client: FlaskClient) -> str:
    """A form's one-time nonce: the whole-story POST takes the sender's own (the journey keeps
    one per draft)."""
    return secrets.token_urlsafe(24)


# 1. Urgent alerts.


def test_crisis_story_mails_the_moderators_who_chose_urgent_alerts(
        app: Flask, client: FlaskClient, session: Session, share: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = moderator(session, urgent=True)
    moderator(session, "quiet@example.org", urgent=False)
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config["SMTP_HOST"] = "mail.example.org"
    share()  # not urgent: nobody is mailed
    assert FakeSMTP.sent == []
    token = share({"story": STORY + CRISIS})
    (message,) = FakeSMTP.sent
    row = stored(session, token)
    assert message["To"] == chosen.email and f"#{row.id}" in message["Subject"]
    text = message["Subject"] + message.get_content()
    for secret in ("end my life", "cried", "ana@example.org", "Three months"):
        assert secret not in text
    client.post("/share", data={"story": STORY + CRISIS, "reporter": "patient",
                                "consent_stats": "y"}).close()  # a duplicate: no second mail
    assert len(FakeSMTP.sent) == 1


def test_urgent_alert_without_smtp_goes_to_the_log(session: Session, share: Any,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    moderator(session, urgent=True)
    with caplog.at_level(logging.INFO, logger="testimonials.services.notify"):
        share({"story": STORY + CRISIS})
    assert "Urgent item" in caplog.text and "end my life" not in caplog.text


def test_a_failed_alert_never_costs_the_patient_the_receipt(
        app: Flask, client: FlaskClient, session: Session, share: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    moderator(session, urgent=True)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("smtplib.SMTP", broken)
    app.config["SMTP_HOST"] = "mail.example.org"
    token = share({"story": STORY + CRISIS})
    assert client.get(f"/my/{token}/receipt").status_code == 200


def crisis_post(client: FlaskClient, form_data: dict[str, Any]) -> TestResponse:
    """The crisis story posted, its response not yet closed (not yet sent, to a WSGI server)."""
    return client.post("/share", data={**form_data, "story": STORY + CRISIS})


def test_the_receipt_is_sent_before_the_mail_server_is_reached(
        app: Flask, client: FlaskClient, session: Session, form_data: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = moderator(session, urgent=True)
    reached: list[tuple[bool, bool]] = []

    class WatchedSMTP(FakeSMTP):
        """Notes when it is reached: a slow server delays only what comes after that."""

        def __init__(self, host: str, port: int, timeout: float) -> None:
            reached.append((has_request_context(), has_app_context()))
            super().__init__(host, port, timeout)

    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", WatchedSMTP)
    app.config["SMTP_HOST"] = "mail.example.org"
    response = crisis_post(client, form_data)
    assert response.status_code == 303 and TOKEN_IN_LOCATION.search(response.headers["Location"])
    assert reached == [] and FakeSMTP.sent == []  # the receipt is out, no mail server yet
    response.close()  # what gunicorn (or werkzeug's server) does once the response is sent
    # After the request, in an app context (and a database session) of its own.
    assert reached == [(False, True)]
    (message,) = FakeSMTP.sent
    assert message["To"] == chosen.email
    text = message["Subject"] + message.get_content()
    for secret in ("end my life", "cried", "ana@example.org", "Three months"):
        assert secret not in text


def test_a_mail_server_that_times_out_costs_the_patient_nothing(
        app: Flask, client: FlaskClient, session: Session, form_data: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    moderator(session, urgent=True)
    attempts: list[str] = []

    def timed_out(host: str, port: int, timeout: float) -> None:
        attempts.append(host)
        raise TimeoutError("timed out")  # as when connecting takes longer than the 20 s allowed

    monkeypatch.setattr("smtplib.SMTP", timed_out)
    app.config["SMTP_HOST"] = "mail.example.org"
    response = crisis_post(client, form_data)
    assert response.status_code == 303 and attempts == []  # no 20 s wait before the receipt
    found = TOKEN_IN_LOCATION.search(response.headers["Location"])
    assert found
    with caplog.at_level(logging.WARNING, logger="testimonials.alerts"):
        response.close()  # the failure stays in the log, never reaches the server
    assert attempts == ["mail.example.org"]
    assert "not sent: TimeoutError" in caplog.text and "end my life" not in caplog.text
    assert client.get(f"/my/{found.group(1)}/receipt").status_code == 200


# 2. A double tap on "Send".

def test_same_form_sent_twice_leads_to_the_same_receipt(client: FlaskClient, session: Session,
                                                         form_data: dict[str, Any]) -> None:
    data = {**form_data, "nonce": nonce(client)}
    first = client.post("/share", data=data)
    second = client.post("/share", data=data)
    assert first.status_code == second.status_code == 303
    assert TOKEN_IN_LOCATION.search(second.headers["Location"])
    assert second.headers["Location"] == first.headers["Location"]
    assert client.get(second.headers["Location"]).status_code == 200
    assert count(session) == 1


def test_another_form_with_the_same_text_is_still_a_duplicate(
        client: FlaskClient, session: Session, form_data: dict[str, Any]) -> None:
    first = client.post("/share", data={**form_data, "nonce": nonce(client)})
    assert TOKEN_IN_LOCATION.search(first.headers["Location"])
    other = client.post("/share", data={**form_data, "nonce": nonce(client)})
    assert other.headers["Location"].endswith("/share/already-received")
    assert count(session) == 1


def test_same_form_with_a_changed_story_is_a_new_story(client: FlaskClient, session: Session,
                                                       form_data: dict[str, Any]) -> None:
    sent = nonce(client)
    first = client.post("/share", data={**form_data, "nonce": sent})
    second = client.post("/share", data={**form_data, "story": STORY + " More.", "nonce": sent})
    assert TOKEN_IN_LOCATION.search(second.headers["Location"])
    assert second.headers["Location"] != first.headers["Location"]
    assert count(session) == 2


def test_same_form_sent_again_after_a_day_is_stored_with_a_new_link(
        client: FlaskClient, session: Session, form_data: dict[str, Any]) -> None:
    data = {**form_data, "nonce": nonce(client)}
    first = TOKEN_IN_LOCATION.search(client.post("/share", data=data).headers["Location"])
    assert first
    row = stored(session, first.group(1))
    row.created_at -= dt.timedelta(hours=25)
    session.commit()
    again = TOKEN_IN_LOCATION.search(client.post("/share", data=data).headers["Location"])
    assert again and again.group(1) != first.group(1) and count(session) == 2



def test_same_form_sent_again_after_withdrawing_is_stored_with_a_new_link(
        client: FlaskClient, session: Session, form_data: dict[str, Any]) -> None:
    # Withdrawing erases the text's fingerprint but keeps the token: the form's token is taken.
    data = {**form_data, "nonce": nonce(client)}
    first = TOKEN_IN_LOCATION.search(client.post("/share", data=data).headers["Location"])
    assert first
    submissions.withdraw(session, stored(session, first.group(1)), utcnow())
    session.commit()
    again = TOKEN_IN_LOCATION.search(client.post("/share", data=data).headers["Location"])
    assert again and again.group(1) != first.group(1) and count(session) == 2

# 3. Settings admins change.

def test_changed_standard_and_regulator_reach_the_patients_pages(
        app: Flask, client: FlaskClient, session: Session, share: Any) -> None:
    token = share()
    set_setting(app, session, "WAIT_STANDARDS", {"intake": {"business_days": 30}})
    set_setting(app, session, "REGULATOR", {"name": "Oregon Health Authority",
                                            "phone": "1-800-555-0100",
                                            "url": "https://oregon.example"})
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "30 business days" in page and "Within the standard" in page
    assert "complaint to Oregon Health Authority" in page
    complaint = client.get(f"/my/{token}/complaint").get_data(as_text=True)
    assert "Oregon Health Authority" in complaint and "1-800-555-0100" in complaint
    assert "30 business days" in complaint and "DMHC" not in complaint


def test_changed_cell_size_is_what_the_form_promises(app: Flask, client: FlaskClient,
                                                     session: Session) -> None:
    set_setting(app, session, "STATS_MIN_CELL", 25)
    client.post("/share/start")
    assert "fewer than 25 people" in client.get("/share/consent").get_data(as_text=True)


def test_changed_retention_is_what_purge_applies(app: Flask, runner: FlaskCliRunner,
                                                 session: Session) -> None:
    row = builders.submission(session, status=Status.REJECTED,
                              moderated_at=utcnow() - dt.timedelta(days=40))
    session.commit()
    assert "erased 0 rejected" in runner.invoke(args=["purge"]).output
    set_setting(app, session, "RETAIN_REJECTED_DAYS", 30)
    assert "erased 1 rejected" in runner.invoke(args=["purge"]).output
    fresh(session)
    assert session.get(Submission, row.id).original_story is None


# 4. A story the moderators took down.

def test_unpublished_story_says_the_moderators_took_it_down(client: FlaskClient,
                                                          session: Session, share: Any) -> None:
    token = share()
    approve(session, stored(session, token))
    row = stored(session, token)
    mod = moderator(session, urgent=False)
    moderation.unpublish(session, row, mod, utcnow(), version=row.version,
                         note="It names a nurse & her clinic.")
    session.commit()
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Taken off the site" in page and "have taken your story off the site" in page
    assert "It names a nurse &amp; her clinic." in page
    assert "as you asked" not in page
    spanish = client.get(f"/my/{token}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Retirada del sitio" in spanish and "Los moderadores retiraron tu historia" in spanish
    assert "Tus respuestas se siguen contando" in spanish


# 5 and 6. Edits.

def test_edited_story_is_checked_for_duplicates_as_it_now_reads(
        client: FlaskClient, session: Session, share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    edited = STORY + " I am still waiting today."
    client.post(f"/my/{token}/edit", data={**form_data, "story": edited})
    again = client.post("/share", data={**form_data, "story": edited})
    assert again.headers["Location"].endswith("/share/already-received")
    old_text = client.post("/share", data=form_data)
    assert TOKEN_IN_LOCATION.search(old_text.headers["Location"])
    assert count(session) == 2


def test_edit_is_audited_by_field_names_not_words(client: FlaskClient, session: Session,
                                                  share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    client.post(f"/my/{token}/edit", data={**form_data, "story": STORY + " Edited words.",
                                           "email": "new.address@example.org",
                                           "intake-amount": "5"})
    fresh(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert set(entry.after) == {"story", "email", "waits"}
    assert entry.after["story"] == entry.after["email"] == "[changed]"
    recorded = repr((entry.before, entry.after))
    for words in ("cried", "Edited words", "ana@example.org", "new.address"):
        assert words not in recorded


# 7. Expired tokens on the private pages: see test_share_protection.py.

# 8. The crisis help on a form that comes back.

def test_form_with_errors_shows_crisis_help_when_the_story_needs_it(
        client: FlaskClient, form_data: dict[str, Any]) -> None:
    calm = client.post("/share", data={**form_data, "consent_publish": "",
                                       "consent_stats": ""}).get_data(as_text=True)
    assert "You do not have to wait to talk to someone" not in calm
    page = client.post("/share", data={**form_data, "story": STORY + CRISIS,
                                       "consent_publish": "", "consent_stats": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in text
    assert "You do not have to wait to talk to someone" in text and 'href="tel:988"' in text


# 9. Withdrawal.

def test_withdraw_erases_the_moderators_words_too(client: FlaskClient, session: Session,
                                                  share: Any) -> None:
    token = share()
    row = stored(session, token)
    row.decision_reason, row.moderator_note = "It quotes the story: cried.", "Called Ana."
    session.commit()
    assert client.post(f"/my/{token}/withdraw").status_code == 303
    row = stored(session, token)
    assert (row.decision_reason, row.moderator_note) == (None, None)
