"""Regions and facilities as API resources: /api/v1/regions[/<id>], /api/v1/facilities[/<id>].

Every facility a story or a statistics release may name is listed, merged ones included: when
an admin merges facility A into B, A's stories move to B (their `facility.id` becomes B's and
their `updated_at` moves, so `updated_since` brings them back), A stays here with
`merged_into: B` and `active: false`, and a filter by A's id finds nothing any more (404, as for
an unknown facility). Ids are never reused. Renaming keeps the id; moving a facility to
another region moves its stories with it.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify
from sqlalchemy import func, select

from testimonials import db, licences
from testimonials.api import bp
from testimonials.api.stories import licence_json
from testimonials.filter_params import MAX_ID
from testimonials.models import Facility, Region
from testimonials.siteurl import absolute_url


def region_json(region: Region, facilities: int) -> dict[str, Any]:
    return {"id": region.id, "name": region.name, "slug": region.slug,
            "facilities": facilities,
            "url": absolute_url("api.region", region_id=region.id)}


def facility_json(facility: Facility) -> dict[str, Any]:
    region = facility.region
    return {"id": facility.id, "name": facility.name, "city": facility.city,
            "region": {"id": region.id, "name": region.name, "slug": region.slug},
            "active": facility.active, "merged_into": facility.merged_into_id,
            "url": absolute_url("api.facility", facility_id=facility.id)}


def _facility_counts() -> dict[int, int]:
    """Facilities per region, merged ones left out (they hold no stories)."""
    rows = db.session().execute(select(Facility.region_id, func.count())
                                .where(Facility.merged_into_id.is_(None))
                                .group_by(Facility.region_id))
    return {region_id: count for region_id, count in rows}


def _document(data: Any) -> Response:
    return jsonify(data=data, licence=licence_json(licences.stats()))


@bp.get("/v1/regions")
def regions() -> Response:
    """Every region, by name."""
    counts = _facility_counts()
    found = db.session().scalars(select(Region).order_by(Region.name))
    return _document([region_json(region, counts.get(region.id, 0)) for region in found])


@bp.get("/v1/regions/<int:region_id>")
def region(region_id: int) -> Response:
    found = db.session().get(Region, region_id) if region_id <= MAX_ID else None
    if found is None:
        abort(404)
    return _document(region_json(found, _facility_counts().get(found.id, 0)))


@bp.get("/v1/facilities")
def facilities() -> Response:
    """Every facility, merged ones included, by region then name."""
    found = db.session().scalars(select(Facility).join(Region)
                                 .order_by(Region.name, Facility.name, Facility.city))
    return _document([facility_json(facility) for facility in found])


@bp.get("/v1/facilities/<int:facility_id>")
def facility(facility_id: int) -> Response:
    found = db.session().get(Facility, facility_id) if facility_id <= MAX_ID else None
    if found is None:
        abort(404)
    return _document(facility_json(found))
