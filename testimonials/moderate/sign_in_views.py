"""Signing in (password, then a one-time code or enrolment), signing out, choosing a password."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import auth, bounds, db
from testimonials.errors import render_error
from testimonials.localised import english
from testimonials.models import Account, PendingSignIn, utcnow
from testimonials.moderate import bp, throttle
from testimonials.moderate.access import DEFAULT_NEXT, safe_next
from testimonials.services import sign_in

PENDING = "pending_sign_in"  # the cookie holds only the pending sign-in's random token


def _fail_closed() -> tuple[str, int]:
    return render_template("moderate/login.html", unavailable=True, email="",
                           next=safe_next(request.values.get("next"))), 503


def _too_many(verdict: throttle.Verdict, template: str,
              **context: Any) -> tuple[str, int, dict[str, str]]:
    context["errors"] = {"form": _("Too many tries. Wait a few minutes, then try again.")}
    return (render_template(template, **context), 429,
            {"Retry-After": str(verdict.retry_after)})


def _codes_shown_once(status: int = 200) -> Response:
    """For a signed-in moderator back on the enrolment step (a refreshed recovery-codes page):
    the codes cannot be shown again; say so and lead on, rather than "sign in again"."""
    response = current_app.make_response(render_template("moderate/recovery_codes_shown.html",
                                                         next=DEFAULT_NEXT))
    response.headers["Cache-Control"] = "no-store"
    response.status_code = status
    return response


@bp.errorhandler(CSRFError)
def sign_in_form_expired(error: CSRFError) -> Response | tuple[Response | str, int]:
    """The enrolment form sent again once signed in (a browser's refresh of the recovery-codes
    page re-sends it, with a token the new session no longer holds): still refused (400, as
    every form without its token), but with a page that says what happened and leads on."""
    bounds.mark_refused()  # counted against the address, as every refused post is
    if current_user.is_authenticated and request.endpoint == "moderate.login_enrol_send":
        return _codes_shown_once(400)
    return render_error(400, str(_l("Your form expired. Please go back and send it again.")))


# Each page answers GET (and HEAD) with its form, and only a POST, a view of its own that
# CSRF checks, signs anyone in: a HEAD must never reach the code that changes state.
@bp.get("/login")
def login() -> Response | str:
    next_path = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    return render_template("moderate/login.html", email="", next=next_path, errors={})


@bp.post("/login", endpoint="login_send")
def login_send() -> Response | str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    next_path = safe_next(request.values.get("next"))
    email = request.form.get("email", "").strip()[:254]
    password = request.form.get("password", "")
    context = {"email": email, "next": next_path}
    try:
        verdict = throttle.check(email)
        if not verdict.allowed:
            return _too_many(verdict, "moderate/login.html", **context)
        # A read session: argon2 takes a while, and no write lock is held meanwhile.
        account = sign_in.check_password(db.session(), email, password)
        if account is None:
            throttle.failed(email)
            errors = {"email": _("The e-mail address or the password is not right.")}
            return render_template("moderate/login.html", errors=errors, **context), 400
    except throttle.StorageDown:
        return _fail_closed()
    checked_hash, fresher = account.password_hash, sign_in.fresher_hash(account, password)
    if fresher is not None:  # argon2's parameters changed since this password was hashed
        with db.writing(after_reads=True) as database:
            sign_in.store_fresher_hash(database, account, checked_hash, fresher)
    if account.totp_secret is None and not current_app.config["TOTP_REQUIRED"]:
        return _complete(account, next_path)
    # The reads above end here (after_reads): the writes below begin with the write lock.
    with db.writing(after_reads=True) as database:
        token, _row = sign_in.start_pending(database, account, next_path, utcnow())
    session[PENDING] = token
    step = "moderate.login_code" if account.totp_secret else "moderate.login_enrol"
    return redirect(url_for(step))


def _pending_account() -> tuple[Account | None, PendingSignIn | None]:
    """The account of this browser's live pending sign-in (a POST reads it in the writing
    block where the code check and the completion that follow write)."""
    token = session.get(PENDING)
    if not isinstance(token, str):
        return None, None
    database = db.session()
    pending = sign_in.find_pending(database, token, utcnow())
    if pending is None:
        return None, None
    account = database.get(Account, pending.account_id)
    return (account if account is not None and account.active else None), pending


class _PendingUsed(Exception):
    """The pending sign-in was used meanwhile, by another request with the same cookie."""


class _CodeRefused(Exception):
    """The one-time code typed is not right."""


def _start_session(database: Session, account: Account) -> tuple[str, int]:
    """A new server-side session (token, id); the pending sign-in, if any, used up with it."""
    token = session.get(PENDING)
    if isinstance(token, str) and not sign_in.use_pending(database, token, utcnow()):
        raise _PendingUsed
    session_token, row = sign_in.start_session(database, account, utcnow())
    return session_token, row.id


def _complete(account: Account, next_path: str) -> Response:
    """A new server-side session; a pending sign-in, if any, is used up in the same commit."""
    try:
        with db.writing(after_reads=True) as database:  # after the password check's reads
            started = _start_session(database, account)
    except _PendingUsed:
        return _sign_in_again()
    auth.sign_in(account, *started)  # a fresh cookie: the pending token goes
    return redirect(next_path)


def _sign_in_again() -> Response:
    session.pop(PENDING, None)
    flash(_("Please sign in again."), "info")
    return redirect(url_for("moderate.login"))


@bp.get("/login/code")
def login_code() -> Response | str:
    account, pending = _pending_account()
    if account is None and current_user.is_authenticated:
        return redirect(DEFAULT_NEXT)
    if account is None or pending is None or account.totp_secret is None:
        return _sign_in_again()
    return render_template("moderate/login_code.html", errors={})


@bp.post("/login/code", endpoint="login_code_send")
def login_code_send() -> Response | str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    try:
        with db.writing() as database:  # the code used and the session started, or neither
            account, pending = _pending_account()
            if account is None or pending is None or account.totp_secret is None:
                return _sign_in_again()
            verdict = throttle.code_check(account.email)
            if not verdict.allowed:
                return _too_many(verdict, "moderate/login_code.html")
            if not sign_in.verify_second_factor(database, account, request.form.get("code", ""),
                                                utcnow()):
                throttle.code_failed(account.email)
                raise _CodeRefused
            started = _start_session(database, account)
    except _CodeRefused:
        errors = {"code": _("That code is not right, or it was used already.")}
        return render_template("moderate/login_code.html", errors=errors), 400
    except _PendingUsed:
        return _sign_in_again()
    except throttle.StorageDown:
        return _fail_closed()
    auth.sign_in(account, *started)
    return redirect(pending.next_path)


def enrolment_secret(account: Account, nonce: str) -> str:
    """The TOTP secret offered during this sign-in: derived, so the cookie never carries it."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"totp-enrol:{account.id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def _qr_data_uri(uri: str) -> str:
    # An <img> with a data: URI: allowed by our CSP (img-src 'self' data:), no inline style.
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def _enrol_context(account: Account) -> tuple[str, dict[str, Any]]:
    """The secret offered during this sign-in and the enrolment page's context."""
    secret = enrolment_secret(account, str(session[PENDING]))
    # The issuer the authenticator app shows: one name, whatever the page's language.
    issuer = english(current_app.config, "SITE_NAME")
    uri = sign_in.provisioning_uri(secret, account.email, issuer)
    return secret, {"qr": _qr_data_uri(uri),
                    "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)]}


def _enrolling() -> tuple[Account, PendingSignIn] | Response:
    """This browser's account and pending sign-in, when it may enrol a second factor now;
    otherwise the page it gets instead: "shown once" for a moderator already signed in (a
    refreshed recovery-codes page), else "sign in again" (no live pending sign-in, or a
    factor enrolled already)."""
    account, pending = _pending_account()
    if account is None and current_user.is_authenticated:
        return _codes_shown_once()
    if account is None or pending is None or account.totp_secret is not None:
        return _sign_in_again()
    return account, pending


@bp.get("/login/enrol")
def login_enrol() -> Response | str:
    enrolling = _enrolling()
    if isinstance(enrolling, Response):
        return enrolling
    _secret, context = _enrol_context(enrolling[0])
    return render_template("moderate/enrol.html", errors={}, **context)


@bp.post("/login/enrol", endpoint="login_enrol_send")
def login_enrol_send() -> Response | str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    context: dict[str, Any] = {}
    try:
        with db.writing() as database:  # the factor saved and the session started, or neither
            enrolling = _enrolling()
            if isinstance(enrolling, Response):
                return enrolling
            account, pending = enrolling
            secret, context = _enrol_context(account)
            verdict = throttle.code_check(account.email)
            if not verdict.allowed:
                return _too_many(verdict, "moderate/enrol.html", **context)
            codes = sign_in.enrol_totp(database, account, secret, request.form.get("code", ""),
                                       utcnow())
            if codes is None:
                throttle.code_failed(account.email)
                raise _CodeRefused
            started = _start_session(database, account)
    except _CodeRefused:
        errors = {"code": _("That code is not right. Check the time on your phone and "
                            "enter the code the app shows now.")}
        return render_template("moderate/enrol.html", errors=errors, **context), 400
    except _PendingUsed:
        return _sign_in_again()
    except throttle.StorageDown:
        return _fail_closed()
    next_path = pending.next_path
    auth.sign_in(account, *started)
    # Shown once, in this response only (never stored in clear, never shown again).
    return render_template("moderate/recovery_codes.html", codes=codes, next=next_path)


@bp.post("/logout")
def logout() -> Response:
    token = auth.signed_in_token()
    if token:
        with db.writing() as database:
            sign_in.end_session(database, token, utcnow())
    auth.sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("moderate.login"))
