"""Claims: opening an item makes it one moderator's for MODERATION_CLAIM_MINUTES.

A claim is a row with an expiry time; a claim past its time is simply not live, so nothing
has to clear it (and every gunicorn worker sees the same rows). A moderator holds one claim
at a time: opening an item lets go of the one they held; deciding an item lets go of it.
Taking over another's live claim is a choice the moderator makes (take_over), and is logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, aliased

from testimonials import db
from testimonials.models import Account, Claim
from testimonials.moderate import queue
from testimonials.services import audit

# How many items "next unclaimed" reads past, at most, before giving up (all claimed).
SCAN_LIMIT = 500


@dataclass(frozen=True)
class Holder:
    account_id: int
    email: str
    expires_at: dt.datetime


# Built once: the statement's cache key is then computed once, not on every queue page.
_LIVE = (select(Claim.submission_id, Claim.account_id, Account.email, Claim.expires_at)
         .join(Account, Account.id == Claim.account_id)
         .where(Claim.expires_at > bindparam("now")))


def live(session: Session, now: dt.datetime) -> dict[int, Holder]:
    """Every live claim, by item (few: one per moderator at most). The queue page reads them
    with the signed-in account instead (`beside`)."""
    rows = session.execute(_LIVE, {"now": now})
    return {row[0]: Holder(row[1], row[2], row[3]) for row in rows}


_HOLDER = aliased(Account)


def beside(statement: db.AnySelect) -> db.AnySelect:
    """`statement` (one row or none) with every live claim at `now` beside it: its row once
    per live claim, followed by the claim's item, holder's id, e-mail and expiry (NULLs when
    none is live). The queue page reads them so, in the signed-in account's own lookup
    (auth.read_beside_account)."""
    return (statement
            .add_columns(Claim.submission_id, Claim.account_id, _HOLDER.email, Claim.expires_at)
            .outerjoin(Claim, Claim.expires_at > bindparam("now"))
            .outerjoin(_HOLDER, _HOLDER.id == Claim.account_id))


def live_in(rows: Sequence[db.AnyRow], start: int) -> dict[int, Holder]:
    """The live claims of rows read with `beside`, whose claim columns begin at `start`."""
    return {row[start]: Holder(row[start + 1], row[start + 2], row[start + 3])
            for row in rows if row[start] is not None}


def holder(session: Session, submission_id: int, now: dt.datetime) -> Holder | None:
    row = session.execute(select(Claim.account_id, Account.email, Claim.expires_at)
                          .join(Account, Account.id == Claim.account_id)
                          .where(Claim.submission_id == submission_id,
                                 Claim.expires_at > now)).first()
    return Holder(row[0], row[1], row[2]) if row else None


def claim(session: Session, submission_id: int, account: Account, now: dt.datetime,
          minutes: float) -> None:
    """Make the item this account's until `minutes` from now (renewing its own claim quietly;
    a new claim, or one taken over from someone else, goes in the audit log)."""
    previous = holder(session, submission_id, now)
    session.execute(delete(Claim).where(
        (Claim.account_id == account.id) | (Claim.submission_id == submission_id)))
    session.add(Claim(submission_id=submission_id, account_id=account.id, claimed_at=now,
                      expires_at=now + dt.timedelta(minutes=minutes)))
    session.flush()
    if previous is not None and previous.account_id == account.id:
        return
    if previous is None:
        audit.record(session, now, account, "claim", submission_id=submission_id)
    else:
        audit.record(session, now, account, "claim.take_over", submission_id=submission_id,
                     before={"claimed_by": previous.email}, after={"claimed_by": account.email})


def release(session: Session, submission_ids: list[int]) -> None:
    """The items are decided: nobody is reading them any more."""
    if submission_ids:
        session.execute(delete(Claim).where(Claim.submission_id.in_(submission_ids)))


def next_unclaimed(session: Session, filters: queue.Filters, account_id: int,
                   now: dt.datetime, after: queue.Position | None = None) -> int | None:
    """The first pending item in queue order (after `after`) that no one else holds."""
    taken = {item for item, who in live(session, now).items() if who.account_id != account_id}
    read = 0
    while read < SCAN_LIMIT:
        rows = queue.page(session, filters, after, size=len(taken) + 1)
        for row in rows:
            if row.id not in taken:
                return row.id
        if len(rows) < len(taken) + 1:
            return None
        read += len(rows)
        last = rows[-1]
        after = queue.Position(last.is_urgent, last.created_at, last.id)
    return None
