"""Routes of this blueprint: admins only, checked once for every route (see protect)."""

from flask import render_template
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from testimonials import db
from testimonials.admin import bp
from testimonials.moderate.access import protect
from testimonials.services import notify
from testimonials.services import published as served

protect(bp, admin=True)

MAIL_KINDS = {notify.ALERT: _l("An urgent alert"), notify.DIGEST: _l("The daily digest")}


@bp.get("/")
def index() -> str:
    failure = notify.last_failure(db.session())
    mail_failure = None if failure is None else {
        "kind": MAIL_KINDS.get(failure.kind, failure.kind),
        "at": format_datetime(failure.at), "reason": failure.reason,
    }
    latest = served.numbers(db.session())[:1]
    return render_template("admin/index.html", mail_failure=mail_failure,
                           latest=latest[0] if latest else None)


from testimonials.admin import (  # noqa: E402,F401  (routes register on import)
    accounts_views,
    audit_export_views,
    facilities_views,
    lists_views,
    regions_views,
    release_views,
    settings_views,
)
