"""The patient's private pages under /my/<token>: status, wait ended, complaint, withdraw (the
edit is the journey's, in share/editing.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from testimonials import db, runtime_settings, scrub
from testimonials.extensions import csrf
from testimonials.models import Submission, utcnow
from testimonials.services import submissions
from testimonials.share import bp, pages
from testimonials.share.forms import OPTIONS, ConfirmForm, WaitEndedForm
from testimonials.share.reading import error_summary, read_ended_form
from testimonials.share.views import csrf_expired, submission_for
from testimonials.vocab import Status

CITATION = "28 CCR 1300.67.2.2; California Health and Safety Code 1367.03"


@bp.get("/my/<token>")
def status(token: str) -> str:
    submission = submission_for(token)
    standards = runtime_settings.get("WAIT_STANDARDS")
    return render_template("share/status.html", submission=submission, token=token,
                           heading=pages.heading(submission),
                           taken_down=pages.taken_down(submission),
                           summary=pages.summary(db.session(), submission, standards),
                           actions=pages.actions(submission),
                           regulator=runtime_settings.get("REGULATOR"))


@bp.route("/my/<token>/wait-ended", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so that an expired token never loses the answer
def wait_ended(token: str) -> ResponseReturnValue:
    submission = submission_for(token)
    waiting = {wait.kind: wait.days or 0 for wait in submissions.waiting(submission)}
    if not waiting or submission.status is Status.WITHDRAWN:
        return redirect(url_for(".status", token=token), 303)
    form = WaitEndedForm()
    ended = read_ended_form(form, waiting) if form.is_submitted() else None
    if ended is None:
        return render_wait_ended(form, token, submission)
    try:
        with db.writing(after_reads=True) as session:  # the story read again, under the lock
            submissions.report_waits_ended(session, submission, ended, utcnow())
    except (StaleDataError, submissions.SubmissionError):  # a moderator acted at that moment
        return redirect(url_for(".wait_ended", token=token), 303)
    flash(_("Thank you. The statistics will count your wait as ended from their next release."))
    return redirect(url_for(".status", token=token), 303)


def render_wait_ended(form: WaitEndedForm, token: str,
                      submission: Submission) -> tuple[str, int]:
    """The form with what was typed and its messages; 400 when only the token was wrong."""
    rows = [(form.wait_fields(wait.kind), pages.wait_row(wait, submission.care_types, {}))
            for wait in submissions.waiting(submission)]
    status = 400 if csrf_expired(form) else 200
    return render_template("share/wait_ended.html", form=form, token=token, options=OPTIONS,
                           errors=error_summary(form), rows=rows), status


@bp.get("/my/<token>/complaint")
def complaint(token: str) -> ResponseReturnValue:
    submission = submission_for(token)
    if submission.status is Status.WITHDRAWN:
        return redirect(url_for(".status", token=token), 303)
    standards = runtime_settings.get("WAIT_STANDARDS")
    return render_template("share/complaint.html", submission=submission, token=token,
                           summary=pages.summary(db.session(), submission, standards,
                                                 with_consents=False),
                           standards=pages.standards_list(standards),
                           citation=current_app.config.get("STANDARDS_CITATION", CITATION),
                           regulator=runtime_settings.get("REGULATOR"))


@bp.route("/my/<token>/withdraw", methods=["GET", "POST"])
@csrf.exempt  # checked here, so that an expired token is answered with the page and a message
def withdraw(token: str) -> ResponseReturnValue:
    submission = submission_for(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        withdraw_now(token)
        return redirect(url_for(".status", token=token), 303)
    if submission.status is Status.WITHDRAWN:
        return redirect(url_for(".status", token=token), 303)
    status = 400 if csrf_expired(form) else 200
    return render_template("share/withdraw.html", form=form, token=token,
                           errors=error_summary(form)), status


def withdraw_now(token: str) -> None:
    """Withdraw, trying again once if a moderator changed the item at that very moment."""
    for attempt in (1, 2):
        try:
            with db.writing(after_reads=True) as session:  # read again, under the lock
                submissions.withdraw(session, submission_for(token), utcnow())
            scrub.after_erasure(db.engine())
            return
        except StaleDataError:
            if attempt == 2:
                raise
