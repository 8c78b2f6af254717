"""Admins invite, disable, re-enable and reset the second factor of accounts."""

from __future__ import annotations

import datetime as dt
import re
import socket

from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import PASSWORD, Person, make_account, reread, sign_in
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Account, AccountSession, AuditEntry, RecoveryCode, utcnow
from testimonials.vocab import Role

LINK = re.compile(r"<code>http://localhost(/moderate/set-password/[A-Za-z0-9_-]+)</code>")


def _invite(client: FlaskClient, email: str = "new@example.org", role: str = "moderator") -> str:
    response = client.post("/admin/accounts/invite", data={"email": email, "role": role})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    found = LINK.search(response.get_data(as_text=True))
    assert found, "without SMTP the link is shown to the admin"
    return found.group(1)


def test_an_invitation_link_sets_a_password_once(app: Flask, admin_client: FlaskClient,
                                                 session: Session) -> None:
    path = _invite(admin_client)
    account = session.scalar(select(Account).where(Account.email == "new@example.org"))
    assert account is not None and account.password_token_hash is not None
    assert path.rsplit("/", 1)[1] not in account.password_token_hash  # only the hash is kept
    visitor = app.test_client()
    assert "For new@example.org" in visitor.get(path).get_data(as_text=True)
    short = visitor.post(path, data={"password": "short", "password_again": "short"})
    assert short.status_code == 400 and "at least 12" in short.get_data(as_text=True)
    differ = visitor.post(path, data={"password": PASSWORD, "password_again": PASSWORD + "x"})
    assert differ.status_code == 400
    assert visitor.post(path, data={"password": PASSWORD,
                                    "password_again": PASSWORD}).status_code == 302
    assert visitor.get(path).status_code == 410  # used up
    # The new moderator signs in and is asked to enrol a second factor.
    response = visitor.post("/moderate/login", data={"email": "new@example.org",
                                                     "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/login/enrol"


def test_an_invitation_expires_after_72_hours(app: Flask, admin_client: FlaskClient,
                                              session: Session) -> None:
    path = _invite(admin_client)
    session.execute(update(Account).where(Account.email == "new@example.org")
                    .values(password_token_expires_at=utcnow() - dt.timedelta(minutes=1)))
    session.commit()
    assert app.test_client().get(path).status_code == 410


def test_an_invited_account_cannot_sign_in_before_choosing_a_password(
        app: Flask, admin_client: FlaskClient) -> None:
    _invite(admin_client)
    response = app.test_client().post("/moderate/login", data={"email": "new@example.org",
                                                               "password": "!"})
    assert response.status_code == 400


def test_invite_refuses_a_bad_or_taken_address(admin_client: FlaskClient, admin: Person) -> None:
    for email in ("not an address", admin.email):
        response = admin_client.post("/admin/accounts/invite",
                                     data={"email": email, "role": "moderator"})
        assert response.status_code == 400
        assert f'value="{email}"' in response.get_data(as_text=True)


def test_disabling_ends_the_sessions_and_re_enabling_restores_sign_in(
        app: Flask, admin_client: FlaskClient, moderator: Person, session: Session) -> None:
    theirs = app.test_client()
    sign_in(app, theirs, moderator)
    assert admin_client.post(f"/admin/accounts/{moderator.id}/active",
                             data={"active": "no"}).status_code == 302
    assert theirs.get("/moderate/").status_code == 302
    assert session.scalar(select(AccountSession).where(AccountSession.ended_at.is_(None),
                                                       AccountSession.account_id == moderator.id)) is None  # noqa: E501
    admin_client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "yes"})
    sign_in(app, theirs, moderator)
    assert theirs.get("/moderate/").status_code == 200
    reread(session)
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["account.disable", "account.enable"]


def test_an_admin_cannot_disable_themselves(admin_client: FlaskClient, admin: Person) -> None:
    response = admin_client.post(f"/admin/accounts/{admin.id}/active", data={"active": "no"})
    assert response.status_code == 400
    assert admin_client.get("/admin/accounts").status_code == 200


