"""The append-only record of every moderation and admin action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, event, inspect
from sqlalchemy.orm import Mapped, ORMExecuteState, mapped_column

from testimonials.models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who did what to which item, when, with the values before and after.

    The application only ever inserts these rows; the one exception is erasure, which blanks
    the story text held in `before`/`after` when a patient withdraws (privacy outranks the log).
    The events below enforce this in the ORM: no deletes, no bulk statements (on every
    session of the app's factory), and updates only when they replace values by None; the
    database's triggers (migration 0022) refuse the same to any client.
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



class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit entry."""


# An update may only take words out: values in these columns replaced by None (or the
# marker below), nothing added, nothing else touched. That is erasure, and nothing more.
ERASABLE_COLUMNS = frozenset({"before", "after", "reason"})
ERASED = "[erased]"


def _blank(value: Any) -> bool:
    return value is None or value == ERASED


def _only_erases(old: Any, new: Any) -> bool:
    if new == old or _blank(new):
        return True
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return all(new[key] == old[key] or _blank(new[key]) for key in old)
    return False


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper: Any, _connection: Any, target: AuditEntry) -> None:
    state = inspect(target)
    for attribute in state.mapper.column_attrs:
        history = state.attrs[attribute.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if attribute.key not in ERASABLE_COLUMNS or not _only_erases(old, new):
            raise AppendOnlyError("audit entries cannot be changed, only have text erased")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper: Any, _connection: Any, _target: AuditEntry) -> None:
    raise AppendOnlyError("audit entries cannot be deleted")


def refuse_bulk_changes(state: ORMExecuteState) -> None:
    """A `do_orm_execute` hook, installed on the app's session factory (testimonials/db.py):
    update(AuditEntry) and delete(AuditEntry) statements skip the mapper events above."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is AuditEntry:
        raise AppendOnlyError("audit entries cannot be changed or deleted in bulk")

