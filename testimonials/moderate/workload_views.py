"""The team's workload page, and the audit log as CSV for admins."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Response, abort, render_template, stream_with_context
from flask_babel import format_timedelta
from flask_login import current_user
from sqlalchemy import select

from testimonials import db
from testimonials.models import AuditEntry, utcnow
from testimonials.moderate import bp
from testimonials.services import workload

CSV_COLUMNS = ("id", "created_at", "actor", "action", "submission_id", "subject", "reason",
               "before", "after")
BATCH = 1000


@bp.get("/workload")
def workload_page() -> str:
    figures = workload.measure(db.session(), utcnow())

    def span(value: object) -> str | None:
        return format_timedelta(value, threshold=1.1) if value is not None else None

    return render_template("moderate/workload.html", figures=figures, span=span,
                           is_admin=current_user.is_admin)


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
    """The whole audit log, oldest first, for admins (it holds the team's e-mail addresses)."""
    if not current_user.is_admin:
        abort(403)
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(_rows()), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="waitline-audit-{stamp}.csv"'})
