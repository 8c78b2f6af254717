"""What moderators add to an item besides a decision: internal notes and themes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.bounds import database_int
from testimonials.models import Submission, utcnow
from testimonials.moderate import bp, queue
from testimonials.moderate.access import current_account
from testimonials.moderate.review_views import page_context
from testimonials.services import annotations as item_annotations

NOTE_ERRORS = {"note_missing": _l("Write the note first."),
               "note_too_long": _l("A note must be 2,000 characters or fewer.")}


def _item(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    return submission


def _back(submission_id: int, filters: queue.Filters, anchor: str) -> Response:
    return redirect(url_for("moderate.review_page", submission_id=submission_id,
                            **filters.as_args()) + anchor)


@bp.post("/<int:submission_id>/notes")
def add_note(submission_id: int) -> Response | tuple[str, int]:
    filters = queue.parse_filters(request.form.to_dict())
    try:
        with db.writing() as session:
            item_annotations.add_note(session, _item(session, submission_id),
                                      current_account().account, utcnow(),
                                      request.form.get("note", ""))
    except item_annotations.NoteError as error:
        context = page_context(_item(db.session(), submission_id), filters,
                               note_form=request.form.get("note", ""))
        context["errors"] = {"note": NOTE_ERRORS[error.code]}
        return render_template("moderate/review.html", **context), 400
    flash(_("Note added to #%(id)s.", id=submission_id), "success")
    return _back(submission_id, filters, "#notes")


@bp.post("/<int:submission_id>/themes")
def set_themes(submission_id: int) -> Response:
    filters = queue.parse_filters(request.form.to_dict())
    chosen = {value for value in (database_int(raw) for raw in request.form.getlist("theme"))
              if value is not None}
    with db.writing() as session:
        changed = item_annotations.set_themes(session, _item(session, submission_id),
                                                   current_account().account, utcnow(), chosen)
    if changed:
        flash(_("Themes of #%(id)s saved.", id=submission_id), "success")
    return _back(submission_id, filters, "#themes")