def test_resetting_the_second_factor_means_enrolling_again(
        app: Flask, admin_client: FlaskClient, moderator: Person, session: Session) -> None:
    theirs = app.test_client()
    sign_in(app, theirs, moderator)
    session.add(RecoveryCode(account_id=moderator.id, code_hash="x" * 64))
    session.commit()
    admin_client.post(f"/admin/accounts/{moderator.id}/reset-second-factor")
    assert theirs.get("/moderate/").status_code == 302  # signed out everywhere
    reread(session)
    account = session.get(Account, moderator.id)
    assert account is not None and account.totp_secret is None
    assert session.scalar(select(RecoveryCode)) is None
    response = theirs.post("/moderate/login", data={"email": moderator.email,
                                                    "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/login/enrol"


def test_accounts_page_lists_roles_and_states(admin_client: FlaskClient, moderator: Person) -> None:
    page = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert moderator.email in page and "Active, second factor set up" in page
    assert 'value="admin"' in page and 'value="moderator"' in page  # both roles can be invited


NEW_PASSWORD = "a different horse battery staple"


def _new_link(client: FlaskClient, account_id: int) -> str:
    response = client.post(f"/admin/accounts/{account_id}/password-link")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    found = LINK.search(response.get_data(as_text=True))
    assert found, "without SMTP the link is shown to the admin"
    return found.group(1)


def test_a_locked_out_moderator_gets_a_new_set_password_link(
        app: Flask, admin_client: FlaskClient, moderator: Person, session: Session) -> None:
    page = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert f'action="/admin/accounts/{moderator.id}/password-link"' in page
    elsewhere = app.test_client()
    sign_in(app, elsewhere, moderator)
    path = _new_link(admin_client, moderator.id)
    assert "Active, set-password link sent" in admin_client.get("/admin/accounts").get_data(
        as_text=True)
    # Until the link is used, the old password still works (an admin cannot lock anyone out).
    assert elsewhere.get("/moderate/").status_code == 200
    visitor = app.test_client()
    form = visitor.get(path).get_data(as_text=True)
    assert "For mod@example.org. Your second factor stays as it is" in form
    assert visitor.post(path, data={"password": NEW_PASSWORD,
                                    "password_again": NEW_PASSWORD}).status_code == 302
    assert visitor.get(path).status_code == 410  # one time only
    assert elsewhere.get("/moderate/").status_code == 302  # its live sessions ended
    old = app.test_client().post("/moderate/login", data={"email": moderator.email,
                                                          "password": PASSWORD})
    assert old.status_code == 400
    sign_in(app, visitor, Person(moderator.id, moderator.email, password=NEW_PASSWORD))
    assert visitor.get("/moderate/").status_code == 200  # the second factor is unchanged
    reread(session)
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject == f"account:{moderator.id}").order_by(AuditEntry.id)).all()
    assert actions == ["account.password_link", "account.password_set"]


def test_a_new_link_replaces_an_expired_invitation(app: Flask, admin_client: FlaskClient,
                                                   session: Session) -> None:
    first = _invite(admin_client)
    session.execute(update(Account).where(Account.email == "new@example.org")
                    .values(password_token_expires_at=utcnow() - dt.timedelta(minutes=1)))
    session.commit()
    visitor = app.test_client()
    expired = visitor.get(first)
    assert expired.status_code == 410
    assert "send you a new set-password link" in expired.get_data(as_text=True)
    account = session.scalar(select(Account).where(Account.email == "new@example.org"))
    assert account is not None
    second = _new_link(admin_client, account.id)
    assert visitor.get(first).status_code == 410  # the earlier link stays dead
    assert "you set up a second factor at your first sign-in" in visitor.get(
        second).get_data(as_text=True)
    assert visitor.post(second, data={"password": PASSWORD,
                                      "password_again": PASSWORD}).status_code == 302
    response = visitor.post("/moderate/login", data={"email": "new@example.org",
                                                     "password": PASSWORD})
    assert response.headers["Location"] == "/moderate/login/enrol"


def test_a_new_link_expires_after_72_hours(app: Flask, admin_client: FlaskClient,
                                           moderator: Person, session: Session) -> None:
    path = _new_link(admin_client, moderator.id)
    reread(session)
    account = session.get(Account, moderator.id)
    assert account is not None and account.password_token_expires_at is not None
    left = account.password_token_expires_at - utcnow()
    assert dt.timedelta(hours=71) < left <= dt.timedelta(hours=72)
    session.execute(update(Account).where(Account.id == moderator.id)
                    .values(password_token_expires_at=utcnow() - dt.timedelta(minutes=1)))
    session.commit()
    assert app.test_client().get(path).status_code == 410


def test_a_disabled_account_gets_no_link(admin_client: FlaskClient, moderator: Person,
                                         session: Session) -> None:
    admin_client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "no"})
    response = admin_client.post(f"/admin/accounts/{moderator.id}/password-link")
    assert response.status_code == 400
    assert "Re-enable the account before sending it a link." in response.get_data(as_text=True)
    reread(session)
    account = session.get(Account, moderator.id)
    assert account is not None and account.password_token_hash is None


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def test_a_failed_invitation_mail_shows_the_link_instead(database_url: str) -> None:
    """The mail server refuses the connection: the invitation stands and the link is shown once."""
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "SMTP_HOST": "127.0.0.1", "SMTP_PORT": _closed_port()})
    try:
        boss = make_account(app, "boss@example.org", Role.ADMIN)
        client = app.test_client()
        sign_in(app, client, boss)
        response = client.post("/admin/accounts/invite",
                               data={"email": "new@example.org", "role": "moderator"})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "could not be sent" in page
        found = LINK.search(page)
        assert found, "the link is shown when the mail fails"
        assert app.test_client().get(found.group(1)).status_code == 200
        with app.extensions["waitline.sessionmaker"]() as session:
            moderator = session.scalar(select(Account.id)
                                       .where(Account.email == "new@example.org"))
        again = client.post(f"/admin/accounts/{moderator}/password-link")
        assert again.status_code == 200 and "could not be sent" in again.get_data(as_text=True)
        assert LINK.search(again.get_data(as_text=True))
    finally:
        app.extensions["waitline.engine"].dispose()
