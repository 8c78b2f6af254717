"""Who is signed in: Flask-Login backed by server-side sessions (AccountSession rows).

The cookie holds a random session token; the database holds only its hash. Signing out ends
the row, so a copied cookie stops working; a session idle for too long ends by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Flask, current_app
from flask_login import UserMixin
from sqlalchemy import select

from testimonials import db
from testimonials.extensions import login_manager
from testimonials.models import Account, AccountSession, utcnow

# Refresh last_seen_at at most this often, so that reading pages does not write on each request.
_TOUCH_EVERY = dt.timedelta(seconds=60)


class SignedIn(UserMixin):
    """The signed-in account together with the server-side session it came through."""

    def __init__(self, account: Account, account_session: AccountSession) -> None:
        self.account = account
        self.session = account_session

    def get_id(self) -> str:  # what Flask-Login keeps in the cookie: the session, not the account
        return self._token

    _token: str = ""

    @property
    def is_admin(self) -> bool:
        return self.account.is_admin


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def load_signed_in(token: str, now: dt.datetime | None = None) -> SignedIn | None:
    """The signed-in account for a session token, if the session is live and not idle."""
    now = now or utcnow()
    session = db.session()
    row = session.execute(
        select(AccountSession, Account)
        .join(Account, Account.id == AccountSession.account_id)
        .where(AccountSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    account_session, account = row
    idle = dt.timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))
    if account_session.ended_at is not None or not account.active:
        return None
    if now - account_session.last_seen_at > idle:
        return None
    if now - account_session.last_seen_at > _TOUCH_EVERY:
        account_session.last_seen_at = now
        session.commit()
    signed_in = SignedIn(account, account_session)
    signed_in._token = token
    return signed_in


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_signed_in)
    login_manager.session_protection = "strong"
