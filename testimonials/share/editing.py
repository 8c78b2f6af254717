"""The patient's edit at /my/<token>/edit: check your answers (the story as stored), each
"Change" a journey question page prefilled from it, then Save. A single POST of the whole story
to /my/<token>/edit (scripts, the tests) saves at once, as POST /share sends at once.

Only a checked POST writes: the first changed page starts the edit's draft, which has its own
cookie, sent to /my/<token>/edit only, and belongs to that story alone; it is erased on Save
and on "cancel", else purged with the others.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.extensions import csrf
from testimonials.models import Draft, Submission, utcnow
from testimonials.services import drafts, submissions
from testimonials.share import bp, steps
from testimonials.share.forms import ShareForm, answers_from
from testimonials.share.journey import (
    STEP_NAMES,
    Flow,
    current_draft,
    form_of,
    options,
    step_page,
    with_cookie,
)
from testimonials.share.reading import read_share_form
from testimonials.share.sending import errors_by_page, refused_post, render_check
from testimonials.share.views import csrf_expired, submission_for, today


def flow_of(token: str, submission: Submission) -> Flow:
    return Flow(token=token, submission_id=submission.id, facility_id=submission.facility_id)


def editable(token: str) -> tuple[Submission, Flow] | Response:
    """The story and its edit's pages, or the way back to its page when it cannot change."""
    submission = submission_for(token)
    if not submissions.can_edit(submission):
        return redirect(url_for_status(token), 303)
    return submission, flow_of(token, submission)


def url_for_status(token: str) -> str:
    return url_for(".status", token=token)


@bp.route("/my/<token>/edit", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so that an expired token never loses an edit
def edit(token: str) -> ResponseReturnValue:
    """GET: the answers (as stored, or as changed so far) to check; POST: the whole story."""
    found = editable(token)
    if isinstance(found, Response):
        return found
    submission, flow = found
    if request.method == "POST":
        return save_all(submission, flow)
    draft = current_draft(flow)
    return render_check(flow, draft.answers if draft else answers_from(submission), [])


@bp.route(f"/my/<token>/edit/<{STEP_NAMES}:step>", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so that an expired token never loses an answer
def edit_step(token: str, step: str) -> ResponseReturnValue:
    found = editable(token)
    if isinstance(found, Response):
        return found
    submission, flow = found
    return step_page(flow, step, stored=answers_from(submission))


@bp.route("/my/<token>/edit/check", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so that an expired token never loses the edit
def edit_check(token: str) -> ResponseReturnValue:
    """Every answer with a "Change" link; a POST saves the edit."""
    found = editable(token)
    if isinstance(found, Response):
        return found
    submission, flow = found
    draft = current_draft(flow)
    if request.method != "POST":
        return render_check(flow, draft.answers if draft else answers_from(submission), [])
    if draft is None:  # nothing changed, or the changes expired: the story as it is
        return redirect(url_for_status(token), 303)
    return save_draft(submission, flow, draft)


@bp.post("/my/<token>/edit/discard")
def edit_discard(token: str) -> ResponseReturnValue:
    """The edit given up: its draft erased, the story as it was."""
    with db.writing() as session:
        submission = submission_for(token)
        flow = flow_of(token, submission)
        draft = current_draft(flow)
        if draft is not None:
            drafts.discard(session, draft.id_hash)
    return with_cookie(redirect(url_for_status(token), 303), None, flow)


def save_draft(submission: Submission, flow: Flow, draft: Draft) -> ResponseReturnValue:
    answers_now, hashed = dict(draft.answers), draft.id_hash
    form = form_of(steps.for_sending(answers_now), token=True)
    answers = read_share_form(form, options(flow).ids, today())
    if answers is None:
        return render_check(flow, answers_now, errors_by_page(flow, form),
                            status=400 if csrf_expired(form) else 200)
    if not write(submission, answers):
        return render_check(flow, answers_now, [("#send", conflict_message())])
    with db.writing() as session:  # write() committed the edit; now its draft goes
        drafts.discard(session, hashed)
    return with_cookie(redirect(url_for_status(flow.token or ""), 303), None, flow)


def save_all(submission: Submission, flow: Flow) -> ResponseReturnValue:
    form = ShareForm()
    answers = read_share_form(form, options(flow).ids, today())
    if answers is None:
        return refused_post(flow, form)
    if not write(submission, answers):
        return refused_post(flow, form, errors=[("#send", conflict_message())])
    return redirect(url_for_status(flow.token or ""), 303)


def write(submission: Submission, answers: Any) -> bool:
    """The edit saved and committed (a flash says so when it changed anything); False when a
    moderator acted on the story at that very moment."""
    try:
        with db.writing(after_reads=True) as session:  # the story read again, under the lock
            changed = submissions.edit(session, submission, answers, utcnow())
    except (StaleDataError, submissions.SubmissionError):
        return False
    if changed:
        flash(_("Your changes are saved. A moderator will read your story again."))
    return True


def conflict_message() -> str:
    return _("Your story changed while you were editing it. Please check your answers and save "
             "again.")
