"""Routes of this blueprint: admins only, checked once for every route (see protect)."""

from flask import render_template

from testimonials import db
from testimonials.admin import bp
from testimonials.moderate.access import protect
from testimonials.stats import served

protect(bp, admin=True)


@bp.get("/")
def index() -> str:
    latest = served.numbers(db.session())[:1]
    return render_template("admin/index.html", latest=latest[0] if latest else None)


from testimonials.admin import (  # noqa: E402,F401  (routes register on import)
    accounts_views, facilities_views, release_views, settings_views,
)
