"""Reviewing one item and deciding it: approve, reject, spam, unpublish, back to the queue."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import db, lifecycle, runtime_settings
from testimonials.bounds import database_int
from testimonials.flags import identifying, looks_personal_clinic
from testimonials.lifecycle import Action
from testimonials.models import (
    Account,
    AuditEntry,
    Facility,
    Region,
    RejectionReason,
    Submission,
    utcnow,
)
from testimonials.moderate import bp, labels, queue, review
from testimonials.moderate.access import current_account
from testimonials.services import annotations as item_annotations
from testimonials.services import audit, claims, duplicates, moderation
from testimonials.share.pages import length_text
from testimonials.vocab import Status

MESSAGES = {
    "story_missing": _l("Enter the public version of the story."),
    "story_too_long": _l("The public version must be 10,000 characters or fewer."),
    "title_too_long": _l("The public title must be 120 characters or fewer."),
    "reason_missing": _l("Enter the reason the patient will read."),
    "reason_too_long": _l("The reason must be 2,000 characters or fewer."),
    "not_open": _l("This item is no longer open for approval."),
    "not_pending": _l("This item has already been decided."),
    "not_published": _l("This story is not published."),
    "not_requeueable": _l("This item cannot go back to the queue: it was withdrawn or erased."),
}
PUBLISH_NOTES = {
    "publishes": _l("Approving publishes this story."),
    "no_consent": _l("The patient did not agree to publication: approving keeps it off "
                     "the site."),
    "unpublished": _l("This story was unpublished: saving the public version keeps it off "
                      "the site."),
}
# What the moderator is told when the item changed while they read it (review.conflict_kind).
CONFLICTS = {
    "patient_edit": (
        _l("The patient changed this story while you were reviewing it; here is the new version"),
        _l("Nothing you entered was saved. What you typed is kept below: check it against the "
           "patient’s new words before you decide again.")),
    "changed": (
        _l("This item changed while you were reviewing it; here is the new version"),
        _l("Nothing you entered was saved. What you typed is kept below: check it against the "
           "item as it is now before you decide again.")),
    "withdrawn": (
        _l("The patient withdrew this story while you were reviewing it"),
        _l("Nothing you entered was saved, and there is nothing left to decide.")),
    "decided": (
        _l("Someone else decided this item while you were reading"),
        _l("Nothing you entered was saved, and nothing they did was overwritten. This is the "
           "item as it is now; what you typed is kept here.")),
}
FIELD_OF = {"story_missing": "public_story", "story_too_long": "public_story",
            "title_too_long": "public_title", "reason_missing": "reason",
            "reason_too_long": "reason"}
NOTHING_UNCLAIMED = _l("Every item here is decided or being reviewed by someone else.")
DONE = {"approve": _l("Approved #%(id)s."),
        "edit_public": _l("Saved the public version of #%(id)s."),
        "reject": _l("Rejected #%(id)s."), "spam": _l("Marked #%(id)s as spam."),
        "unpublish": _l("Unpublished #%(id)s."), "requeue": _l("Returned #%(id)s to the queue.")}


def page_context(submission: Submission, filters: queue.Filters,
                 form: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    session = db.session()
    place = session.execute(select(Facility.name, Facility.city, Region.name)
                            .join(Region, Region.id == Facility.region_id)
                            .where(Facility.id == submission.facility_id)).first()
    at = queue.Position(submission.is_urgent, submission.created_at, submission.id)
    pending = submission.status is Status.PENDING
    history = session.scalars(select(AuditEntry).where(AuditEntry.submission_id == submission.id)
                              .order_by(AuditEntry.id.desc()).limit(20)).all()
    story_matches = review.matches(submission.original_story or "")
    title_matches = review.matches(submission.original_title or "")
    form = form or default_form(submission)
    return {
        "item": submission, "filters": filters, "form": form, "errors": {}, "place": place,
        # The version the moderator read; a re-rendered form passes the one it was sent.
        "version": submission.version,
        "title_segments": review.segments(submission.original_title, title_matches),
        "story_segments": review.segments(submission.original_story, story_matches),
        "found": title_matches + story_matches, "flags": review.flag_list(submission.flags),
        "waits": review.wait_lines(submission, runtime_settings.get("WAIT_STANDARDS"),
                                   length_text),
        "answers": review.answers(submission), "history": history,
        "publish_note": publish_note(submission),
        "other_clinic_personal": looks_personal_clinic(submission.facility_other),
        "can_requeue": lifecycle.allowed(submission.stage, Action.REQUEUE),
        "status_label": labels.STATUS[submission.status], "match_labels": labels.MATCH,
        "consent_labels": labels.CONSENT, "action_labels": labels.ACTION,
        "next_id": claims.next_unclaimed(session, filters, current_account().account.id,
                                         utcnow(), after=at) if pending else None,
        "previous_id": queue.neighbour(session, filters, at, later=False) if pending else None,
        "notes": item_annotations.notes(session, submission.id), "note_form": "",
        "themes": item_annotations.all_themes(session),
        "chosen_themes": item_annotations.theme_ids(session, submission.id),
        "near_duplicate": duplicates.earlier_of(session, submission.id),
        "reasons": session.scalars(select(RejectionReason)
                                   .where(RejectionReason.retired.is_(False))
                                   .order_by(RejectionReason.id)).all() if pending else [],
        **extra,
    }


def default_form(submission: Submission) -> dict[str, str]:
    """The decision forms as a moderator first sees them."""
    return {
        "public_title": submission.public_title or submission.original_title or "",
        "public_story": submission.public_story or submission.original_story or "",
        "reason": "", "reason_id": "",
    }


def publish_note(submission: Submission) -> str:
    """What approving (or saving) does to the story's place on the public site."""
    if not submission.consent_publish:
        return str(PUBLISH_NOTES["no_consent"])
    if submission.status is Status.APPROVED and submission.published_at is None:
        return str(PUBLISH_NOTES["unpublished"])
    return str(PUBLISH_NOTES["publishes"])


