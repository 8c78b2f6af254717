"""Facilities: add, rename, move to another region, merge two into one."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.admin import bp
from testimonials.bounds import database_int
from testimonials.models import Facility, Region, Submission, utcnow
from testimonials.moderate.access import current_account
from testimonials.services import facilities
from testimonials.services import regions as region_service

ERRORS = {
    "name": ("name", _l("Enter the facility's name (200 characters at most).")),
    "city": ("city", _l("Enter the city (100 characters at most).")),
    "duplicate": ("name", _l("There is already a facility with that name in that city.")),
    "region_name": ("region", _l("Choose a region, or enter the name of a new one.")),
    "region_rename": ("rename", _l("Enter the region's new name (100 characters at most).")),
    "region_duplicate": ("rename", _l("There is already a region with that name.")),
    "same": ("target", _l("Choose a different facility to merge into.")),
    "merged": ("target", _l("That facility has already been merged.")),
    "confirm": ("confirm", _l("Tick the box to confirm the merge: it cannot be undone.")),
}


def listing() -> dict[str, Any]:
    """What the facilities page lists: regions with their facilities, story counts, and the
    regions an admin may remove (empty)."""
    session = db.session()
    counts = dict(session.execute(select(Submission.facility_id, func.count())
                                  .group_by(Submission.facility_id)).all())
    regions = session.scalars(select(Region).order_by(Region.name)).all()
    rows = session.scalars(select(Facility).order_by(Facility.name, Facility.city)).all()
    groups = [{"region": region, "facilities": [f for f in rows if f.region_id == region.id]}
              for region in regions]
    return {"groups": groups, "regions": regions, "counts": counts,
            "removable": region_service.empty_region_ids(session),
            "live": [f for f in rows if f.merged_into_id is None]}


def _region(form: dict[str, str]) -> Region:
    """The chosen region, or a new one by the name typed."""
    session = db.session()
    if form.get("new_region", "").strip():
        return facilities.region_named(session, form["new_region"])
    region_id = database_int(form.get("region"))
    chosen = session.get(Region, region_id) if region_id is not None else None
    if chosen is None:
        raise facilities.FacilityError("region_name")
    return chosen


def _error_page(template: str, error: facilities.FacilityError, form: dict[str, str],
                **extra: Any) -> tuple[str, int]:
    field, message = ERRORS[error.code]
    return render_template(template, errors={field: message}, form=form, **listing(),
                           **extra), 400


@bp.get("/facilities")
def facilities_page() -> str:
    return render_template("admin/facilities.html", errors={}, form={}, **listing())


@bp.post("/facilities")
def add_facility() -> Response | tuple[str, int]:
    form = request.form.to_dict()
    try:
        with db.writing() as session:
            facility = facilities.add_facility(session, form.get("name", ""),
                                               form.get("city", ""), _region(form),
                                               current_account().account, utcnow())
    except facilities.FacilityError as error:
        return _error_page("admin/facilities.html", error, form)
    flash(_("Added %(name)s.", name=facility.name), "success")
    return redirect(url_for("admin.facilities_page"))


def _facility(facility_id: int) -> Facility:
    facility = db.session().get(Facility, facility_id)
    if facility is None:
        abort(404)
    return facility


@bp.get("/facilities/<int:facility_id>")
def facility_page(facility_id: int) -> str:
    facility = _facility(facility_id)
    return render_template("admin/facility.html", facility=facility, errors={},
                           form={"name": facility.name, "city": facility.city}, **listing())


def _change(session: Session, facility: Facility, change: str, form: dict[str, str]) -> None:
    """One change to a facility, or FacilityError."""
    actor, now = current_account().account, utcnow()
    if change == "rename":
        facilities.rename_facility(session, facility, form.get("name", ""),
                                   form.get("city", ""), actor, now)
    elif change == "move":
        facilities.move_facility(session, facility, _region(form), actor, now)
    else:
        target_id = database_int(form.get("target"))
        target = session.get(Facility, target_id) if target_id is not None else None
        if target is None:
            raise facilities.FacilityError("same")
        if form.get("confirm") != "yes":
            raise facilities.FacilityError("confirm")
        facilities.merge_facilities(session, facility, target, actor, now)


@bp.post("/facilities/<int:facility_id>/<any(rename, move, merge):change>")
def change_facility(facility_id: int, change: str) -> Response | tuple[str, int]:
    form = request.form.to_dict()
    try:
        with db.writing() as session:
            facility = _facility(facility_id)
            _change(session, facility, change, form)
    except facilities.FacilityError as error:
        return _error_page("admin/facility.html", error, form, facility=_facility(facility_id))
    flash(_("Saved the change to %(name)s.", name=facility.name), "success")
    return redirect(url_for("admin.facility_page", facility_id=facility_id))
