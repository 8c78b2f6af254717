"""Urgent alerts go out when the transaction that made an item urgent commits.

Services announce (services.urgency); this module, installed on the app's session factory,
delivers: in a request, once the response has been sent (the WSGI server closes it after
writing, so a slow mail server never holds back a patient's receipt); elsewhere (a command),
at once. A rolled-back transaction's announcements are dropped.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from flask import Flask, after_this_request, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.models import utcnow
from testimonials.services import notify, urgency

log = logging.getLogger(__name__)


def install(app: Flask, maker: sessionmaker[Session]) -> None:
    """Deliver the urgent alerts of every session this factory makes, after each commit."""

    @event.listens_for(maker, "after_commit")
    def deliver(session: Session) -> None:
        items = urgency.take_outbox(session)
        if not items:
            return
        send = partial(send_urgent_alerts, app, items)
        if has_request_context():
            after_this_request(partial(_on_close, send))
        else:
            send()

    @event.listens_for(maker, "after_transaction_end")
    def forget(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # the outermost transaction ended: rolled back, or sent
            urgency.take_outbox(session)


def _on_close(send: Any, response: Response) -> Response:
    response.call_on_close(send)
    return response


def send_urgent_alerts(app: Flask, items: list[int]) -> None:
    """Mail the moderators who chose urgent alerts about each item; never raises.

    It may run after the request's app context was torn down, so it opens a context and a
    session of its own. The outcome is kept for the admins (notify.record_outcome).
    """
    for item in items:
        try:
            with app.app_context():
                deliver(db.session(), item, app.config)
        except Exception as error:  # noqa: BLE001 - the story is stored; the queue still pins it
            log.warning("urgent alert for item %d not sent (%s)", item, type(error).__name__)


def deliver(session: Session, item: int, config: Any) -> None:
    """One item's alert sent, and its outcome committed; MailError raised after recording."""
    try:
        told = notify.urgent_item_arrived(session, item, config)
    except notify.MailError as error:
        session.rollback()
        notify.record_outcome(session, utcnow(), notify.ALERT, error)
        session.commit()
        log.warning("urgent alert for item %d not sent: %s", item, error)
        return
    if told and config.get("SMTP_HOST"):
        notify.record_outcome(session, utcnow(), notify.ALERT, None)
        session.commit()
