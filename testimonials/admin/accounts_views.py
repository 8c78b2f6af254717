"""Accounts: invite, send a new set-password link, disable and re-enable, reset a second factor."""

from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.admin import bp
from testimonials.instance_text import instance_text
from testimonials.models import Account, utcnow
from testimonials.moderate.access import current_account
from testimonials.services import accounts, notify
from testimonials.siteurl import absolute_url
from testimonials.vocab import Role

log = logging.getLogger(__name__)
INVITE_ERRORS = {
    "that is not an e-mail address": _l("Enter an e-mail address, like name@example.org."),
    "an account with that e-mail address already exists":
        _l("There is already an account with that e-mail address."),
}


STATES = {"disabled": _l("Disabled"), "invited": _l("Invited"),
          "link_sent": _l("Active, set-password link sent"),
          "enrolled": _l("Active, second factor set up"),
          "not_enrolled": _l("Active, no second factor yet")}
LINK_MESSAGES = {
    "mailed": _l("We sent %(email)s a link to choose a password. It works once, for 72 hours."),
    "no_mail": _l("No mail server is set up, so give %(email)s this link yourself, by a channel "
                  "you trust. It works once, for 72 hours, and is not shown again."),
    "mail_failed": _l("The e-mail to %(email)s could not be sent: the mail server did not take "
                      "it. Give them this link yourself, by a channel you trust. It works once, "
                      "for 72 hours, and is not shown again."),
}


def state_of(account: Account) -> str:
    """The account's state, as the accounts page names it."""
    if not account.active:
        return str(STATES["disabled"])
    if account.password_token_hash and account.last_sign_in_at is None:
        return str(STATES["invited"])
    if account.password_token_hash:
        return str(STATES["link_sent"])
    return str(STATES["enrolled" if account.totp_secret else "not_enrolled"])


def deliver_link(account: Account, token: str, subject: str) -> dict[str, str | None]:
    """Mail the set-password link when SMTP is set up; else (or if mail fails) show it once.

    The link is not stored anywhere in clear, so a failed mail must not lose it.
    """
    link = absolute_url("moderate.set_password", token=token)
    outcome = "no_mail"
    if current_app.config.get("SMTP_HOST"):
        body = _("Choose your password within 72 hours: %(link)s", link=link)
        try:
            notify.send(notify.Mail((account.email,), subject, body), current_app.config)
            outcome = "mailed"
        except notify.MailError as error:
            log.warning("set-password mail to account %s failed: %s", account.id, error)
            outcome = "mail_failed"
    return {"message": str(LINK_MESSAGES[outcome]) % {"email": account.email},
            "link": None if outcome == "mailed" else link}


def _page(errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          status: int = 200) -> tuple[str, int]:
    listed = accounts.list_accounts(db.session())
    return render_template("admin/accounts.html", accounts=listed,
                           states={account.id: state_of(account) for account in listed},
                           roles=list(Role), errors=errors or {},
                           form=form or {"email": "", "role": Role.MODERATOR.value},
                           me=current_account().account.id), status


@bp.get("/accounts")
def accounts_page() -> tuple[str, int]:
    return _page()


@bp.post("/accounts/invite")
def invite() -> tuple[str, int]:
    form = {"email": request.form.get("email", "").strip(), "role": request.form.get("role", "")}
    if form["role"] not in {role.value for role in Role}:
        return _page({"role": _("Choose a role.")}, form, 400)
    try:
        with db.writing() as database:
            account, token = accounts.invite(database, form["email"], Role(form["role"]),
                                             current_account().account, utcnow())
    except accounts.AccountError as error:
        return _page({"email": str(INVITE_ERRORS.get(str(error), error))}, form, 400)
    subject = _("You are invited to moderate %(site)s", site=instance_text("SITE_NAME"))
    return render_template("admin/invited.html", account=account,
                           **deliver_link(account, token, subject)), 200


def _target(account_id: int) -> Account:
    """The account changed (read in the caller's writing block), or 404."""
    account = db.session().get(Account, account_id)
    if account is None:
        abort(404)
    return account


@bp.post("/accounts/<int:account_id>/active")
def set_active(account_id: int) -> Response | tuple[str, int]:
    active = request.form.get("active") == "yes"
    try:
        with db.writing() as session:
            account = _target(account_id)
            accounts.set_active(session, account, active, current_account().account, utcnow())
    except accounts.AccountError:
        return _page({"form": _("You cannot disable your own account.")}, status=400)
    message = _("%(email)s can sign in again.") if active else _("%(email)s is disabled.")
    flash(message % {"email": account.email}, "success")
    return redirect(url_for("admin.accounts_page"))


@bp.post("/accounts/<int:account_id>/reset-second-factor")
def reset_second_factor(account_id: int) -> Response:
    with db.writing() as session:
        account = _target(account_id)
        accounts.reset_second_factor(session, account, current_account().account, utcnow())
    flash(_("%(email)s will set up a new second factor at their next sign-in.")
          % {"email": account.email}, "success")
    return redirect(url_for("admin.accounts_page"))


@bp.post("/accounts/<int:account_id>/password-link")
def password_link(account_id: int) -> tuple[str, int]:
    try:
        with db.writing() as session:
            account = _target(account_id)
            token = accounts.new_password_link(session, account, current_account().account,
                                               utcnow())
    except accounts.AccountError:
        return _page({"form": _("Re-enable the account before sending it a link.")}, status=400)
    subject = _("Choose a new password for %(site)s", site=instance_text("SITE_NAME"))
    return render_template("admin/password_link.html", account=account,
                           **deliver_link(account, token, subject)), 200
