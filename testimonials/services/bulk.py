"""Bulk decisions over many pending items: spam, or reject with one reason. Never approval.

Which items a bulk action may take is decided by `sort_out` (pure): an item flagged for
personal data or crisis language is always left for one-by-one review, as is one someone
else is reading (a live claim) and one no longer pending. The decision itself is one
transaction: the items' updates, then every audit row in one batched insert. Pending items
are never counted in the statistics, so nothing there changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from testimonials import caching, lifecycle
from testimonials.lifecycle import Action
from testimonials.models import Account, AuditEntry, Submission
from testimonials.services import audit, claims
from testimonials.services.moderation import Conflict
from testimonials.vocab import Flag, Status

ACTIONS = {"spam": Action.SPAM, "reject": Action.REJECT}
# Never in bulk: each needs a person to read it.
HELD_BACK_FLAGS = Flag.PERSONAL_DATA | Flag.CRISIS


@dataclass(frozen=True)
class Candidate:
    id: int
    status: Status
    flags: int
    is_urgent: bool


@dataclass
class Sorted:
    """The items a bulk action takes, and those it leaves, by why."""

    taken: list[int] = field(default_factory=list)
    flagged: list[int] = field(default_factory=list)  # personal data or crisis
    claimed: list[int] = field(default_factory=list)  # someone else is reading it
    decided: list[int] = field(default_factory=list)  # no longer pending (or gone)

    @property
    def left(self) -> int:
        return len(self.flagged) + len(self.claimed) + len(self.decided)


def sort_out(wanted: Iterable[int], found: dict[int, Candidate],
             held_by_others: set[int]) -> Sorted:
    """Pure: which of the wanted items a bulk spam or rejection may take."""
    result = Sorted()
    for item in dict.fromkeys(wanted):  # once each, in the order asked
        candidate = found.get(item)
        if candidate is None or candidate.status is not Status.PENDING:
            result.decided.append(item)
        elif candidate.flags & HELD_BACK_FLAGS or candidate.is_urgent:
            result.flagged.append(item)
        elif item in held_by_others:
            result.claimed.append(item)
        else:
            result.taken.append(item)
    return result


def candidates(session: Session, ids: list[int]) -> dict[int, Candidate]:
    rows = session.execute(select(Submission.id, Submission.status, Submission.flags,
                                  Submission.is_urgent).where(Submission.id.in_(ids)))
    return {row[0]: Candidate(row[0], row[1], row[2], row[3]) for row in rows}


def plan(session: Session, ids: list[int], account_id: int, now: dt.datetime) -> Sorted:
    held = {item for item, who in claims.live(session, now).items()
            if who.account_id != account_id}
    return sort_out(ids, candidates(session, ids), held)


def decide(session: Session, ids: list[int], moderator: Account, now: dt.datetime,
           action: str, reason_for: Callable[[Submission], str] | None = None) -> Sorted:
    """Mark as spam (or reject, each with `reason_for(item)`) every item `plan` takes, now.

    Raises Conflict when another transaction changed one of them meanwhile (nothing is
    written then: the caller rolls back and asks again).
    """
    step = ACTIONS[action]
    chosen = plan(session, ids, moderator.id, now)
    if not chosen.taken:
        return chosen
    items = session.scalars(select(Submission).where(Submission.id.in_(chosen.taken))
                            .order_by(Submission.id)).all()
    entries = []
    for item in items:
        if not lifecycle.allowed(item.stage, step):  # decided since `plan` read it
            raise Conflict()
        reason = reason_for(item) if reason_for else None
        before = {"status": item.status.value, "decision_reason": item.decision_reason}
        item.status = Status.SPAM if action == "spam" else Status.REJECTED
        item.decision_reason = reason if action == "reject" else item.decision_reason
        item.published_at = None
        item.moderated_by_id, item.moderated_at = moderator.id, now
        old, new = audit.changes(before, {"status": item.status.value,
                                          "decision_reason": item.decision_reason})
        entries.append({"created_at": now, "actor_id": moderator.id,
                        "actor_label": moderator.email[:64], "action": action,
                        "submission_id": item.id, "subject": f"bulk:{len(items)}",
                        "before": old, "after": new, "reason": reason})
    try:
        session.flush()
    except StaleDataError:
        raise Conflict() from None
    caching.public_changed(session)  # pending items only, but a decision moves it (caching)
    claims.release(session, chosen.taken)
    # One statement for every row (executemany), not a flush per item.
    session.execute(insert(AuditEntry), entries)
    return chosen
