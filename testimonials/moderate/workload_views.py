"""The team's workload page (the audit log's CSV download is admin/audit_export_views.py)."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_timedelta
from flask_login import current_user

from testimonials import db
from testimonials.models import utcnow
from testimonials.moderate import bp
from testimonials.services import workload


@bp.get("/workload")
def workload_page() -> str:
    figures = workload.measure(db.session(), utcnow())

    def span(value: object) -> str | None:
        return format_timedelta(value, threshold=1.1) if value is not None else None

    return render_template("moderate/workload.html", figures=figures, span=span,
                           is_admin=current_user.is_admin)
