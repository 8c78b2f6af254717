"""The journey's last page: check your answers, then Send (stored once, the draft erased); and
what a single POST of the whole story (POST /share, POST /my/<token>/edit) gets when it cannot
be taken: its answers as a draft on this page with each message linked to its question page,
or, when only the token was stale or the limit reached, a page that sends them again as typed.
"""

from __future__ import annotations

from typing import Any

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.extensions import csrf
from testimonials.flags import has_personal_data
from testimonials.models import Draft
from testimonials.services import drafts, submissions
from testimonials.share import answers_list, bp, limits, steps
from testimonials.share.journey import (
    NEW_STORY,
    Flow,
    crisis_of,
    current_draft,
    form_of,
    new_draft,
    options,
    retention,
    robot,
    with_cookie,
)
from testimonials.share.reading import error_summary, read_share_form
from testimonials.share.views import (
    Refused,
    StoryRefused,
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
        return render_check(NEW_STORY, draft.answers, [])
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
        return render_check(NEW_STORY, answers_now, errors_by_page(NEW_STORY, form),
                            status=status)
    checked = submissions.check(answers, db.session())  # before the write lock
    token = submissions.form_token(secret_key(), str(answers_now.get("nonce", "")),
                                   JOURNEY_FINGERPRINT)
    hashed = draft.id_hash
    places = limits.places(limits.SUBMIT)
    try:
        # The story stored (on disk before the receipt), the draft erased.
        with db.writing(after_reads=True, durable=True) as session:
            receipt = write_story(session, answers, checked, token, places)
            drafts.discard(session, hashed)
    except StoryRefused as refused:
        if refused.reason is Refused.RETIRED:
            return render_check(NEW_STORY, answers_now, retired_error(NEW_STORY))
        return render_check(NEW_STORY, answers_now, [], status=429)
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


def retired_error(flow: Flow | None) -> list[tuple[str, str]]:
    flow = flow or NEW_STORY
    return [(flow.step_url(steps.WHERE, change=True) + "#facility",
             _("Choose a clinic from the list, or \u201cOther / not listed\u201d."))]


def errors_by_page(flow: Flow, form: Any) -> list[tuple[str, str]]:
    """Each message linked to the page (and field) that changes it."""
    found: list[tuple[str, str]] = []
    for target, message in error_summary(form):
        if target == "send":
            found.append(("#send", message))
            continue
        name = target.removesuffix("-0")
        page = next((step for step, names in steps.FIELDS.items() if name in names), steps.STORY)
        found.append((flow.step_url(page, change=True) + "#" + target, message))
    return found


def render_check(flow: Flow, answers: dict[str, Any], errors: list[tuple[str, str]], *,
                 status: int = 200) -> tuple[str, int]:
    labels = {str(value): label for group in options(flow).groups.values()
              for value, label in group}
    rows = [(row, flow.step_url(row.step, change=True) + "#" + row.field)
            for row in answers_list.rows(answers, labels)]
    return render_template("share/check.html", rows=rows, errors=errors,
                           crisis=crisis_of(answers), limited=status == 429,
                           editing=flow.editing, action=flow.check_url(),
                           back=flow.step_url(steps.sequence(answers)[-1]),
                           discard=url_for(".edit_discard", token=flow.token) if flow.editing
                           else url_for(".discard"),
                           personal=has_personal_data(steps.typed_text(answers)),
                           change_story=flow.step_url(steps.STORY, change=True) + "#story",
                           nonce=answers.get("nonce", ""),
                           form=form_of({}, token=False)), status


def posted_answers() -> dict[str, Any]:
    """Every answer of a single POST of the whole story, raw, as a draft keeps them."""
    answers: dict[str, Any] = {}
    for step in steps.ALL_STEPS:
        answers.update(steps.posted_values(step, request.form))
    nonce = request.form.get("nonce", "")
    return {**answers, **({"nonce": nonce} if nonce else {})}


def refused_post(flow: Flow | None, form: Any, *, status: int = 200,
                 errors: list[tuple[str, str]] | None = None) -> ResponseReturnValue:
    """A single POST that cannot be taken, its answers never lost.

    With a stale token (400) or the limit reached (429) nothing is written: the answers come
    back as typed on a page that sends them again. Otherwise they become a draft shown on the
    check page, each message linked to the question page that changes it.
    """
    flow = flow or NEW_STORY
    answers = posted_answers()
    if status == 200 and csrf_expired(form):
        status = 400
    if status != 200:
        return render_template(
            "share/resend.html", answers=_hidden(answers), status=status,
            errors=[("#send", message) for target, message in error_summary(form)
                    if target == "send"],
            crisis=crisis_of(answers), action=request.path, editing=flow.editing,
            form=form_of({}, token=False)), status
    with db.writing(after_reads=True):
        raw_id, _draft = new_draft(answers, flow)
    page, code = render_check(flow, answers, errors if errors is not None
                              else errors_by_page(flow, form))
    return with_cookie(make_response(page, code), raw_id, flow)


def _hidden(answers: dict[str, Any]) -> list[tuple[str, str]]:
    return [(name, item) for name, value in answers.items()
            for item in (value if isinstance(value, list) else [value])
            if isinstance(item, str) and item != ""]