def _load(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    return submission


def _claim_minutes() -> float:
    return float(current_app.config["MODERATION_CLAIM_MINUTES"])


@bp.get("/<int:submission_id>")
def review_page(submission_id: int) -> str | tuple[str, int]:
    """The item, claimed for the reader while it is pending; if someone else holds it, a
    warning first: the moderator chooses to continue (take over) or to move on."""
    filters = queue.parse_filters(request.args.to_dict())
    session, now, me = db.session(), utcnow(), current_account().account
    submission = _load(session, submission_id)
    # Opening the page claims it; a HEAD (a link checker, a prefetch) opens nothing.
    claiming = submission.status is Status.PENDING and request.method == "GET"
    if claiming:
        other = _claim(submission_id, me, now)
        submission = _load(session, submission_id)
        if other is not None:
            return _claimed_by_other(submission, other, filters, now)
    return render_template("moderate/review.html", **page_context(submission, filters))


def _claim(submission_id: int, me: Account, now: Any) -> claims.Holder | None:
    """The item claimed for me if it is still pending; None, or the other moderator reading it.

    Claiming writes: on SQLite the write lock is taken at BEGIN, so the item is read again in
    the writing block (a decided item is only read, and takes no lock).
    """
    try:
        with db.writing(after_reads=True) as session:
            if _load(session, submission_id).status is not Status.PENDING:
                return None
            other = claims.holder(session, submission_id, now)
            if other is not None and other.account_id != me.id:
                return other
            claims.claim(session, submission_id, me, now, _claim_minutes())
    except IntegrityError:  # another moderator claimed it at the same moment
        other = claims.holder(db.session(), submission_id, now)
        if other is not None and other.account_id != me.id:
            return other
    return None


def _claimed_by_other(submission: Submission, other: claims.Holder, filters: queue.Filters,
                      now: Any) -> tuple[str, int]:
    """A question, not an error: the moderator chooses to move on or to take the item over."""
    minutes_left = max(1, int((other.expires_at - now).total_seconds() // 60) + 1)
    return render_template("moderate/claimed.html", item=submission, holder=other,
                           filters=filters, minutes_left=minutes_left), 200


@bp.post("/<int:submission_id>/claim")
def take_over(submission_id: int) -> Response:
    """The moderator chose to continue on an item someone else was reading: now theirs."""
    filters = queue.parse_filters(request.form.to_dict())
    with db.writing() as session:
        if _load(session, submission_id).status is Status.PENDING:
            claims.claim(session, submission_id, current_account().account, utcnow(),
                         _claim_minutes())
    return redirect(url_for("moderate.review_page", submission_id=submission_id,
                            **filters.as_args()))


@bp.get("/next")
def next_unclaimed() -> Response:
    """The first item in queue order (with the queue's filters) that no one else is reading."""
    filters = queue.parse_filters(request.args.to_dict())
    found = claims.next_unclaimed(db.session(), filters, current_account().account.id,
                                  utcnow())
    if found is None:
        flash(str(NOTHING_UNCLAIMED), "info")
        return redirect(url_for("moderate.queue_page", **filters.as_args()))
    return redirect(url_for("moderate.review_page", submission_id=found, **filters.as_args()))


def _version() -> int | None:
    return database_int(request.form.get("version", ""))


def _needs_confirmation(submission: Submission, form: dict[str, str]) -> bool:
    """A story about to be published still has what looks like personal data, unconfirmed
    (a record label left after a redaction, with no number, is not personal data)."""
    return (submission.consent_publish and not request.form.get("confirm_personal_data")
            and bool(identifying(form["public_title"] + "\n" + form["public_story"])))


def _apply(action: str, submission: Submission, form: dict[str, str]) -> None:
    session, now, moderator = db.session(), utcnow(), current_account().account
    version = _version()
    if action in ("approve", "edit_public"):
        step = moderation.approve if action == "approve" else moderation.edit_public
        step(session, submission, moderator, now, version=version,
             title=form["public_title"], story=form["public_story"])
    elif action == "reject":
        moderation.reject(session, submission, moderator, now, version=version,
                          reason=_reason_text(submission, form))
    elif action == "spam":
        moderation.mark_spam(session, submission, moderator, now, version=version)
    elif action == "unpublish":
        moderation.unpublish(session, submission, moderator, now, version=version,
                             note=form["reason"])
    elif action == "requeue":
        moderation.check_version(submission, version)
        moderation.return_to_queue(session, submission, now, moderator)
    else:
        abort(400)


def _reason_text(submission: Submission, form: dict[str, str]) -> str:
    """The reason the patient reads: a reusable one in their language, or the words typed."""
    reason_id = database_int(form.get("reason_id", ""))
    reason = db.session().get(RejectionReason, reason_id) if reason_id is not None else None
    if reason is not None and not reason.retired and not form["reason"].strip():
        return reason.text_for(submission.language.value)
    return form["reason"]


def _field(code: str, action: str) -> str:
    """The id of the field a message belongs to: the error summary links to it."""
    field = FIELD_OF.get(code, "form")
    # Unpublishing has a reason box of its own (the reject form is not on a published item).
    return "unpublish-reason" if field == "reason" and action == "unpublish" else field


def _refused(submission_id: int, filters: queue.Filters, form: dict[str, str],
             error: Exception, action: str) -> tuple[str, int]:
    """The page again, as the item now is, saying why nothing was saved."""
    fresh = _load(db.session(), submission_id)
    if isinstance(error, moderation.Conflict):
        return _conflict(fresh, filters), 409
    code = getattr(error, "code", "not_open")
    # The posted version, not the fresh one: a change made meanwhile must still be noticed.
    context = page_context(fresh, filters, form, version=_version())
    context["errors"] = {_field(code, action): MESSAGES[code]}
    return render_template("moderate/review.html", **context), 400


def _conflict(fresh: Submission, filters: queue.Filters) -> str:
    """The item as it is now, saying what happened, with what the moderator typed kept: in the
    form's fields, and (for a field the page no longer offers) in the notice itself."""
    last_actor = db.session().scalar(
        select(AuditEntry.actor_label).where(AuditEntry.submission_id == fresh.id)
        .order_by(AuditEntry.id.desc()).limit(1))
    kind = review.conflict_kind(fresh.status, last_actor, audit.PATIENT)
    defaults = default_form(fresh)
    form = review.typed_form(defaults, request.form)
    offered = review.fields_offered(fresh)
    kept = [(labels.KEPT[key], form[key]) for key in ("reason", "public_story")
            if key not in offered and form[key].strip() and form[key] != defaults[key]]
    heading, text = CONFLICTS[kind]
    # The version now shown: deciding again, having seen it, goes through.
    return render_template("moderate/review.html", **page_context(
        fresh, filters, form, conflict={"heading": heading, "text": text, "kept": kept}))


def _confirmation(submission: Submission, filters: queue.Filters,
                  form: dict[str, str]) -> tuple[str, int]:
    """The page again, asking whether to approve with what looks like personal data."""
    # A question, not an error: nothing was refused yet.
    return render_template("moderate/review.html", **page_context(
        submission, filters, form, version=_version(), confirm_personal_data=True)), 200


def _after(action: str, submission_id: int, following: int | None,
           filters: queue.Filters) -> Response:
    """Where a moderator goes after a decision: the next item, the queue, or this item."""
    if action in ("approve", "reject", "spam") and following is not None:
        return redirect(url_for("moderate.review_page", submission_id=following,
                                **filters.as_args()))
    if action in ("approve", "reject", "spam"):
        return redirect(url_for("moderate.queue_page", **filters.as_args()))
    return redirect(url_for("moderate.review_page", submission_id=submission_id,
                            **filters.as_args()))


class _AskFirst(Exception):
    """Approving needs the moderator's confirmation first (what looks like personal data)."""


@bp.post("/<int:submission_id>/decide")
def decide(submission_id: int) -> Response | tuple[str, int]:
    filters = queue.parse_filters(request.form.to_dict())
    form = {key: request.form.get(key, "")
            for key in ("public_title", "public_story", "reason", "reason_id")}
    action = request.form.get("action", "")
    try:
        with db.writing() as session:
            submission = _load(session, submission_id)
            if action == "approve" and submission.status is Status.APPROVED:
                action = "edit_public"
            at = queue.Position(submission.is_urgent, submission.created_at, submission.id)
            # Before any question: a confirmation must not be asked of (and carry) a newer
            # version than the moderator read, or "approve as it is" would overwrite it.
            moderation.check_version(submission, _version())
            if action == "approve" and _needs_confirmation(submission, form):
                raise _AskFirst
            following = claims.next_unclaimed(session, filters, current_account().account.id,
                                              utcnow(), after=at)
            _apply(action, submission, form)
            if submission.status is not Status.PENDING:
                claims.release(session, [submission_id])
    except _AskFirst:  # asked with the lock released; nothing was written
        return _confirmation(_load(db.session(), submission_id), filters, form)
    except (moderation.Conflict, moderation.ModerationError) as error:
        return _refused(submission_id, filters, form, error, action)
    # Flask keeps any JSON value as a message (the template reads both keys); its stub says str.
    flash({"text": str(DONE[action]) % {"id": submission_id}, "item": submission_id},  # type: ignore[arg-type]
          "success")
    return _after(action, submission_id, following, filters)
