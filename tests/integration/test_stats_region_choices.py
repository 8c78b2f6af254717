"""Statistics filters and regions: a facility outside the region chosen is explained (not a
404), the facility list follows the region, and a region left empty can be removed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Region
from testimonials.vocab import Role, Status
from tests import builders
from tests.integration.moderate.moderate_helpers import make_account, reread, sign_in


@pytest.fixture
def places(app: Flask, session: Session) -> dict[str, Any]:
    oakland = builders.facility(session, "Oakland Medical Center", "Oakland", "East Bay")
    richmond = builders.facility(session, "Richmond Medical Center", "Richmond", "East Bay")
    fresno = builders.facility(session, "Fresno Medical Offices", "Fresno", "Central Valley")
    for place in (oakland, richmond, fresno):
        builders.submission(session, status=Status.APPROVED, place=place)
    session.commit()
    builders.release(app)  # /stats shows a release; its filters list the places there are now
    return {"oakland": oakland, "richmond": richmond, "fresno": fresno}


def _options(page: str, name: str) -> list[str]:
    found = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', page, re.S)
    assert found, page[:500]
    return re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]+)</option>", found.group(1))


def test_a_facility_of_another_region_is_explained_not_refused(client: FlaskClient,
                                                               places: dict[str, Any]) -> None:
    fresno = places["fresno"]
    response = client.get(f"/stats?region=east-bay&facility={fresno.id}",
                          follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Fresno Medical Offices is in Central Valley, not in East Bay" in page
    assert 'role="status"' in page
    assert f'href="/stats?facility={fresno.id}"' in page  # the facility alone, one click away
    assert "Showing: East Bay" in page  # the region asked for, as the figures show
    assert _options(page, "facility") == ["All facilities", "Oakland Medical Center",
                                          "Richmond Medical Center"]


def test_the_facility_list_follows_the_region(client: FlaskClient,
                                              places: dict[str, Any]) -> None:
    page = client.get("/stats?region=central-valley").get_data(as_text=True)
    assert _options(page, "facility") == ["All facilities", "Fresno Medical Offices"]
    everything = client.get("/stats").get_data(as_text=True)
    assert len(_options(everything, "facility")) == 4


def test_an_emptied_region_leaves_the_lists_and_an_admin_removes_it(
        app: Flask, session: Session, places: dict[str, Any]) -> None:
    admin = make_account(app, "boss@example.org", Role.ADMIN)
    client = app.test_client()
    sign_in(app, client, admin)
    east = session.scalar(select(Region).where(Region.slug == "east-bay"))
    central = session.scalar(select(Region).where(Region.slug == "central-valley"))
    assert east is not None and central is not None
    east_id, central_id = east.id, central.id
    # A region still in use cannot be removed.
    refused = client.post(f"/admin/regions/{central_id}/remove")
    assert refused.status_code == 400
    assert "still has facilities" in refused.get_data(as_text=True)
    client.post(f"/admin/facilities/{places['fresno'].id}/move",
                data={"region": str(east_id)})
    public = app.test_client()
    assert "Central Valley" not in _options(public.get("/stats").get_data(as_text=True),
                                            "region")
    assert "Central Valley" not in public.get("/stories").get_data(as_text=True)
    assert "Central Valley" not in client.get("/moderate/").get_data(as_text=True)
    listing = client.get("/admin/facilities").get_data(as_text=True)
    assert f'action="/admin/regions/{central_id}/remove"' in listing
    assert f'action="/admin/regions/{east_id}/remove"' not in listing
    assert client.post(f"/admin/regions/{central_id}/remove").status_code == 302
    reread(session)
    assert session.get(Region, central_id) is None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "region.remove")).one()
    assert entry.before == {"name": "Central Valley", "slug": "central-valley"}
    after = client.get("/admin/facilities").get_data(as_text=True)
    assert "Removed the region Central Valley." in after
    assert "<h2>Central Valley</h2>" not in after
