"""The receipt's offer to e-mail the private link: sent once to the address given, never kept."""

from __future__ import annotations

from functools import partial
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from testimonials.instance_text import instance_text
from testimonials.services import notify
from testimonials.share import bp
from testimonials.share.forms import EMAIL_MAX, LinkForm
from testimonials.share.views import csrf_expired, submission_for


@bp.post("/my/<token>/send-link")
def send_link(token: str) -> ResponseReturnValue:
    """The link mailed once the page is sent (a slow mail server never holds the patient)."""
    submission = submission_for(token)
    form = LinkForm()
    form.validate()
    address = valid_address(form.email.data)
    if csrf_expired(form) or address is None:
        message = (_("Your session expired, please send the form again.") if csrf_expired(form)
                   else _("Enter an e-mail address like name@example.com."))
        form.email.errors = [message]
        return render_template("share/receipt.html", submission=submission, link_form=form,
                               link=url_for(".status", token=token, _external=True),
                               status_href=url_for(".status", token=token),
                               errors=[("link-email", message)]), 400
    mail = link_mail(address, notify.link(current_app.config, url_for(".status", token=token)),
                     current_app.config)
    response = redirect(url_for(".receipt", token=token), 303)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    response.call_on_close(partial(deliver, app, mail))
    flash(_("We are sending the link to the address you gave. We have not kept the address."))
    return response


def valid_address(typed: object) -> str | None:
    if not isinstance(typed, str) or not typed.strip() or len(typed) > EMAIL_MAX:
        return None
    try:
        return validate_email(typed.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def link_mail(address: str, link: str, config: Any) -> notify.Mail:
    """The message: the link and what it is for; no story text."""
    site = instance_text("SITE_NAME")
    body = "\n\n".join([
        _("Here is the private link to your story on %(site)s:", site=site), link,
        _("With it you can see your story's status, change it while it waits, or take it back. "
          "Anyone who has the link can do the same, so keep this message private."),
    ]) + "\n"
    return notify.Mail((address,), _("Your private link on %(site)s", site=site), body)


def deliver(app: Flask, mail: notify.Mail) -> None:
    """Send after the response; never raises, and logs nothing about the address or link."""
    try:
        with app.app_context():
            notify.send(mail, app.config)
    except Exception as error:  # noqa: BLE001 - the patient has the link on the page anyway
        app.logger.warning("private link mail not sent (%s)", type(error).__name__)
