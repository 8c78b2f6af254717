"""A form sent twice (a double tap, a resend) is one story with one receipt; a changed story,
a later day or a withdrawal between makes a new one."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask.testing import FlaskClient
from share_helpers import STORY, TOKEN_IN_LOCATION, count, stored
from sqlalchemy.orm import Session

from testimonials.models import utcnow
from testimonials.services import submissions


def nonce(client: FlaskClient) -> str:
    """A form's one-time nonce: the whole-story POST takes the sender's own (the journey keeps
    one per draft)."""
    return secrets.token_urlsafe(24)


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
