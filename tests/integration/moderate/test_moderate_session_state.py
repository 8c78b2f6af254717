"""What the sign-in leaves in the browser, and how long it lasts.

The pending sign-in (between the password and the code) is a random token whose state lives on
the server and is used once; the cookie never holds a hash of the client's address; a session
ends after SESSION_ABSOLUTE_HOURS however busy it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import Person, current_code, sign_in
from sqlalchemy import func, select, update

from testimonials.models import Account, AccountSession, PendingSignIn, utcnow


def cookie_contents(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The session cookie, decoded: what anyone holding the browser can read."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


def forget_last_code(app: Flask, person: Person) -> None:
    """As if the next 30-second step had come: a fresh code is accepted again."""
    with app.extensions["waitline.sessionmaker"]() as session:
        session.execute(update(Account).where(Account.id == person.id)
                        .values(totp_last_step=None))
        session.commit()


def password_step(client: FlaskClient, person: Person, address: str = "203.0.113.9") -> None:
    response = client.post("/moderate/login", data={"email": person.email,
                                                    "password": person.password},
                           environ_base={"REMOTE_ADDR": address})
    assert response.headers["Location"].endswith("/moderate/login/code")


def test_the_session_cookie_holds_no_trace_of_the_address(app: Flask,
                                                          moderator: Person) -> None:
    client = app.test_client()
    headers = {"User-Agent": "Browser/1.0"}
    forget_last_code(app, moderator)
    password_step(client, moderator)
    client.post("/moderate/login/code", data={"code": current_code()}, headers=headers,
                environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert client.get("/moderate/").status_code == 200
    contents = cookie_contents(app, client)
    assert "_id" not in contents
    fingerprint = hashlib.sha512(b"203.0.113.9|Browser/1.0").hexdigest()
    assert fingerprint not in repr(contents) and "203.0.113.9" not in repr(contents)


def test_the_pending_sign_in_is_not_in_the_cookie(app: Flask, moderator: Person) -> None:
    client = app.test_client()
    password_step(client, moderator)
    pending = cookie_contents(app, client)["pending_sign_in"]
    # An opaque random token: no account, no time, no destination for anyone to reuse.
    assert isinstance(pending, str) and len(pending) >= 32
    with app.extensions["waitline.sessionmaker"]() as session:
        assert session.scalar(select(func.count()).select_from(PendingSignIn)) == 1


def test_a_copied_pending_sign_in_cannot_be_used_again(app: Flask, moderator: Person) -> None:
    client = app.test_client()
    password_step(client, moderator)
    copied = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert copied is not None
    response = client.post("/moderate/login/code", data={"code": current_code()})
    assert response.status_code == 302 and client.get("/moderate/").status_code == 200

    # Someone who copied the cookie between the two steps, with a later code.
    forget_last_code(app, moderator)
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied.value)
    response = thief.post("/moderate/login/code", data={"code": current_code()})
    assert response.headers["Location"].endswith("/moderate/login")
    assert thief.get("/moderate/").status_code == 302


def test_a_pending_sign_in_expires(app: Flask, moderator: Person) -> None:
    client = app.test_client()
    password_step(client, moderator)
    with app.extensions["waitline.sessionmaker"]() as session:
        session.execute(update(PendingSignIn).values(
            created_at=utcnow() - dt.timedelta(minutes=11)))
        session.commit()
    response = client.post("/moderate/login/code", data={"code": current_code()})
    assert response.headers["Location"].endswith("/moderate/login")
    assert client.get("/moderate/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime(app: Flask, moderator: Person) -> None:
    client = app.test_client()
    sign_in(app, client, moderator)
    assert client.get("/moderate/").status_code == 200
    hours = int(app.config["SESSION_ABSOLUTE_HOURS"])
    with app.extensions["waitline.sessionmaker"]() as session:
        # Busy all along (seen a moment ago), but begun longer ago than the lifetime.
        session.execute(update(AccountSession).values(
            created_at=utcnow() - dt.timedelta(hours=hours, minutes=1),
            last_seen_at=utcnow()))
        session.commit()
    response = client.get("/moderate/")
    assert response.status_code == 302
    assert "/moderate/login" in response.headers["Location"]


def test_a_session_within_its_lifetime_goes_on(app: Flask, moderator: Person) -> None:
    client = app.test_client()
    sign_in(app, client, moderator)
    hours = int(app.config["SESSION_ABSOLUTE_HOURS"])
    with app.extensions["waitline.sessionmaker"]() as session:
        session.execute(update(AccountSession).values(
            created_at=utcnow() - dt.timedelta(hours=hours) + dt.timedelta(minutes=5),
            last_seen_at=utcnow()))
        session.commit()
    assert client.get("/moderate/").status_code == 200


def test_a_signed_in_page_sends_the_cookie_only_when_the_session_changed(
        app: Flask, mod_client: FlaskClient) -> None:
    name = app.config["SESSION_COOKIE_NAME"]
    mod_client.get("/moderate/")
    unchanged = mod_client.get("/moderate/")
    assert unchanged.status_code == 200 and unchanged.headers.getlist("Set-Cookie") == []
    assert "cookie" in unchanged.headers["Vary"].lower()
    saved = mod_client.post("/moderate/alerts", data={"urgent": "yes"})  # a message to show
    assert [c for c in saved.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    shown = mod_client.get(saved.headers["Location"])  # shown once: the session changes again
    assert "Your alert choices are saved." in shown.get_data(as_text=True)
    assert [c for c in shown.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    assert "Your alert choices are saved." not in \
        mod_client.get(saved.headers["Location"]).get_data(as_text=True)
