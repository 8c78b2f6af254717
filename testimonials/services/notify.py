"""Moderator alerts by e-mail: an urgent item has arrived, and the daily digest of the queue.

Mail goes through SMTP when SMTP_HOST is set and otherwise to the log. It never carries a
story's text, its title or a patient's e-mail: only counts, item numbers and links.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import Account, Submission
from testimonials.vocab import Status
from testimonials.localised import english

log = logging.getLogger(__name__)


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


def send(mail: Mail, config: Mapping[str, Any]) -> None:
    """Deliver by SMTP when configured, one message per recipient; otherwise log a line."""
    host = str(config.get("SMTP_HOST") or "")
    if not host:
        # Recipients are moderators, not patients; the body holds no story text.
        log.info("mail (no SMTP_HOST set) to %d moderator(s): %s", len(mail.to), mail.subject)
        return
    port = int(config.get("SMTP_PORT") or 587)
    # 465: TLS from the start; 25: a local relay; anything else (587): upgrade with STARTTLS.
    connect = smtplib.SMTP_SSL if port == 465 else smtplib.SMTP
    with connect(host, port, timeout=20) as smtp:
        if port not in (25, 465):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(str(config["SMTP_USERNAME"]), str(config.get("SMTP_PASSWORD") or ""))
        for address in mail.to:
            message = EmailMessage()
            message["From"] = str(config.get("MAIL_FROM") or "no-reply@example.org")
            message["To"] = address
            message["Subject"] = mail.subject
            message.set_content(mail.body)
            smtp.send_message(message)
