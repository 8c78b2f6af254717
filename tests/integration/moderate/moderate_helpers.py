"""Helpers for the moderation tests: accounts with a second factor, signing in by the form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials.models import Account, utcnow
from testimonials.services import accounts
from testimonials.vocab import Role

PASSWORD = "correct horse battery staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
VERSION = re.compile(r'name="version" value="(\d+)"')


@dataclass
class Person:
    id: int
    email: str
    secret: str = SECRET
    password: str = PASSWORD


def make_account(app: Flask, email: str, role: Role, *, enrolled: bool = True) -> Person:
    """An active account, its second factor enrolled with SECRET unless told otherwise."""
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        account = accounts.create_account(session, email, PASSWORD, role, utcnow())
        if enrolled:
            account.totp_secret, account.totp_enrolled_at = SECRET, utcnow()
        session.commit()
        return Person(account.id, account.email)


def current_code(secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).now()


def sign_in(app: Flask, client: FlaskClient, person: Person, next_path: str = "") -> None:
    """Sign in through the real pages: password, then a TOTP code pyotp computes."""
    # A code is accepted once per 30-second step; tests sign in more often than that.
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        session.execute(update(Account).where(Account.id == person.id).values(totp_last_step=None))
        session.commit()
    response = client.post("/moderate/login", data={"email": person.email,
                                                    "password": person.password,
                                                    "next": next_path})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    if response.headers["Location"].endswith("/moderate/login/code"):
        response = client.post("/moderate/login/code", data={"code": current_code(person.secret)})
        assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def version_of(page: str) -> str:
    found = VERSION.search(page)
    assert found, "the review page carries the version in its forms"
    return found.group(1)


def reread(session: Session) -> None:
    """Forget what the test's session has read, so it sees what requests committed since."""
    session.rollback()  # ends a read transaction that keeps its snapshot on SQLite
    session.expire_all()  # a rollback outside a transaction does not expire anything
