"""Moderator alerts by e-mail: an urgent item has arrived, and the daily digest of the queue.

Mail goes through SMTP when SMTP_HOST is set and otherwise to the log. It never carries a
story's text, its title or a patient's e-mail: only counts, item numbers and links.

The connection is secured as SMTP_SECURITY says (starttls, tls or none), certificates
verified against the system's authorities or SMTP_CA_FILE. A failed delivery raises
MailError, whose text says why without any address; the last failure is kept (table
`setting`, key mail.last_failure) for admins to see until a later delivery succeeds.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from testimonials.localised import english
from testimonials.models import Account, Setting, Submission
from testimonials.vocab import Status

log = logging.getLogger(__name__)
# The port each kind of connection uses unless SMTP_PORT says otherwise.
USUAL_PORT = {"starttls": 587, "tls": 465, "none": 25}
FAILURE_KEY = "mail.last_failure"
ALERT, DIGEST = "alert", "digest"
_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")


class MailError(Exception):
    """Mail could not be delivered; the text is one line and names no address."""


def reason(error: BaseException) -> str:
    """One line saying why a delivery failed, every e-mail address taken out."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "SMTPRecipientsRefused: the server refused the recipients"
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error.decode("utf-8", "replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        text = f"{type(error).__name__}: {error.smtp_code} {detail}"
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return " ".join(_ADDRESS.sub("[address]", text).split())[:300]


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    body: str


def recipients(session: Session, *, urgent: bool) -> tuple[str, ...]:
    """Active accounts that chose this alert."""
    choice = Account.alert_urgent if urgent else Account.alert_digest
    return tuple(session.scalars(select(Account.email).where(
        Account.active.is_(True), choice.is_(True)).order_by(Account.id)))


def link(config: Mapping[str, Any], path: str) -> str:
    """An absolute link when SITE_URL is configured, else the path."""
    return str(config.get("SITE_URL") or "").rstrip("/") + path


def urgent_item_arrived(session: Session, submission_id: int,
                        config: Mapping[str, Any]) -> int:
    """Tell the moderators who asked that an urgent item waits; returns how many were told.

    Call it after the submission is committed (a mail about an item that was rolled back
    would send moderators looking for nothing).
    """
    to = recipients(session, urgent=True)
    if not to:
        return 0
    site = english(config, "SITE_NAME") or "Waitline"
    body = (f"An item that mentions suicide or self-harm has arrived in the {site} queue "
            f"and is pinned at the top.\n\nReview it: {link(config, f'/moderate/{submission_id}')}"
            "\n\nYou receive this because you chose urgent alerts; change that at "
            f"{link(config, '/moderate/alerts')}.\n")
    send(Mail(to, f"[{site}] Urgent item #{submission_id} waiting for review", body), config)
    return len(to)


def queue_counts(session: Session) -> tuple[int, int]:
    """Pending items, and how many of them are urgent."""
    pending = select(func.count()).select_from(Submission).where(
        Submission.status == Status.PENDING)
    total = session.scalar(pending) or 0
    urgent = session.scalar(pending.where(Submission.is_urgent.is_(True))) or 0
    return total, urgent


def oldest_pending(session: Session) -> dt.datetime | None:
    return session.scalar(select(func.min(Submission.created_at))
                          .where(Submission.status == Status.PENDING))


def counted(number: int, noun: str) -> str:
    """"1 item", "3 items": the moderators' mail is in English only."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def digest(session: Session, config: Mapping[str, Any], now: dt.datetime) -> int:
    """The daily digest of the queue to those who chose it; returns how many were told."""
    to = recipients(session, urgent=False)
    if not to:
        return 0
    site = english(config, "SITE_NAME") or "Waitline"
    total, urgent = queue_counts(session)
    oldest = oldest_pending(session)
    age = f"The oldest has waited {counted((now - oldest).days, 'day')}.\n" if oldest else ""
    waiting = "is" if total == 1 else "are"
    body = (f"{counted(total, 'item')} {waiting} waiting for review in the {site} queue, "
            f"{urgent} of them urgent.\n{age}\nOpen the queue: {link(config, '/moderate/')}\n\n"
            f"Change your alerts at {link(config, '/moderate/alerts')}.\n")
    send(Mail(to, f"[{site}] {counted(total, 'item')} waiting for review", body), config)
    return len(to)


def tls_context(config: Mapping[str, Any]) -> ssl.SSLContext:
    """A client context that verifies the server's certificate and name (SMTP_CA_FILE, if
    set, is the authority to trust instead of the system's)."""
    return ssl.create_default_context(cafile=str(config.get("SMTP_CA_FILE") or "") or None)


def smtp_port(config: Mapping[str, Any]) -> int:
    security = str(config.get("SMTP_SECURITY") or "starttls")
    return int(config.get("SMTP_PORT") or USUAL_PORT.get(security, 587))


def send(mail: Mail, config: Mapping[str, Any]) -> None:
    """Deliver by SMTP when configured, one message per recipient; otherwise log a line.

    Raises MailError when the server cannot be reached, the connection cannot be secured
    as SMTP_SECURITY asks, the sign-in fails or a message is refused.
    """
    host = str(config.get("SMTP_HOST") or "")
    if not host:
        # Recipients are moderators, not patients; the body holds no story text.
        log.info("mail (no SMTP_HOST set) to %d moderator(s): %s", len(mail.to), mail.subject)
        return
    try:
        _send_smtp(mail, config, host)
    except (smtplib.SMTPException, OSError, ValueError) as error:  # ssl.SSLError is an OSError
        raise MailError(reason(error)) from None


def _send_smtp(mail: Mail, config: Mapping[str, Any], host: str) -> None:
    security = str(config.get("SMTP_SECURITY") or "starttls")
    port = smtp_port(config)
    smtp: smtplib.SMTP
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=20, context=tls_context(config))
    else:
        smtp = smtplib.SMTP(host, port, timeout=20)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=tls_context(config))
        if config.get("SMTP_USERNAME"):
            smtp.login(str(config["SMTP_USERNAME"]), str(config.get("SMTP_PASSWORD") or ""))
        for address in mail.to:
            message = EmailMessage()
            message["From"] = str(config.get("MAIL_FROM") or "no-reply@example.org")
            message["To"] = address
            message["Subject"] = mail.subject
            message.set_content(mail.body)
            smtp.send_message(message)


def record_outcome(session: Session, now: dt.datetime, kind: str,
                   error: MailError | None) -> None:
    """Keep a failed delivery (when, which kind, why) for the admins, or forget the last
    failure once a delivery succeeds."""
    if error is None:
        session.execute(delete(Setting).where(Setting.key == FAILURE_KEY))
        return
    value = {"at": now.isoformat(), "kind": kind, "reason": str(error)}
    row = session.get(Setting, FAILURE_KEY)
    if row is None:
        session.add(Setting(key=FAILURE_KEY, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


@dataclass(frozen=True)
class Failure:
    at: dt.datetime
    kind: str
    reason: str


def last_failure(session: Session) -> Failure | None:
    """The last failed delivery, unless a delivery has succeeded since."""
    value = session.scalar(select(Setting.value).where(Setting.key == FAILURE_KEY))
    if not isinstance(value, dict):
        return None
    return Failure(dt.datetime.fromisoformat(value["at"]), str(value["kind"]),
                   str(value["reason"]))
