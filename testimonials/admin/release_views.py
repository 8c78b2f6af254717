"""An admin cuts a statistics release by hand (cron cuts them on schedule)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.admin import bp
from testimonials.models import utcnow
from testimonials.moderate.access import current_account
from testimonials.stats.commands import cut_release


@bp.post("/stats/release")
def cut_stats_release() -> Response:
    """Publish the statistics as they stand now as the next release (audited)."""
    release = cut_release(db.engine(), utcnow(), force=True, actor=current_account().account)
    assert release is not None  # forced
    flash(_("Published statistics release %(number)s.", number=release.number), "success")
    return redirect(url_for("admin.index"))
