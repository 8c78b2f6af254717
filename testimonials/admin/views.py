"""Routes of this blueprint: admins only, checked once for every route (see protect)."""

from flask import render_template

from testimonials.admin import bp
from testimonials.moderate.access import protect

protect(bp, admin=True)


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html")


from testimonials.admin import (  # noqa: E402,F401  (routes register on import)
    accounts_views, facilities_views, regions_views, settings_views,
)
