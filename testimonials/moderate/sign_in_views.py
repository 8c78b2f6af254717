"""Signing in (password, then a one-time code or enrolment), signing out, choosing a password."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any

import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from testimonials import auth, db
from testimonials.models import Account, utcnow
from testimonials.moderate import bp, throttle
from testimonials.moderate.access import safe_next
from testimonials.services import sign_in

PENDING = "pending_sign_in"
PENDING_SECONDS = 600  # between the password and the code


def _fail_closed() -> tuple[str, int]:
    return render_template("moderate/login.html", unavailable=True, email="",
                           next=safe_next(request.values.get("next"))), 503


def _too_many(template: str, **context: Any) -> tuple[str, int]:
    context["errors"] = {"form": _("Too many tries. Wait a few minutes, then try again.")}
    return render_template(template, **context), 429


# Each page answers GET (and HEAD) with its form, and only a POST, a view of its own that
# CSRF checks, signs anyone in: a HEAD must never reach the code that changes state.
@bp.get("/login")
def login() -> str:
    return render_template("moderate/login.html", email="",
                           next=safe_next(request.args.get("next")), errors={})


@bp.post("/login", endpoint="login_send")
def login_send() -> Response | str | tuple[str, int]:
    next_path = safe_next(request.values.get("next"))
    email = request.form.get("email", "").strip()[:254]
    password = request.form.get("password", "")
    context = {"email": email, "next": next_path}
    try:
        if not throttle.allowed(email):
            return _too_many("moderate/login.html", **context)
        # A read session: argon2 takes a while, and no write lock is held meanwhile.
        account = sign_in.check_password(db.session(), email, password)
        if account is None:
            throttle.failed(email)
            errors = {"email": _("The e-mail address or the password is not right.")}
            return render_template("moderate/login.html", errors=errors, **context), 400
    except throttle.StorageDown:
        return _fail_closed()
    db.session().commit()  # a rehashed password, if argon2's parameters changed
    if account.totp_secret is None and not current_app.config["TOTP_REQUIRED"]:
        return _complete(account, next_path)
    session[PENDING] = {"id": account.id, "at": int(time.time()), "next": next_path,
                        "nonce": secrets.token_urlsafe(16)}
    step = "moderate.login_code" if account.totp_secret else "moderate.login_enrol"
    return redirect(url_for(step))


def _pending_account() -> tuple[Account | None, dict[str, Any]]:
    pending = session.get(PENDING) or {}
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None, {}
    account = db.write_session().get(Account, int(pending["id"]))
    return (account if account is not None and account.active else None), pending


def _complete(account: Account, next_path: str) -> Response:
    database = db.write_session()
    token, row = sign_in.start_session(database, account, utcnow())
    database.commit()
    auth.sign_in(account, token, row.id)
    return redirect(next_path)


def _code_step() -> tuple[Account | None, dict[str, Any]]:
    account, pending = _pending_account()
    if account is None or account.totp_secret is None:
        flash(_("Please sign in again."), "info")
        return None, {}
    return account, pending


@bp.get("/login/code")
def login_code() -> Response | str:
    account, _pending = _code_step()
    if account is None:
        return redirect(url_for("moderate.login"))
    return render_template("moderate/login_code.html", errors={})


@bp.post("/login/code", endpoint="login_code_send")
def login_code_send() -> Response | str | tuple[str, int]:
    account, pending = _code_step()
    if account is None:
        return redirect(url_for("moderate.login"))
    try:
        if not throttle.allowed(account.email):
            return _too_many("moderate/login_code.html")
        if not sign_in.verify_second_factor(db.session(), account, request.form.get("code", ""),
                                            utcnow()):
            throttle.failed(account.email)
            db.session().rollback()
            errors = {"code": _("That code is not right, or it was used already.")}
            return render_template("moderate/login_code.html", errors=errors), 400
    except throttle.StorageDown:
        return _fail_closed()
    return _complete(account, pending["next"])


def enrolment_secret(account: Account, nonce: str) -> str:
    """The TOTP secret offered during this sign-in: derived, so the cookie never carries it."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"totp-enrol:{account.id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def _qr_data_uri(uri: str) -> str:
    # An <img> with a data: URI: allowed by our CSP (img-src 'self' data:), no inline style.
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def _enrol_step() -> tuple[Account | None, dict[str, Any], str, dict[str, Any]]:
    """The account enrolling, its pending sign-in, the secret offered and the page's context."""
    account, pending = _pending_account()
    if account is None or account.totp_secret is not None:
        flash(_("Please sign in again."), "info")
        return None, {}, "", {}
    secret = enrolment_secret(account, pending["nonce"])
    uri = sign_in.provisioning_uri(secret, account.email, current_app.config["SITE_NAME"])
    context = {"qr": _qr_data_uri(uri), "secret_groups": [secret[i:i + 4]
                                                          for i in range(0, len(secret), 4)]}
    return account, pending, secret, context


@bp.get("/login/enrol")
def login_enrol() -> Response | str:
    account, _pending, _secret, context = _enrol_step()
    if account is None:
        return redirect(url_for("moderate.login"))
    return render_template("moderate/enrol.html", errors={}, **context)


@bp.post("/login/enrol", endpoint="login_enrol_send")
def login_enrol_send() -> Response | str | tuple[str, int]:
    account, pending, secret, context = _enrol_step()
    if account is None:
        return redirect(url_for("moderate.login"))
    try:
        if not throttle.allowed(account.email):
            return _too_many("moderate/enrol.html", **context)
        codes = sign_in.enrol_totp(db.session(), account, secret, request.form.get("code", ""),
                                   utcnow())
        if codes is None:
            throttle.failed(account.email)
            errors = {"code": _("That code is not right. Check the time on your phone and "
                                "enter the code the app shows now.")}
            return render_template("moderate/enrol.html", errors=errors, **context), 400
    except throttle.StorageDown:
        return _fail_closed()
    _complete(account, pending["next"])
    # Shown once, in this response only (never stored in clear, never shown again).
    return render_template("moderate/recovery_codes.html", codes=codes, next=pending["next"])


@bp.post("/logout")
def logout() -> Response:
    token = auth.signed_in_token()
    if token:
        database = db.write_session()
        sign_in.end_session(database, token, utcnow())
        database.commit()
    auth.sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("moderate.login"))
