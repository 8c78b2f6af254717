"""Urgent alerts go out when the transaction that made an item urgent commits.

Services announce (services.urgency); this module, installed on the app's session factory,
delivers: in a request, once the response has been sent (the WSGI server closes it after
writing, so a slow mail server never holds back a patient's receipt); elsewhere (a command),
at once. A rolled-back transaction's announcements are dropped.
"""

from __future__ import annotations

import logging
import weakref
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


_COMMITTED = "waitline.urgent_committed"  # session.info: the committed transaction's items


def install(app: Flask, maker: sessionmaker[Session]) -> None:
    """Deliver the urgent alerts of every session this factory makes, after each commit.

    The listeners hold the app weakly: SQLAlchemy keeps them for as long as the factory's
    Session class lives, and that class is reachable from the app, so a strong reference kept
    every app alive for good (a test suite builds thousands; each worker grew past 1 GB).
    """
    app_ref = weakref.ref(app)

    @event.listens_for(maker, "after_commit")
    def committed(session: Session) -> None:
        items = urgency.take_outbox(session)
        if items:
            session.info[_COMMITTED] = items

    # Sent once the transaction has ended, not at after_commit: only then is its connection
    # back in the pool, with the SQLite write gate it held released (the outcome is written
    # through the gate; at after_commit that write would wait out the busy timeout).
    @event.listens_for(maker, "after_transaction_end")
    def ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is not None:
            return
        items = session.info.pop(_COMMITTED, None)
        urgency.take_outbox(session)  # a rolled-back transaction's announcements are dropped
        live = app_ref()
        if not items or live is None:
            return
        send = partial(send_urgent_alerts, live, items)
        if has_request_context():
            after_this_request(partial(_on_close, send))
        else:
            send()


def _on_close(send: Any, response: Response) -> Response:
    response.call_on_close(send)
    return response


def send_urgent_alerts(app: Flask, items: list[int]) -> None:
    """Mail the moderators who chose urgent alerts about each item; never raises.

    It may run after the request's app context was torn down, so it opens a context (and so
    a session) of its own per item. The outcome is kept for the admins (notify.record_outcome).
    """
    for item in items:
        try:
            with app.app_context():
                deliver(item, app.config)
        except Exception as error:  # noqa: BLE001 - the story is stored; the queue still pins it
            log.warning("urgent alert for item %d not sent (%s)", item, type(error).__name__)


def deliver(item: int, config: Any) -> None:
    """One item's alert sent (at most once), then its outcome written.

    The item is committed before this runs (after_commit), so the mail never names an item
    that was rolled back. It is sent from a read transaction, no write lock held while an
    SMTP server answers (up to 20 s), and is not tried again if it fails: the item is pinned
    at the top of the queue either way, and the failure is shown to the admins. The outcome
    is written after the mail, in a short write of its own.
    """
    failure: notify.MailError | None = None
    told = 0
    try:
        told = notify.urgent_item_arrived(db.session(), item, config)
    except notify.MailError as error:
        failure = error
        log.warning("urgent alert for item %d not sent: %s", item, error)
    if failure is not None or (told and config.get("SMTP_HOST")):
        with db.writing(after_reads=True) as session:
            notify.record_outcome(session, utcnow(), notify.ALERT, failure)
