"""The rule that an item which becomes urgent in the queue alerts the moderators.

"Urgent in the queue" is pending with crisis language. Every service that changes an item's
flags or puts it back in the queue calls `set_flags` or `announce_if_became_urgent`; an item
that was not urgent in the queue before and is now joins this session's outbox, and the
alert goes out once the transaction commits (testimonials.alerts): never for a change
that was rolled back, and never forgotten by a view, a command or a future journey.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from testimonials.models import Submission
from testimonials.vocab import Flag, Status

OUTBOX = "waitline.urgent_outbox"


def urgent_in_queue(submission: Submission) -> bool:
    """Pending and urgent: what pins an item at the top of the queue."""
    return submission.status is Status.PENDING and bool(submission.is_urgent)


def is_urgent(flags: Flag) -> bool:
    """Whether these flags make an item urgent: crisis language."""
    return bool(flags & Flag.CRISIS)


def set_flags(session: Session, submission: Submission, flags: Flag) -> None:
    """The item's flags and urgency set; announced if it has just become urgent in the queue."""
    before = urgent_in_queue(submission) if submission.id is not None else False
    submission.flags = int(flags)
    submission.is_urgent = is_urgent(flags)
    announce_if_became_urgent(session, submission, was_urgent=before)


def announce_if_became_urgent(session: Session, submission: Submission, *,
                              was_urgent: bool) -> None:
    """Put the item in the outbox if it is urgent in the queue now and was not before."""
    if was_urgent or not urgent_in_queue(submission):
        return
    if submission.id is None:
        session.flush()  # the alert names the item by its number
    _announce(session, submission.id)


def announce_arrival(session: Session, submission_id: int, flags: Flag) -> None:
    """`announce_if_became_urgent` for a story just stored by a plain insert (no object):
    it is pending, so urgent in the queue exactly when its flags make it urgent."""
    if is_urgent(flags):
        _announce(session, submission_id)


def _announce(session: Session, submission_id: int) -> None:
    outbox: list[int] = session.info.setdefault(OUTBOX, [])
    if submission_id not in outbox:
        outbox.append(submission_id)


def take_outbox(session: Session) -> list[int]:
    """The items announced in this session's transaction, removed from the outbox."""
    return list(session.info.pop(OUTBOX, []))
