"""Who is signed in: Flask-Login backed by server-side sessions (AccountSession rows).

The cookie holds a random session token; the database holds only its hash. Signing out ends
the row, so a copied cookie stops working; a session idle for too long ends by itself, and
any session ends SESSION_ABSOLUTE_HOURS after it began, however busy. The cookie holds
nothing about the client (Flask-Login's hash of the address and browser is left out).
The lookup runs in a short session of its own, so that it never opens the request's
transaction (on SQLite a request that writes must begin with the write lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, Response, current_app, g, has_request_context, request
from flask import session as cookie_session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_login import UserMixin, current_user, login_user, logout_user
from flask_login.utils import _user_context_processor
from sqlalchemy import bindparam, select, update

from testimonials import db, runtime_settings
from testimonials.extensions import login_manager
from testimonials.models import Account, AccountSession, utcnow
from testimonials.services import sign_in as sign_in_service

# Refresh last_seen_at at most this often, so that reading pages does not write on each request.
_TOUCH_EVERY = dt.timedelta(seconds=60)


class SignedIn(UserMixin):
    """The signed-in account (detached: re-read it to change it) and its session token."""

    def __init__(self, account: Account, session_id: int, token: str) -> None:
        self.account = account
        self.session_id = session_id
        self._token = token

    def get_id(self) -> str:  # what Flask-Login keeps in the cookie: the session, not the account
        return self._token

    @property
    def is_admin(self) -> bool:
        return self.account.is_admin

    @property
    def email(self) -> str:
        return self.account.email


def token_hash(token: str) -> str:
    return sign_in_service.sha256(token)


# Built once: the statement's cache key is then computed once, not on every page.
_LOOKUP: db.AnySelect = (
    select(AccountSession.id, AccountSession.created_at, AccountSession.last_seen_at,
           AccountSession.ended_at, Account.id, Account.email, Account.role, Account.active,
           Account.keyboard_shortcuts)
    .join(Account, Account.id == AccountSession.account_id)
    .where(AccountSession.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class Beside:
    """What a page reads on every request beside the signed-in account, in the account's own
    statement: `statement` is the lookup with the page's columns added (LOOKUP_COLUMNS
    columns first, then the page's; a row per thing read, or the account's one row with NULLs
    after it), `take` makes the page's value of the rows, its columns starting at
    LOOKUP_COLUMNS."""

    statement: db.AnySelect
    take: Callable[[Sequence[db.AnyRow]], Any]


LOOKUP_COLUMNS = len(_LOOKUP.selected_columns)
_BESIDE: dict[str, Beside] = {}
_BESIDE_KEY = "waitline.read_beside_account"  # flask.g: this request's value


def read_beside_account(endpoint: str, extend: Callable[[db.AnySelect], db.AnySelect],
                        take: Callable[[Sequence[db.AnyRow]], Any]) -> None:
    """Have the page at `endpoint` read what `extend` adds to the account's lookup (outer
    joins and columns) in the lookup's statement: one round trip instead of two on
    PostgreSQL, one execution instead of two everywhere. Its view gets it from
    `read_with_account()`; the statement needs `now` (the loader's moment)."""
    _BESIDE[endpoint] = Beside(extend(_LOOKUP), take)


def read_with_account() -> Any:
    """This request's value read beside the signed-in account (see read_beside_account).
    Loads the account first if nothing has yet; only where someone is signed in."""
    if not current_user.is_authenticated:
        raise LookupError("nobody is signed in: nothing was read beside the account")
    return g.pop(_BESIDE_KEY)


def load_signed_in(token: str, now: dt.datetime | None = None) -> SignedIn | None:
    """The signed-in account for a session token, if the session is live, not idle and not
    older than its absolute lifetime."""
    now = now or utcnow()
    idle = dt.timedelta(minutes=int(runtime_settings.get("SESSION_IDLE_MINUTES")))
    lifetime = dt.timedelta(hours=float(current_app.config["SESSION_ABSOLUTE_HOURS"]))
    beside = _BESIDE.get(request.endpoint or "") if has_request_context() else None
    # Never through the request's session: it leaves that session (and its transaction)
    # untouched.
    rows: Sequence[db.AnyRow]
    with db.one_read() as connection:
        if beside is None:
            rows = connection.execute(_LOOKUP, {"token_hash": token_hash(token)}).all()
        else:
            rows = connection.execute(beside.statement,
                                      {"token_hash": token_hash(token), "now": now}).all()
    if not rows:
        return None
    session_id, created_at, last_seen_at, ended_at, account_id, email, role, active, keys = \
        rows[0][:LOOKUP_COLUMNS]
    if ended_at is not None or not active or now - last_seen_at > idle:
        return None
    if now - created_at > lifetime:
        return None
    if now - last_seen_at > _TOUCH_EVERY:
        # A write of its own (once a minute at most), never through the request's session:
        # the account is loaded whenever a page first asks for it, perhaps after its reads.
        with db.own_session() as own, db.writing(own) as writer:
            writer.execute(update(AccountSession).where(AccountSession.id == session_id)
                           .values(last_seen_at=now))
    if beside is not None:
        setattr(g, _BESIDE_KEY, beside.take(rows))
    # A detached copy with what pages and the audit log need; re-read it to change it.
    account = Account(id=account_id, email=email, role=role, active=active,
                      keyboard_shortcuts=keys)
    return SignedIn(account, session_id, token)


def sign_in(account: Account, token: str, session_id: int) -> None:
    """Start the browser's side of a new session: a fresh cookie session, then the login."""
    cookie_session.clear()  # renewed at sign-in: nothing set before it survives (fixation)
    login_user(SignedIn(account, session_id, token))
    # Flask-Login's hash of the client's address and browser: not needed (session_protection
    # is off, the session lives on the server) and no business in a readable cookie.
    cookie_session.pop("_id", None)


def signed_in_token() -> str | None:
    """The current session's token, if someone is signed in."""
    return current_user.get_id() if current_user.is_authenticated else None


def sign_out() -> None:
    logout_user()
    cookie_session.clear()


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a request without the cookie (every reader
    of the public pages) gets its empty session without the signing serializer being built
    for it first: a key list, a serializer and a signer per request, about 5% of a cached
    page's time in the app. A request with the cookie is read exactly as Flask reads it."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        name, cookies = self.get_cookie_name(app), request.cookies
        # (`in` first: a MultiDict's get builds an exception for a missing name.)
        if app.secret_key and not (name in cookies and cookies[name]):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # A session with nothing to write (unchanged, and not permanent: the cookie lasts as
        # long as the browser, and the idle and absolute limits are the server's, in
        # load_signed_in) sends no cookie, as in Flask; Flask would still add "Cookie" to Vary
        # (which i18n.remember_language has already done on nearly every answer) by parsing
        # and rewriting the Vary header: here that header is read as a plain string first.
        # Every signed-in page has such a session (its token and the forms' CSRF token).
        if not self.should_set_cookie(app, session):
            if session.accessed and "cookie" not in response.headers.get("Vary", "").lower():
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
    login_manager.user_loader(load_signed_in)
    # Flask-Login's context processor loads the user for every rendered template, the public
    # pages too, which never show who is signed in (about 4% of the bench's ceiling route);
    # its `current_user` proxy instead loads the user where a template first asks.
    processors = app.template_context_processors[None]
    if _user_context_processor in processors:
        processors.remove(_user_context_processor)
    app.context_processor(_lazy_current_user)
    # Off: the session is a server-side row that sign-out ends; Flask-Login's own "strong"
    # check would treat every anonymous session holding a CSRF token as hijacked and answer
    # with cookie rewrites (and a remember_token deletion without HttpOnly or SameSite).
    login_manager.session_protection = None
    # Whatever else in Flask-Login asks for a client identifier gets one without the address.
    login_manager._session_identifier_generator = _no_client_identifier


def _lazy_current_user() -> dict[str, Any]:
    return {"current_user": current_user}


def _no_client_identifier() -> str:
    return ""
