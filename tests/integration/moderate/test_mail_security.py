"""Moderator mail against real SMTP servers of each kind: SMTP_SECURITY (starttls, tls, none),
certificates verified (SMTP_CA_FILE for a private authority), failures that end in one clear
line and are shown to admins on /admin/ until a later delivery succeeds."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from moderate_helpers import Person
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.alerts import send_urgent_alerts
from testimonials.configuration import ConfigurationError
from testimonials.models import Account
from testimonials.services import notify
from tests import builders
from tests.smtp_servers import HOST, Inbox, authority, smtp_server

MAIL = notify.Mail(("mod@example.org",), "[Waitline] test", "A test message.\n")


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    return authority(tmp_path_factory.mktemp("ca"))


def settings(inbox: Inbox, security: str, ca_file: Path | None = None) -> dict[str, Any]:
    return {"SMTP_HOST": HOST, "SMTP_PORT": inbox.port, "SMTP_SECURITY": security,
            "SMTP_CA_FILE": str(ca_file or ""), "MAIL_FROM": "Waitline <no-reply@example.org>"}


@pytest.mark.parametrize("kind", ["none", "starttls", "tls"])
def test_mail_is_delivered_by_each_kind_of_server(kind: str, ca: tuple[trustme.CA, Path]) -> None:
    with smtp_server(kind, ca[0]) as inbox:
        notify.send(MAIL, settings(inbox, kind, ca[1]))
    (message,) = inbox.messages
    assert message["To"] == "mod@example.org" and message["Subject"] == "[Waitline] test"


@pytest.mark.parametrize(("server", "client", "why"), [
    ("none", "starttls", "STARTTLS extension not supported"),  # never falls back to plain text
    ("starttls", "none", "530 Must issue a STARTTLS command first"),
    ("none", "tls", "SSLError"),
    ("starttls", "starttls-unknown-ca", "certificate verify failed"),
    ("tls", "tls-unknown-ca", "certificate verify failed"),
])
def test_a_mismatch_or_an_unknown_certificate_fails_with_a_reason(
        server: str, client: str, why: str, ca: tuple[trustme.CA, Path]) -> None:
    security, _, unknown = client.partition("-")
    with smtp_server(server, ca[0]) as inbox:
        with pytest.raises(notify.MailError) as failed:
            notify.send(MAIL, settings(inbox, security, None if unknown else ca[1]))
    assert why in str(failed.value) and "\n" not in str(failed.value)
    assert "@" not in str(failed.value)
    assert inbox.messages == []


def test_a_reason_never_names_an_address() -> None:
    refused = smtplib.SMTPSenderRefused(553, b"<boss@example.org> not allowed", "boss@example.org")
    assert notify.reason(refused) == "SMTPSenderRefused: 553 <[address]> not allowed"


@pytest.mark.parametrize(("security", "port"), [("starttls", 587), ("tls", 465), ("none", 25)])
def test_each_kind_has_its_usual_port_unless_one_is_set(security: str, port: int) -> None:
    assert notify.smtp_port({"SMTP_SECURITY": security, "SMTP_PORT": 0}) == port
    assert notify.smtp_port({"SMTP_SECURITY": security, "SMTP_PORT": 2525}) == 2525


@pytest.mark.parametrize(("overrides", "message"), [
    ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY must be starttls, tls or none"),
    ({"SMTP_SECURITY": "starttls", "SMTP_PORT": 465}, "set SMTP_SECURITY=tls"),
    ({"SMTP_CA_FILE": "/nonexistent/ca.pem"}, "SMTP_CA_FILE"),
])
def test_a_wrong_mail_setting_stops_the_start_with_a_clear_error(
        overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace(".", r"\.")):
        create_app({"DATABASE_URL": "sqlite://", "ENV_NAME": "testing", **overrides})


@pytest.fixture
def digest_reader(app: Flask, session: Session, moderator: Person) -> Iterator[Person]:
    session.execute(update(Account).where(Account.id == moderator.id).values(alert_digest=True))
    builders.submission(session)
    session.commit()
    yield moderator


def test_digest_failure_is_one_line_exit_1_and_shown_to_admins_until_a_success(
        app: Flask, runner: FlaskCliRunner, admin_client: FlaskClient, digest_reader: Person,
        ca: tuple[trustme.CA, Path]) -> None:
    assert "Moderator e-mail is failing" not in admin_client.get("/admin/").get_data(as_text=True)
    with smtp_server("none", ca[0]) as inbox:
        app.config.update(settings(inbox, "starttls"))  # the server offers no STARTTLS
        result = runner.invoke(args=["notify", "digest"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: digest not sent: SMTPNotSupportedError: STARTTLS extension not supported by "
        "server."]
    assert "Traceback" not in result.output and result.exception is not None
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Moderator e-mail is failing" in page and "The daily digest could not be sent" in page
    assert "STARTTLS extension not supported by server." in page
    assert digest_reader.email not in page
    with smtp_server("starttls", ca[0]) as inbox:
        app.config.update(settings(inbox, "starttls", ca[1]))
        result = runner.invoke(args=["notify", "digest"])
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 1
    assert "Moderator e-mail is failing" not in admin_client.get("/admin/").get_data(as_text=True)


def test_a_failed_urgent_alert_is_shown_to_admins(
        app: Flask, session: Session, admin_client: FlaskClient, moderator: Person,
        ca: tuple[trustme.CA, Path]) -> None:
    session.execute(update(Account).where(Account.id == moderator.id).values(alert_urgent=True))
    item = builders.submission(session, is_urgent=True)
    session.commit()
    with smtp_server("tls", ca[0]) as inbox:
        app.config.update(settings(inbox, "tls"))  # no SMTP_CA_FILE: the certificate is unknown
        send_urgent_alerts(app, [item.id])
    assert inbox.messages == []
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "An urgent alert could not be sent" in page and "certificate verify failed" in page
