"""The team's workload in figures: how old the queue is, how fast items are decided, who
decided how many each day. Read-only; medians computed here over bounded windows."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Claim, Submission
from testimonials.vocab import Status

DECISIONS = ("approve", "reject", "spam")
# A first look at an item: opening it, or deciding it (a bulk decision is a look too).
LOOKS = ("claim", "claim.take_over", *DECISIONS)


@dataclass(frozen=True)
class Workload:
    pending: int
    oldest_waiting: dt.timedelta | None
    median_to_decision: dt.timedelta | None
    urgent_median_to_first_look: dt.timedelta | None
    urgent_not_looked_at: int
    claimed_now: int
    per_moderator: list[tuple[str, list[int]]]  # (who, decisions on each day)
    days: list[dt.date]


def _median(values: list[float]) -> dt.timedelta | None:
    return dt.timedelta(seconds=statistics.median(values)) if values else None


def measure(session: Session, now: dt.datetime, window_days: int = 30,
            table_days: int = 14) -> Workload:
    since = now - dt.timedelta(days=window_days)
    pending, oldest = session.execute(
        select(func.count(), func.min(Submission.created_at))
        .where(Submission.status == Status.PENDING)).one()
    decided = session.execute(select(Submission.created_at, Submission.moderated_at).where(
        Submission.moderated_at >= since,
        Submission.status.in_([Status.APPROVED, Status.REJECTED, Status.SPAM]))).all()
    first_look = (select(AuditEntry.submission_id, func.min(AuditEntry.created_at).label("at"))
                  .where(AuditEntry.action.in_(LOOKS), AuditEntry.created_at >= since)
                  .group_by(AuditEntry.submission_id).subquery())
    urgent: Sequence[tuple[dt.datetime, dt.datetime | None]] = session.execute(
        select(Submission.created_at, first_look.c.at)
        .outerjoin(first_look, first_look.c.submission_id == Submission.id)
        .where(Submission.is_urgent.is_(True), Submission.created_at >= since)).all()
    claimed = session.scalar(select(func.count()).select_from(Claim)
                             .where(Claim.expires_at > now)) or 0
    days = [(now - dt.timedelta(days=back)).date() for back in range(table_days - 1, -1, -1)]
    counts: Counter[tuple[str, dt.date]] = Counter()
    for who, at in session.execute(select(AuditEntry.actor_label, AuditEntry.created_at).where(
            AuditEntry.action.in_(DECISIONS), AuditEntry.actor_id.is_not(None),
            AuditEntry.created_at >= now - dt.timedelta(days=table_days))):
        counts[(who, at.date())] += 1
    people = sorted({who for who, _day in counts})
    return Workload(
        pending=pending, oldest_waiting=(now - oldest) if oldest else None,
        median_to_decision=_median([(done - sent).total_seconds()
                                    for sent, done in decided if done]),
        urgent_median_to_first_look=_median([(looked - sent).total_seconds()
                                             for sent, looked in urgent if looked]),
        urgent_not_looked_at=sum(1 for _sent, looked in urgent if looked is None),
        claimed_now=claimed,
        per_moderator=[(who, [counts[(who, day)] for day in days]) for who in people],
        days=days)
