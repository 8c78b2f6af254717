"""A moderator's own account: choosing a password from a set-password link, e-mail alerts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.models import Account, utcnow
from testimonials.moderate import bp
from testimonials.moderate.access import current_account
from testimonials.passwords import MAX_LENGTH, MIN_LENGTH
from testimonials.services import accounts

ENROLLED = {
    False: (_l("For %(email)s. After this, you set up a second factor at your first sign-in."),
            _l("Your password is set. Sign in to set up your second factor.")),
    True: (_l("For %(email)s. Your second factor stays as it is: sign in with your new "
              "password and a code from your app."),
           _l("Your password is set. Sign in with it and a code from your app.")),
}


def password_errors(password: str, again: str) -> dict[str, str]:
    """Messages for a new password and its confirmation, by field."""
    if len(password) < MIN_LENGTH:
        return {"password": _("Use at least %(n)d characters.", n=MIN_LENGTH)}
    if len(password) > MAX_LENGTH:
        return {"password": _("Use at most %(n)d characters.", n=MAX_LENGTH)}
    if password != again:
        return {"password_again": _("The two passwords are not the same.")}
    return {}


def _set_password_context(account: Account) -> tuple[dict[str, str], str]:
    intro, done = ENROLLED[account.totp_secret is not None]
    return {"email": account.email, "intro": str(intro) % {"email": account.email}}, str(done)


def _expired() -> tuple[str, int]:
    return render_template("moderate/set_password.html", expired=True, errors={}), 410


# GET (and HEAD) show each form; only a POST, a view of its own, changes anything.
@bp.get("/set-password/<token>")
def set_password(token: str) -> str | tuple[str, int]:
    account = accounts.account_for_token(db.session(), token, utcnow())
    if account is None:
        return _expired()
    context, _done = _set_password_context(account)
    return render_template("moderate/set_password.html", errors={}, **context)


@bp.post("/set-password/<token>", endpoint="set_password_send")
def set_password_send(token: str) -> Response | str | tuple[str, int]:
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    errors = password_errors(password, again)
    if errors:  # the form again: nothing to write
        account = accounts.account_for_token(db.session(), token, utcnow())
        if account is None:
            return _expired()
        context, _done = _set_password_context(account)
        return render_template("moderate/set_password.html", errors=errors, **context), 400
    with db.writing() as database:
        account = accounts.account_for_token(database, token, utcnow())
        if account is not None:
            _context, done = _set_password_context(account)
            accounts.set_password_with_token(database, token, password, utcnow())
    if account is None:
        return _expired()
    flash(done, "success")
    return redirect(url_for("moderate.login"))


def _own_account(database: Session) -> Account:
    account = database.get(Account, current_account().account.id)
    if account is None:
        abort(404)
    return account


@bp.get("/alerts")
def alerts() -> str:
    return render_template("moderate/alerts.html", account=_own_account(db.session()))


@bp.post("/alerts", endpoint="alerts_send")
def alerts_send() -> Response:
    with db.writing() as database:
        account = _own_account(database)
        accounts.set_alerts(database, account, urgent=request.form.get("urgent") == "yes",
                            digest=request.form.get("digest") == "yes", now=utcnow())
    flash(_("Your alert choices are saved."), "success")
    return redirect(url_for("moderate.alerts"))


@bp.post("/shortcuts")
def shortcuts() -> Response:
    """Turn this moderator's single-key shortcuts on or off (saved on the alerts page)."""
    with db.writing() as database:
        account = _own_account(database)
        accounts.set_keyboard_shortcuts(database, account,
                                        on=request.form.get("shortcuts") == "on", now=utcnow())
    flash(_("Your keyboard shortcut choice is saved."), "success")
    return redirect(url_for("moderate.alerts"))
