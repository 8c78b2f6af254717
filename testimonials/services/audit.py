"""The append-only audit log: every moderation and admin action, with before and after.

The ORM refuses to change or delete an AuditEntry (events in models/audit.py), for single
rows and bulk statements alike, and so does the database itself (triggers, migration
0022_audit_append_only), for any client. The one exception is erasure (`erase_texts`), used
when a patient withdraws or retention runs: privacy outranks the log, so the patient's words
are blanked in it, while who did what, to which item and when stays. It is the only code
that opens the triggers' gate (`erasure`), for its own transaction only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from testimonials.models import Account, AuditEntry
from testimonials.models.audit import ERASED, AppendOnlyError
from testimonials.models.base import table_of

PATIENT = "patient"
SYSTEM = "system"
# Recorded in place of a patient's words that an edit changed: which field, not what it says.
CHANGED = "[changed]"
# Keys of before/after that hold what a patient wrote (or a moderator's words about it).
TEXT_KEYS = frozenset({"title", "story", "original_title", "original_story", "public_title",
                       "public_story", "decision_reason", "moderator_note", "display_name",
                       "email", "facility_other"})

__all__ = ["CHANGED", "ERASED", "AppendOnlyError", "append", "changes", "erase_texts", "erasure",
           "record"]


def record(session: Session, now: dt.datetime, actor: Account | None, action: str, *,
           submission_id: int | None = None, subject: str | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           reason: str | None = None, actor_label: str | None = None) -> AuditEntry:
    """A new entry, flushed; values are made JSON-safe (datetimes as ISO text)."""
    entry = AuditEntry(
        created_at=now, actor_id=actor.id if actor else None,
        actor_label=(actor.email if actor else actor_label or SYSTEM)[:64],
        action=action, submission_id=submission_id, subject=subject,
        before=_jsonable(before), after=_jsonable(after),
        reason=reason[:2000] if reason else None,
    )
    session.add(entry)
    session.flush()
    return entry


def append(session: Session, now: dt.datetime, action: str, *, submission_id: int,
           before: dict[str, Any] | None, after: dict[str, Any] | None,
           actor_label: str) -> None:
    """`record` of an entry with no account, written by a plain insert on the transaction's
    connection: the row `record` writes, without an object nor a flush of its own (a new
    story's entry, written inside SQLite's write lock; nothing reads it back as an object)."""
    session.connection().execute(_INSERT_ENTRY, {
        "created_at": now, "actor_id": None, "actor_label": actor_label[:64], "action": action,
        "submission_id": submission_id, "subject": None, "before": _jsonable(before),
        "after": _jsonable(after), "reason": None})


_INSERT_ENTRY = insert(table_of(AuditEntry))


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose value differs, from both sides; keys only `before` has are kept as context."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    context = {k: v for k, v in before.items() if k not in after}
    return {**{k: before.get(k) for k in keys}, **context}, {k: after[k] for k in keys}


def erase_texts(session: Session, submission_id: int,
                keys: frozenset[str] | None = None) -> int:
    """Blank the patient's words in every entry about this submission; returns how many changed.

    For a withdrawal or a retention purge: the entries stay, with who, when, which action and
    which fields changed, but the values of `keys` (default: every text key, and the reason
    column) become None. With keys={"email"} only the contact e-mail goes.
    """
    blank_keys = TEXT_KEYS if keys is None else keys
    changed = 0
    session.flush()  # whatever else is pending is written outside the gate
    with erasure(session):
        for entry in session.scalars(select(AuditEntry)
                                     .where(AuditEntry.submission_id == submission_id)):
            before, after = _blank(entry.before, blank_keys), _blank(entry.after, blank_keys)
            reason = None if keys is None else entry.reason
            if (before, after, reason) != (entry.before, entry.after, entry.reason):
                entry.before, entry.after, entry.reason = before, after, reason
                changed += 1
        session.flush()
    return changed


@contextmanager
def erasure(session: Session) -> Iterator[None]:
    """The database's gate for UPDATE of audit rows, open inside this block only.

    The triggers of migration 0022 refuse every UPDATE (and every DELETE) of audit_entry
    unless the gate is open: on PostgreSQL a setting local to the transaction
    (`waitline.audit_erasure`), on SQLite a row of audit_erasure_gate written and removed here,
    so no commit ever sees it open. Only `erase_texts` uses it; what it may change is still
    checked by the ORM events (values replaced by None, nothing else).
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SET LOCAL waitline.audit_erasure = 'on'"))
    else:
        session.execute(text("INSERT INTO audit_erasure_gate (id) VALUES (1)"))
    yield
    # On an error the caller rolls back, which closes the gate as well.
    if postgres:
        session.execute(text("SET LOCAL waitline.audit_erasure = 'off'"))
    else:
        session.execute(text("DELETE FROM audit_erasure_gate"))


def _blank(values: dict[str, Any] | None, keys: frozenset[str]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: (None if key in keys else value) for key, value in values.items()}


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
