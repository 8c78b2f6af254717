"""An admin cuts a statistics release by hand (cron cuts them on schedule)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from testimonials import db, runtime_settings
from testimonials.admin import bp
from testimonials.models import utcnow
from testimonials.moderate.access import current_account
from testimonials.services.releases import ReleaseError
from testimonials.stats_commands import cut_release


@bp.post("/stats/release")
def cut_stats_release() -> Response:
    """Publish the statistics as they stand now as the next release (audited)."""
    try:
        release = cut_release(db.engine(), utcnow(), force=True,
                              actor=current_account().account)
    except ReleaseError:  # too few people joined since the last one
        flash(_("Not yet: fewer than %(count)s people have joined the statistics since the last "
                "release, and a release now would show their answers.",
                count=runtime_settings.get("STATS_MIN_CELL")), "error")
        return redirect(url_for("admin.index"))
    assert release is not None  # forced
    flash(_("Published statistics release %(number)s.", number=release.number), "success")
    return redirect(url_for("admin.index"))
