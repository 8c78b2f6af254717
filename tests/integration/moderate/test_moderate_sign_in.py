"""Signing in and out: password, TOTP, enrolment, recovery codes, sessions, redirects."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import PASSWORD, Person, current_code, make_account, sign_in
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Account, AccountSession, RecoveryCode, utcnow
from testimonials.passwords import needs_rehash, verify_password
from testimonials.vocab import Role

SECRET_IN_PAGE = re.compile(r'<code class="secret">(.*?)</code>', re.S)
RECOVERY = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def test_anonymous_is_sent_to_sign_in_with_next(client: FlaskClient) -> None:
    response = client.get("/moderate/audit?item=3")
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderate/login?next=/moderate/audit?item%3D3"


def test_sign_in_with_password_and_code_reaches_next(app: Flask, client: FlaskClient,
                                                    moderator: Person) -> None:
    sign_in(app, client, moderator, next_path="/moderate/audit")
    page = client.get("/moderate/audit")
    assert page.status_code == 200
    assert "mod@example.org" in page.get_data(as_text=True)


def test_wrong_password_says_so_without_saying_which(client: FlaskClient,
                                                     moderator: Person) -> None:
    for email, password in (("mod@example.org", "wrong password!!"),
                            ("nobody@example.org", PASSWORD)):
        response = client.post("/moderate/login", data={"email": email, "password": password})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "The e-mail address or the password is not right." in page
        assert f'value="{email}"' in page  # the e-mail is kept, the password never


def test_disabled_account_cannot_sign_in(app: Flask, client: FlaskClient, moderator: Person,
                                         session: Session) -> None:
    session.execute(update(Account).values(active=False))
    session.commit()
    response = client.post("/moderate/login", data={"email": moderator.email,
                                                    "password": PASSWORD})
    assert response.status_code == 400


def test_password_alone_is_not_enough_when_totp_is_required(client: FlaskClient,
                                                            moderator: Person) -> None:
    response = client.post("/moderate/login", data={"email": moderator.email,
                                                    "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/login/code"
    assert client.get("/moderate/").status_code == 302
    wrong = client.post("/moderate/login/code", data={"code": "000000"})
    assert wrong.status_code == 400
    assert client.get("/moderate/").status_code == 302


def test_a_totp_code_works_only_once(app: Flask, moderator: Person, session: Session) -> None:
    session.execute(update(Account).values(totp_last_step=None))
    session.commit()
    code = current_code()
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.post("/moderate/login", data={"email": moderator.email, "password": PASSWORD})
    assert first.post("/moderate/login/code", data={"code": code}).status_code == 302
    assert second.post("/moderate/login/code", data={"code": code}).status_code == 400
    assert second.get("/moderate/").status_code == 302


def test_first_sign_in_enrols_totp_with_a_qr_code_and_shows_recovery_codes_once(
        app: Flask, client: FlaskClient, session: Session) -> None:
    person = make_account(app, "new@example.org", Role.MODERATOR, enrolled=False)
    response = client.post("/moderate/login", data={"email": person.email, "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/login/enrol"
    page = client.get("/moderate/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and "style=" not in page
    secret = "".join(re.findall(r"<span>([A-Z2-7]+)</span>", SECRET_IN_PAGE.search(page).group(1)))
    assert client.post("/moderate/login/enrol", data={"code": "123456"}).status_code == 400
    done = client.post("/moderate/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    codes = RECOVERY.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    account = session.get(Account, person.id)
    assert account is not None and account.totp_secret == secret
    stored = session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(c.replace("-", "") in stored for c in codes)
    assert client.get("/moderate/").status_code == 200
    again = client.get("/moderate/login/enrol")  # never shown again: the page says so
    assert again.status_code == 200 and not RECOVERY.findall(again.get_data(as_text=True))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_enrolment_step_sends_back_to_sign_in_without_a_sign_in_that_may_enrol(
        app: Flask, method: str) -> None:
    """No pending sign-in, or one whose account has a second factor already: the page and
    its form refuse alike, and nothing is enrolled."""
    enrolled = make_account(app, "old@example.org", Role.MODERATOR)
    stranger, with_factor = app.test_client(), app.test_client()
    with_factor.post("/moderate/login", data={"email": enrolled.email, "password": PASSWORD})
    for client in (stranger, with_factor):
        response = client.open("/moderate/login/enrol", method=method, data={"code": "123456"})
        assert response.status_code == 302
        assert response.headers["Location"] == "/moderate/login"
    assert with_factor.get("/moderate/").status_code == 302  # not signed in


def test_the_enrolment_secret_is_not_in_the_cookie(app: Flask, client: FlaskClient) -> None:
    person = make_account(app, "new@example.org", Role.MODERATOR, enrolled=False)
    client.post("/moderate/login", data={"email": person.email, "password": PASSWORD})
    page = client.get("/moderate/login/enrol").get_data(as_text=True)
    secret = "".join(re.findall(r"<span>([A-Z2-7]+)</span>", SECRET_IN_PAGE.search(page).group(1)))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and secret not in cookie.value


def _enrolled_codes(app: Flask, client: FlaskClient) -> tuple[Person, list[str]]:
    person = make_account(app, "new@example.org", Role.MODERATOR, enrolled=False)
    client.post("/moderate/login", data={"email": person.email, "password": PASSWORD})
    page = client.get("/moderate/login/enrol").get_data(as_text=True)
    secret = "".join(re.findall(r"<span>([A-Z2-7]+)</span>", SECRET_IN_PAGE.search(page).group(1)))
    done = client.post("/moderate/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    return person, RECOVERY.findall(done.get_data(as_text=True))


def test_a_recovery_code_signs_in_once(app: Flask) -> None:
    person, codes = _enrolled_codes(app, app.test_client())
    for attempt, expected in ((codes[0].upper(), 302), (codes[0], 400)):
        other = app.test_client()
        other.post("/moderate/login", data={"email": person.email, "password": PASSWORD})
        response = other.post("/moderate/login/code", data={"code": attempt})
        assert response.status_code == expected
        assert other.get("/moderate/").status_code == (200 if expected == 302 else 302)


def _session_cookie(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def test_the_session_is_renewed_at_sign_in(app: Flask, client: FlaskClient,
                                           moderator: Person) -> None:
    client.get("/moderate/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    sign_in(app, client, moderator)
    with client.session_transaction() as after:
        assert "planted" not in after


def test_a_cookie_copied_before_sign_out_stops_working(app: Flask, mod_client: FlaskClient,
                                                       session: Session) -> None:
    copied = _session_cookie(app, mod_client)
    assert mod_client.post("/moderate/logout").status_code == 302
    assert mod_client.get("/moderate/").status_code == 302
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    response = thief.get("/moderate/")
    assert response.status_code == 302 and "/moderate/login" in response.headers["Location"]
    assert session.scalar(select(func.count()).select_from(AccountSession)
                          .where(AccountSession.ended_at.is_(None))) == 0


def test_the_database_keeps_only_a_hash_of_the_session_token(app: Flask, mod_client: FlaskClient,
                                                             session: Session) -> None:
    with mod_client.session_transaction() as cookie_session:
        token = cookie_session["_user_id"]
    stored = session.scalars(select(AccountSession.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_an_idle_session_expires(app: Flask, mod_client: FlaskClient, session: Session) -> None:
    assert mod_client.get("/moderate/").status_code == 200
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    session.execute(update(AccountSession).values(last_seen_at=utcnow() - idle))
    session.commit()
    response = mod_client.get("/moderate/")
    assert response.status_code == 302
    page = mod_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out" in page


def test_a_page_some_minutes_after_the_last_touches_the_session_and_a_post_still_writes(
        app: Flask, mod_client: FlaskClient, moderator: Person, session: Session) -> None:
    """The last-seen touch is a write of its own: the page's own writes (a POST's
    db.writing block) still begin their transaction after it."""
    a_while_ago = utcnow() - dt.timedelta(minutes=5)
    session.execute(update(AccountSession).values(last_seen_at=a_while_ago))
    session.commit()
    assert mod_client.post("/moderate/alerts", data={"urgent": "yes"}).status_code in (302, 303)
    session.expire_all()
    touched = session.scalars(select(AccountSession.last_seen_at)).one()
    assert touched > a_while_ago + dt.timedelta(minutes=4)
    assert session.scalars(select(Account.alert_urgent)
                           .where(Account.id == moderator.id)).one()


def test_a_password_hashed_with_other_parameters_is_hashed_again_at_sign_in(
        app: Flask, moderator: Person, session: Session) -> None:
    """In a write of its own after the check's reads (argon2's work done before it)."""
    old = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(PASSWORD)
    session.execute(update(Account).where(Account.id == moderator.id).values(password_hash=old))
    session.commit()
    response = app.test_client().post("/moderate/login", data={"email": moderator.email,
                                                               "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/login/code"
    session.expire_all()
    stored = session.scalars(select(Account.password_hash)
                             .where(Account.id == moderator.id)).one()
    assert stored != old and not needs_rehash(stored) and verify_password(stored, PASSWORD)


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)",
    "\\\\evil.example", "/\t/evil.example", "http:/evil.example", " //evil.example",
    "evil.example", "/\n/evil.example", "HTTPS://evil.example", "/\\/evil.example",
])
def test_next_never_leaves_the_site(app: Flask, moderator: Person, session: Session,
                                    target: str) -> None:
    client = app.test_client()
    session.execute(update(Account).values(totp_last_step=None))
    session.commit()
    client.post("/moderate/login", data={"email": moderator.email, "password": PASSWORD,
                                         "next": target})
    response = client.post("/moderate/login/code", data={"code": current_code()})
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderate/"


def test_a_local_next_is_followed(app: Flask, moderator: Person, session: Session) -> None:
    client = app.test_client()
    client.post("/moderate/login", data={"email": moderator.email, "password": PASSWORD,
                                         "next": "/moderate/audit?action=approve"})
    response = client.post("/moderate/login/code", data={"code": current_code()})
    assert response.headers["Location"] == "/moderate/audit?action=approve"


def test_development_skips_totp_and_says_so(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "development",
                      "WTF_CSRF_ENABLED": False})
    person = make_account(app, "dev@example.org", Role.MODERATOR, enrolled=False)
    client = app.test_client()
    page = client.get("/moderate/login").get_data(as_text=True)
    assert "Second factor not required in this development set-up" in page
    response = client.post("/moderate/login", data={"email": person.email, "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/"
    assert client.get("/moderate/").status_code == 200
    app.extensions["waitline.engine"].dispose()


def test_the_notice_is_absent_where_totp_is_required(client: FlaskClient) -> None:
    assert "development set-up" not in client.get("/moderate/login").get_data(as_text=True)


def test_sign_in_and_sign_out_need_the_csrf_token(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True})
    person = make_account(app, "csrf@example.org", Role.MODERATOR)
    client = app.test_client()
    refused = client.post("/moderate/login", data={"email": person.email, "password": PASSWORD})
    assert refused.status_code == 400
    page = client.get("/moderate/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/moderate/login", data={"email": person.email, "password": PASSWORD,
                                                    "csrf_token": token})
    assert response.headers["Location"] == "/moderate/login/code"
    app.extensions["waitline.engine"].dispose()


def test_a_decision_sent_after_the_session_expired_leads_back_to_the_item(
        app: Flask, mod_client: FlaskClient, moderator: Person, session: Session) -> None:
    from tests import builders

    item = builders.submission(session)
    session.commit()
    assert mod_client.get(f"/moderate/{item.id}").status_code == 200
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    session.execute(update(AccountSession).values(last_seen_at=utcnow() - idle))
    session.commit()
    sent = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": "1", "public_story": "My careful redaction."})
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/moderate/login?next=/moderate/{item.id}"
    login_page = mod_client.get(sent.headers["Location"]).get_data(as_text=True)
    found = re.search(r'name="next" value="([^"]*)"', login_page)
    assert found is not None
    session.execute(update(Account).values(totp_last_step=None))
    session.commit()
    mod_client.post("/moderate/login", data={"email": moderator.email, "password": PASSWORD,
                                             "next": found.group(1)})
    back = mod_client.post("/moderate/login/code", data={"code": current_code()})
    assert back.headers["Location"] == f"/moderate/{item.id}"
    assert mod_client.get(back.headers["Location"]).status_code == 200


def test_the_same_code_cannot_win_twice_even_when_both_read_it_unused(
        app: Flask, moderator: Person, session: Session) -> None:
    """Two sign-ins racing with one code: both read the last step before either writes."""
    from testimonials.services import sign_in as signing_in

    session.execute(update(Account).values(totp_last_step=None))
    session.commit()
    code, now = current_code(), utcnow()
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as first, maker() as second:
        mine, theirs = first.get(Account, moderator.id), second.get(Account, moderator.id)
        assert mine is not None and theirs is not None
        assert mine.totp_last_step is None and theirs.totp_last_step is None
        # End the second read (SQLite keeps a snapshot) but keep the object as it was read.
        second.expunge(theirs)
        second.rollback()
        second.add(theirs)
        assert signing_in.verify_second_factor(first, mine, code, now)
        first.commit()
        assert theirs.totp_last_step is None  # what the second request believes
        assert not signing_in.verify_second_factor(second, theirs, code, now)
        second.rollback()
