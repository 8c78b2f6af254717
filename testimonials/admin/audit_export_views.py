"""The audit log as a CSV download, oldest first, streamed in batches of its primary key."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Response, stream_with_context
from sqlalchemy import select

from testimonials import db
from testimonials.admin import bp
from testimonials.models import AuditEntry, utcnow

CSV_COLUMNS = ("id", "created_at", "actor", "action", "submission_id", "subject", "reason",
               "before", "after")
BATCH = 1000


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows() -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    after = 0
    session = db.session()
    while True:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.id > after)
                                  .order_by(AuditEntry.id).limit(BATCH)).all()
        for entry in entries:
            writer.writerow([_cell(value) for value in (
                entry.id, entry.created_at.isoformat(), entry.actor_label, entry.action,
                entry.submission_id, entry.subject, entry.reason,
                json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
                json.dumps(entry.after, ensure_ascii=False) if entry.after else "")])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(entries) < BATCH:
            return
        after = entries[-1].id
        session.expunge_all()  # a long log must not pile up in memory


@bp.get("/audit.csv")
def audit_csv() -> Response:
    """The whole audit log, oldest first (it holds the team's e-mail addresses: admins only,
    as this whole blueprint is)."""
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    # The request's context (and so its session) lives as long as the stream; a client that
    # goes away closes the generator, and the teardown gives the connection back.
    return Response(stream_with_context(_rows()), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="waitline-audit-{stamp}.csv"'})
