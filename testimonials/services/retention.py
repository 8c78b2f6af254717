"""Retention (SPEC section 6): refused stories and contact e-mails are not kept forever."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import lifecycle, scrub
from testimonials.lifecycle import Action
from testimonials.models import Submission
from testimonials.services import audit
from testimonials.services.submissions import erase, erase_email
from testimonials.vocab import Status

REFUSED = (Status.REJECTED, Status.SPAM)
RESOLVED = (Status.APPROVED, Status.REJECTED, Status.SPAM, Status.WITHDRAWN)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    stories_erased: int
    emails_erased: int


def purge(session: Session, now: dt.datetime, *, rejected_days: int, email_days: int,
          dry_run: bool = False) -> PurgeResult:
    """Refused items erased `rejected_days` after moderation; e-mails of resolved items after
    `email_days`. With `dry_run`, only counts what would be erased."""
    refused = select(Submission).where(
        Submission.status.in_(REFUSED), Submission.erased_at.is_(None),
        Submission.moderated_at < now - dt.timedelta(days=rejected_days),
    )
    resolved_at = func.coalesce(Submission.moderated_at, Submission.withdrawn_at)
    emails = select(Submission).where(
        Submission.status.in_(RESOLVED), Submission.email.is_not(None),
        resolved_at < now - dt.timedelta(days=email_days),
    )
    stories = list(session.scalars(refused))
    story_ids = {submission.id for submission in stories}
    # An item whose story is erased loses its e-mail with it; count it once, as a story.
    contacts = [s for s in session.scalars(emails) if s.id not in story_ids]
    if not dry_run:
        for submission in stories:
            lifecycle.require(submission.stage, Action.PURGE)  # the query picks only these
            erase(session, submission, now)
            _audit(session, submission, "retention_erase", now)
        for submission in contacts:
            lifecycle.require(submission.stage, Action.PURGE_EMAIL)
            erase_email(session, submission, now)
            _audit(session, submission, "retention_email", now)
        if stories:
            scrub.forget_search_terms(session)
        session.flush()
    return PurgeResult(len(stories), len(contacts))


def _audit(session: Session, submission: Submission, action: str, now: dt.datetime) -> None:
    audit.record(session, now, None, action, submission_id=submission.id,
                 actor_label=audit.SYSTEM)
