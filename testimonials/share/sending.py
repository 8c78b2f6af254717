"""The journey's last page: check your answers, then Send (stored once, the draft erased)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.extensions import csrf
from testimonials.flags import find_personal_data
from testimonials.models import Draft
from testimonials.services import drafts, submissions
from testimonials.share import answers_list, bp, steps
from testimonials.share.journey import (
    crisis_of, current_draft, form_of, options, retention, robot, with_cookie,
)
from testimonials.share.reading import error_summary, read_share_form
from testimonials.share.views import (
    Refused,
    csrf_expired,
    secret_key,
    today,
    write_story,
)

# The receipt token of a draft's story is worked out from the draft's nonce alone, so that a
# second tap on Send, arriving after the first erased the draft, still finds its receipt.
JOURNEY_FINGERPRINT = "journey"


@bp.route("/share/check", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so that an expired token never loses the story
def check() -> ResponseReturnValue:
    """Every answer with a "Change" link; a POST sends the story."""
    draft = current_draft()
    if request.method != "POST":
        if draft is None:
            return redirect(url_for(".start_page"), 303)
        return render_check(draft.answers, [])
    if draft is None:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # 400 without a good token (nothing typed here to keep)
        return sent_before()
    if request.form.get("website", "").strip():
        return robot()
    return send(draft)


def send(draft: Draft) -> ResponseReturnValue:
    """The story stored once and committed, the draft erased; the patient sent to the receipt."""
    answers_now = dict(draft.answers)
    form = form_of(steps.for_sending(answers_now), token=True)
    choices = options()
    answers = read_share_form(form, choices.ids, today())
    if answers is None:
        status = 400 if csrf_expired(form) else 200
        return render_check(answers_now, errors_by_page(form, answers_now), status=status)
    checked = submissions.check(answers)
    token = submissions.form_token(secret_key(), str(answers_now.get("nonce", "")),
                                   JOURNEY_FINGERPRINT)
    written = write_story(answers, checked, token)
    if written is Refused.RETIRED:
        return render_check(answers_now, [(url_for(".step", step=steps.WHERE) + "#facility",
                                          _("Choose a clinic from the list, or \u201cOther / "
                                            "not listed\u201d."))])
    if written is Refused.LIMITED:
        return render_check(answers_now, [], status=429)
    receipt = written
    session = db.session()
    drafts.discard(session, draft.id_hash)
    session.commit()
    if receipt.is_recent_duplicate:
        return with_cookie(redirect(url_for(".duplicate"), 303), None)
    # An urgent story's alert goes out once this response is sent (testimonials.alerts).
    return with_cookie(redirect(url_for(".receipt", token=receipt.token), 303), None)


def sent_before() -> Response:
    """Send pressed again after the story was stored: its receipt, or the start page."""
    nonce = request.form.get("nonce", "")
    token = submissions.form_token(secret_key(), nonce, JOURNEY_FINGERPRINT)
    if token is not None and submissions.find_by_token(db.session(), token) is not None:
        return with_cookie(redirect(url_for(".receipt", token=token), 303), None)
    flash(_("Your answers are kept for %(hours)s hours, or until you close the browser. "
            "Please start again.", hours=int(retention().total_seconds() // 3600)))
    return with_cookie(redirect(url_for(".start_page"), 303), None)


def errors_by_page(form: Any, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Each message linked to the page (and field) that changes it."""
    found: list[tuple[str, str]] = []
    for target, message in error_summary(form):
        if target == "send":
            found.append(("#send", message))
            continue
        name = target.removesuffix("-0")
        page = next((step for step, names in steps.FIELDS.items() if name in names), steps.STORY)
        found.append((url_for(".step", step=page, change=1) + "#" + target, message))
    return found


def render_check(answers: dict[str, Any], errors: list[tuple[str, str]], *,
                 status: int = 200) -> tuple[str, int]:
    labels = {str(value): label for group in options().groups.values()
              for value, label in group}
    rows = [(row, url_for(".step", step=row.step, change=1) + "#" + row.field)
            for row in answers_list.rows(answers, labels)]
    return render_template("share/check.html", rows=rows, errors=errors,
                           crisis=crisis_of(answers), limited=status == 429,
                           back=url_for(".step", step=steps.sequence(answers)[-1]),
                           personal=bool(find_personal_data(steps.typed_text(answers))),
                           nonce=answers.get("nonce", ""),
                           form=form_of({}, token=False)), status

