"""A story in crisis alerts the moderators who asked for it, and no mail problem ever costs the
patient the receipt."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask, has_app_context, has_request_context
from flask.testing import FlaskClient
from share_helpers import STORY, TOKEN_IN_LOCATION, moderator, stored
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.fakes import FakeSMTP

CRISIS = " Some nights I want to end my life while I wait."


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
