"""Admins invite, disable, re-enable and reset the second factor of accounts."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderate_helpers import PASSWORD, Person, reread, sign_in
from testimonials.models import Account, AccountSession, AuditEntry, RecoveryCode, utcnow

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
                                                       AccountSession.account_id == moderator.id)) is None
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
