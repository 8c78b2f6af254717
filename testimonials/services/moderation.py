"""Moderators' decisions: approve (with the edited public text), reject, spam, unpublish.

Every decision checks the version the moderator was reading: if someone else decided the
item meanwhile, it raises Conflict and changes nothing. Every decision keeps the statistics
exact (keep_stats_current) and writes an audit entry with the fields before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from testimonials import caching, lifecycle
from testimonials.lifecycle import Action
from testimonials.models import Account, Submission
from testimonials.services import audit, urgency
from testimonials.services.statistics import keep_stats_current
from testimonials.text import clean
from testimonials.vocab import Status

TITLE_MAX = 120
STORY_MAX = 10_000
REASON_MAX = 2_000
# The fields a decision can change, as the audit log records them.
AUDITED = ("status", "public_title", "public_story", "published_at", "decision_reason",
           "counted_in_stats")


class Conflict(Exception):
    """Someone else decided this item while the moderator was reading it."""


class ModerationError(ValueError):
    """The decision cannot be made as asked; `code` says why (for the form's message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def snapshot(submission: Submission) -> dict[str, Any]:
    """The audited fields as they are now."""
    return {name: getattr(submission, name) for name in AUDITED}


def require(submission: Submission, action: Action, code: str) -> None:
    """Raise ModerationError(`code`) unless the item's life allows `action` now."""
    if not lifecycle.allowed(submission.stage, action):
        raise ModerationError(code)


def check_version(submission: Submission, version: int | None) -> None:
    """Raise Conflict unless the moderator read the version that is current."""
    if version is None or submission.version != version:
        raise Conflict()


def public_text(title: str | None, story: str | None) -> tuple[str | None, str]:
    """The edited public title and story, cleaned; raises ModerationError when unusable."""
    cleaned_title = clean(title)
    cleaned_story = clean(story)
    if not cleaned_story:
        raise ModerationError("story_missing")
    if len(cleaned_story) > STORY_MAX:
        raise ModerationError("story_too_long")
    if len(cleaned_title) > TITLE_MAX:
        raise ModerationError("title_too_long")
    return cleaned_title or None, cleaned_story


def approve(session: Session, submission: Submission, moderator: Account, now: dt.datetime,
            *, version: int | None, title: str | None, story: str | None) -> Submission:
    """Approve a pending item with this public text: published only with consent, counted
    only with consent."""
    return _set_public(session, submission, moderator, now, Action.APPROVE, version=version,
                       title=title, story=story)


def edit_public(session: Session, submission: Submission, moderator: Account,
                now: dt.datetime, *, version: int | None, title: str | None,
                story: str | None) -> Submission:
    """A new public text for an approved item, left published or unpublished as it was
    (saving an unpublished story's text does not put it back online)."""
    return _set_public(session, submission, moderator, now, Action.EDIT_PUBLIC,
                       version=version, title=title, story=story)


def _set_public(session: Session, submission: Submission, moderator: Account,
                now: dt.datetime, step: Action, *, version: int | None, title: str | None,
                story: str | None) -> Submission:
    check_version(submission, version)
    require(submission, step, "not_open")
    new_title, new_story = public_text(title, story)
    action = step.value
    before = snapshot(submission)
    if action == "approve" and (new_title, new_story) != (submission.original_title,
                                                          submission.original_story):
        # The patient's words as sent, so that the log shows what a redaction took out.
        before.update(original_title=submission.original_title,
                      original_story=submission.original_story)

    def change() -> None:
        submission.status = Status.APPROVED
        submission.public_title, submission.public_story = new_title, new_story
        submission.decision_reason = None
        if not submission.consent_publish:
            submission.published_at = None
        elif action == "approve" and submission.published_at is None:
            submission.published_at = now
            submission.first_published_at = submission.first_published_at or now

    return _decide(session, submission, moderator, now, action, before, change)


def reject(session: Session, submission: Submission, moderator: Account, now: dt.datetime,
           *, version: int | None, reason: str | None) -> Submission:
    """Reject a pending item with a reason the patient will read."""
    check_version(submission, version)
    require(submission, Action.REJECT, "not_pending")
    cleaned = clean(reason)
    if not cleaned:
        raise ModerationError("reason_missing")
    if len(cleaned) > REASON_MAX:
        raise ModerationError("reason_too_long")
    before = snapshot(submission)

    def change() -> None:
        submission.status = Status.REJECTED
        submission.decision_reason = cleaned
        submission.published_at = None

    return _decide(session, submission, moderator, now, "reject", before, change, cleaned)


def mark_spam(session: Session, submission: Submission, moderator: Account, now: dt.datetime,
              *, version: int | None) -> Submission:
    """Mark a pending item as spam: never shown, never counted, erased with the rejected."""
    check_version(submission, version)
    require(submission, Action.SPAM, "not_pending")
    before = snapshot(submission)

    def change() -> None:
        submission.status = Status.SPAM
        submission.published_at = None

    return _decide(session, submission, moderator, now, "spam", before, change)


def unpublish(session: Session, submission: Submission, moderator: Account, now: dt.datetime,
              *, version: int | None, note: str | None = None) -> Submission:
    """Take an approved story off the public site; it stays in the statistics it consented to.

    The `note`, if any, is the reason the patient reads on their private page; like a
    rejection's reason, one too long is refused (reason_too_long), never cut.
    """
    check_version(submission, version)
    require(submission, Action.UNPUBLISH, "not_published")
    if submission.published_at is None:
        raise ModerationError("not_published")
    reason = clean(note) or None
    if reason is not None and len(reason) > REASON_MAX:
        raise ModerationError("reason_too_long")
    before = snapshot(submission)

    def change() -> None:
        submission.published_at = None
        submission.decision_reason = reason

    return _decide(session, submission, moderator, now, "unpublish", before, change, reason)


def return_to_queue(session: Session, submission: Submission, now: dt.datetime,
                    actor: Account | None = None, actor_label: str = audit.PATIENT) -> None:
    """Put a decided item back in the queue, unpublished and uncounted.

    Only an approved, rejected or spam item that still has its words: a withdrawn or erased
    one never comes back (ModerationError "not_requeueable").
    """
    require(submission, Action.REQUEUE, "not_requeueable")
    before = snapshot(submission)
    was_urgent = urgency.urgent_in_queue(submission)
    with keep_stats_current(session, submission, now):
        submission.status = Status.PENDING
        submission.published_at = None
        submission.updated_at = now
    urgency.announce_if_became_urgent(session, submission, was_urgent=was_urgent)
    session.flush()
    # Every decision moves the generation, whatever it changed (caching).
    caching.public_changed(session)
    old, new = audit.changes(before, snapshot(submission))
    audit.record(session, now, actor, "requeue", submission_id=submission.id, before=old,
                 after=new, actor_label=actor_label)


def _decide(session: Session, submission: Submission, moderator: Account, now: dt.datetime,
            action: str, before: dict[str, Any], change: Any,
            reason: str | None = None) -> Submission:
    try:
        with keep_stats_current(session, submission, now):
            change()
            submission.moderated_by_id = moderator.id
            submission.moderated_at = now
        session.flush()
    except StaleDataError:
        # Another transaction committed a newer version between our read and our write.
        raise Conflict() from None
    # Every decision moves the generation, whatever it changed (caching).
    caching.public_changed(session)
    old, new = audit.changes(before, snapshot(submission))
    audit.record(session, now, moderator, action, submission_id=submission.id,
                 before=old, after=new, reason=reason)
    return submission
