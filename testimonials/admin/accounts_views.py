"""Accounts: invite, disable and re-enable, reset a second factor."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.admin import bp
from testimonials.models import Account, utcnow
from testimonials.moderate.access import current_account
from testimonials.services import accounts, notify
from testimonials.vocab import Role

INVITE_ERRORS = {
    "that is not an e-mail address": _l("Enter an e-mail address, like name@example.org."),
    "an account with that e-mail address already exists":
        _l("There is already an account with that e-mail address."),
}


def _page(errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          status: int = 200) -> tuple[str, int]:
    return render_template("admin/accounts.html", accounts=accounts.list_accounts(db.session()),
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
    database = db.write_session()
    try:
        account, token = accounts.invite(database, form["email"], Role(form["role"]),
                                         current_account().account, utcnow())
    except accounts.AccountError as error:
        return _page({"email": str(INVITE_ERRORS.get(str(error), error))}, form, 400)
    database.commit()
    link = url_for("moderate.set_password", token=token, _external=True)
    mailed = bool(current_app.config.get("SMTP_HOST"))
    if mailed:
        notify.send(notify.Mail((account.email,), _("You are invited to moderate %(site)s",
                                                     site=current_app.config["SITE_NAME"]),
                                _("Choose your password within 72 hours: %(link)s", link=link)),
                    current_app.config)
    # Without SMTP the link is shown here once; it is not stored anywhere in clear.
    return render_template("admin/invited.html", account=account, link=None if mailed else link), 200


def _target(account_id: int) -> Account:
    account = db.write_session().get(Account, account_id)
    if account is None:
        abort(404)
    return account


@bp.post("/accounts/<int:account_id>/active")
def set_active(account_id: int) -> Response | tuple[str, int]:
    account = _target(account_id)
    active = request.form.get("active") == "yes"
    try:
        accounts.set_active(db.session(), account, active, current_account().account, utcnow())
    except accounts.AccountError:
        db.session().rollback()
        return _page({"form": _("You cannot disable your own account.")}, status=400)
    db.session().commit()
    message = _("%(email)s can sign in again.") if active else _("%(email)s is disabled.")
    flash(message % {"email": account.email}, "success")
    return redirect(url_for("admin.accounts_page"))


@bp.post("/accounts/<int:account_id>/reset-second-factor")
def reset_second_factor(account_id: int) -> Response:
    account = _target(account_id)
    accounts.reset_second_factor(db.session(), account, current_account().account, utcnow())
    db.session().commit()
    flash(_("%(email)s will set up a new second factor at their next sign-in.")
          % {"email": account.email}, "success")
    return redirect(url_for("admin.accounts_page"))
