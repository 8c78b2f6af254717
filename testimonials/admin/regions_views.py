"""Regions: renaming one (its old links keep working), removing one its facilities have all
left."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.admin import bp
from testimonials.admin.facilities_views import ERRORS, listing
from testimonials.models import Region, utcnow
from testimonials.moderate.access import current_account
from testimonials.services import facilities, regions


def _region(session: Session, region_id: int) -> Region:
    """The region, or a 404."""
    region = session.get(Region, region_id)
    if region is None:
        abort(404)
    return region


@bp.post("/regions/<int:region_id>/rename")
def rename_region(region_id: int) -> Response | tuple[str, int]:
    form = request.form.to_dict()
    try:
        with db.writing() as session:
            region = _region(session, region_id)
            before = region.name
            changed = facilities.rename_region(session, region, form.get("name", ""),
                                               current_account().account, utcnow())
            after = region.name
    except facilities.FacilityError as error:
        field, message = ERRORS[error.code]
        # The page again, this region's form open with what was typed and why it was refused.
        return render_template("admin/facilities.html", errors={field: message}, form={},
                               renaming={"id": region_id, "name": form.get("name", "")},
                               **listing()), 400
    if not changed:
        flash(_("Nothing changed: the region is already called %(name)s.", name=after), "info")
    else:
        flash(_("Renamed the region %(before)s to %(after)s.", before=before, after=after),
              "success")
    return redirect(url_for("admin.facilities_page"))


@bp.post("/regions/<int:region_id>/remove")
def remove_region(region_id: int) -> Response | tuple[str, int]:
    name = ""
    try:
        with db.writing() as session:
            region = _region(session, region_id)
            name = region.name
            regions.remove_region(session, region, current_account().account, utcnow())
    except regions.RegionInUse:
        message = _("%(region)s still has facilities or stories: move them to another region "
                    "first.", region=name)
        return render_template("admin/facilities.html", errors={"form": message}, form={},
                               **listing()), 400
    flash(_("Removed the region %(region)s.", region=name), "success")
    return redirect(url_for("admin.facilities_page"))
