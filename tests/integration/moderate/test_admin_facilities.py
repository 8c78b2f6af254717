"""Admins add, rename, move and merge facilities; the statistics follow exactly."""

from __future__ import annotations

from flask.testing import FlaskClient
from moderate_helpers import reread
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Facility, Region, Submission
from testimonials.services import statistics
from testimonials.vocab import Status
from tests import builders


def _exact(session: Session) -> bool:
    reread(session)
    return statistics.stored_cells(session) == statistics.recount(session)


def test_add_a_facility_in_a_new_region(admin_client: FlaskClient, session: Session) -> None:
    response = admin_client.post("/admin/facilities", data={
        "name": "Fresno Mental Health", "city": "Fresno", "region": "",
        "new_region": "Central Valley"})
    assert response.status_code == 302
    facility = session.scalar(select(Facility).where(Facility.name == "Fresno Mental Health"))
    assert facility is not None and facility.region.name == "Central Valley"
    assert facility.region.slug == "central-valley"


def test_add_refuses_a_duplicate_and_keeps_the_values(admin_client: FlaskClient,
                                                      session: Session) -> None:
    place = builders.facility(session)
    session.commit()
    response = admin_client.post("/admin/facilities", data={
        "name": place.name, "city": place.city, "region": str(place.region_id)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is already a facility with that name in that city." in page
    assert f'value="{place.name}"' in page


def test_rename_keeps_the_stories(admin_client: FlaskClient, session: Session) -> None:
    place = builders.facility(session)
    item = builders.submission(session, place=place, status=Status.APPROVED)
    session.commit()
    admin_client.post(f"/admin/facilities/{place.id}/rename",
                      data={"name": "Oakland Center", "city": "Oakland"})
    reread(session)
    assert session.get(Facility, place.id).name == "Oakland Center"  # type: ignore[union-attr]
    assert session.get(Submission, item.id).facility_id == place.id  # type: ignore[union-attr]


def test_moving_a_facility_moves_its_stories_and_statistics(admin_client: FlaskClient,
                                                            session: Session) -> None:
    place = builders.facility(session)
    north = Region(name="North Bay", slug="north-bay")
    session.add(north)
    items = [builders.submission(session, place=place, status=Status.APPROVED) for _ in range(3)]
    session.commit()
    response = admin_client.post(f"/admin/facilities/{place.id}/move",
                                 data={"region": str(north.id)})
    assert response.status_code == 302
    reread(session)
    assert {session.get(Submission, i.id).region_id for i in items} == {north.id}  # type: ignore[union-attr]
    assert _exact(session)
    cells = statistics.stored_cells(session)
    assert cells[(f"region={north.id}", "respondents", -1)] == 3


def test_merging_moves_every_story_and_keeps_the_statistics_exact(admin_client: FlaskClient,
                                                                  session: Session) -> None:
    duplicate = builders.facility(session, "Oakland Med Ctr", "Oakland")
    keeper = builders.facility(session, "Santa Rosa Medical Center", "Santa Rosa", "North Bay")
    moved = [builders.submission(session, place=duplicate, status=status)
             for status in (Status.APPROVED, Status.APPROVED, Status.PENDING)]
    builders.submission(session, place=keeper, status=Status.APPROVED)
    session.commit()
    unconfirmed = admin_client.post(f"/admin/facilities/{duplicate.id}/merge",
                                    data={"target": str(keeper.id)})
    assert unconfirmed.status_code == 400
    response = admin_client.post(f"/admin/facilities/{duplicate.id}/merge",
                                 data={"target": str(keeper.id), "confirm": "yes"})
    assert response.status_code == 302
    reread(session)
    for item in moved:
        row = session.get(Submission, item.id)
        assert row is not None and row.facility_id == keeper.id
        assert row.region_id == keeper.region_id
    gone = session.get(Facility, duplicate.id)
    assert gone is not None and gone.merged_into_id == keeper.id and not gone.active
    assert _exact(session)
    cells = statistics.stored_cells(session)
    assert cells[(f"facility={keeper.id}", "respondents", -1)] == 3
    assert (f"facility={duplicate.id}", "respondents", -1) not in cells
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "facility.merge")).one()
    assert entry.after == {"facility_id": keeper.id, "stories_moved": 3}


def test_a_facility_cannot_merge_into_itself(admin_client: FlaskClient, session: Session) -> None:
    place = builders.facility(session)
    session.commit()
    response = admin_client.post(f"/admin/facilities/{place.id}/merge",
                                 data={"target": str(place.id), "confirm": "yes"})
    assert response.status_code == 400
