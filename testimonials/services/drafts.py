"""Drafts of the patient's journey: created, found, saved, discarded and purged.

The cookie carries a random id; only its hash is stored. Answers are kept as typed (raw form
values), so every page can be shown again exactly as the patient left it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from testimonials.models import Draft

ID_BYTES = 32  # 256 bits


def id_hash(raw_id: str) -> str:
    return hashlib.sha256(raw_id.encode("utf-8", "surrogatepass")).hexdigest()


def create(session: Session, now: dt.datetime,
           answers: dict[str, Any] | None = None) -> tuple[str, Draft]:
    """A new draft (empty, or holding `answers`) and the id for the patient's cookie (never
    stored as such)."""
    raw_id = secrets.token_urlsafe(ID_BYTES)
    draft = Draft(id_hash=id_hash(raw_id),
                  answers={"nonce": secrets.token_urlsafe(24), **(answers or {})},
                  created_at=now, updated_at=now)
    session.add(draft)
    session.flush()
    return raw_id, draft


def find(session: Session, raw_id: str | None, now: dt.datetime,
         max_age: dt.timedelta) -> Draft | None:
    """The draft of this cookie id, unless it is unknown or older than `max_age` (idle)."""
    if not raw_id or not 16 <= len(raw_id) <= 128:
        return None
    draft = session.get(Draft, id_hash(raw_id))
    if draft is None or draft.updated_at < now - max_age:
        return None
    return draft


def save(draft: Draft, changes: dict[str, Any], now: dt.datetime) -> None:
    """The draft with these answers replaced (a new dict, so that the JSON column is written)."""
    draft.answers = {**draft.answers, **changes}
    draft.updated_at = now


def discard(session: Session, hashed_id: str) -> None:
    """The draft erased (already gone is fine: a second tap on Send)."""
    session.execute(delete(Draft).where(Draft.id_hash == hashed_id))


def purge(session: Session, now: dt.datetime, max_age: dt.timedelta) -> int:
    """Erase drafts left untouched for `max_age`; the number erased."""
    result = session.execute(delete(Draft).where(Draft.updated_at < now - max_age))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
