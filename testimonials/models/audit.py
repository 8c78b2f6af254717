"""The append-only record of every moderation and admin action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who did what to which item, when, with the values before and after.

    The application only ever inserts these rows; the one exception is erasure, which blanks
    the story text held in `before`/`after` when a patient withdraws (privacy outranks the log).
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_submission", "submission_id", "id"),
        Index("ix_audit_entry_actor", "actor_id", "id"),
        Index("ix_audit_entry_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))  # None: patient/system
    actor_label: Mapped[str] = mapped_column(String(64))  # e-mail of the actor, or "patient"
    action: Mapped[str] = mapped_column(String(32))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    subject: Mapped[str | None] = mapped_column(String(64))  # e.g. "account:3" for admin actions
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(2000))
