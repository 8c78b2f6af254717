"""Admins rename a region on the facilities page: a new name and slug, and every link shared
with the old slug still leads to the region (its statistics, files and stories)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import reread
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Region, Submission
from tests import builders


def _region(session: Session, name: str) -> Region:
    return session.scalars(select(Region).where(Region.name == name)).one()


def test_a_renamed_region_has_a_new_name_and_slug_and_its_old_links_lead_there(
        app: Flask, admin_client: FlaskClient, session: Session) -> None:
    builders.clinics_released(app, session, (("Big Clinic", "East Bay", 30),
                                             ("Far Clinic", "Central", 15)))
    east_bay = _region(session, "East Bay")
    story = session.scalars(select(Submission).where(
        Submission.region_id == east_bay.id)).first()
    assert story is not None
    before = story.updated_at

    page = admin_client.get("/admin/facilities").get_data(as_text=True)
    assert f'action="/admin/regions/{east_bay.id}/rename"' in page
    response = admin_client.post(f"/admin/regions/{east_bay.id}/rename",
                                 data={"name": "  Bay   Area "})
    assert response.status_code == 302
    assert "Renamed the region East Bay to Bay Area." in admin_client.get(
        "/admin/facilities").get_data(as_text=True)
    reread(session)
    renamed = session.get(Region, east_bay.id)
    assert renamed is not None and (renamed.name, renamed.slug) == ("Bay Area", "bay-area")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "region.rename")).one()
    assert entry.subject == f"region:{east_bay.id}"
    # A mirror following updated_since reads the region's stories again.
    assert session.get(Submission, story.id).updated_at > before  # type: ignore[union-attr]

    # Release 1 keeps the name it was cut with; release 2 knows only the new slug, and the
    # old one leads there.
    assert builders.release(app, dt.datetime.now(dt.UTC)) == 2
    reader = app.test_client()
    moved = reader.get("/stats?region=east-bay&care=individual")
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/stats?region=bay-area&care=individual"
    assert reader.get("/stats?region=bay-area").status_code == 200
    assert "East Bay" in reader.get("/stats/releases/1.json").get_data(as_text=True)
    spanish = admin_client.get("/admin/facilities?lang=es").get_data(as_text=True)
    assert "Cambiar el nombre de la región Bay Area" in spanish


def test_a_refused_rename_says_why_and_keeps_what_was_typed(
        admin_client: FlaskClient, session: Session) -> None:
    builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    builders.facility(session, "Far Clinic", "Fresno", "Central")
    session.commit()
    east_bay = _region(session, "East Bay")

    taken = admin_client.post(f"/admin/regions/{east_bay.id}/rename", data={"name": "Central"})
    assert taken.status_code == 400
    page = taken.get_data(as_text=True)
    assert "There is already a region with that name." in page
    assert 'href="#rename"' in page and 'id="rename"' in page  # the summary leads to the field
    assert f'id="rename-{east_bay.id}" name="name" value="Central"' in page
    assert '<details class="rename-region" open>' in page

    empty = admin_client.post(f"/admin/regions/{east_bay.id}/rename", data={"name": "   "})
    assert empty.status_code == 400
    assert "Enter the region's new name (100 characters at most)." in empty.get_data(
        as_text=True)
    long = admin_client.post(f"/admin/regions/{east_bay.id}/rename", data={"name": "x" * 101})
    assert long.status_code == 400
    assert admin_client.post("/admin/regions/999999/rename",
                             data={"name": "Nowhere"}).status_code == 404
    reread(session)
    assert (_region(session, "East Bay").slug, _region(session, "Central").slug) == (
        "east-bay", "central")
    assert session.scalars(select(AuditEntry).where(
        AuditEntry.action == "region.rename")).first() is None


def test_a_new_slug_never_takes_another_regions_old_one_but_a_region_may_take_its_back(
        admin_client: FlaskClient, session: Session) -> None:
    builders.facility(session, "Big Clinic", "Oakland", "North")
    builders.facility(session, "Far Clinic", "Fresno", "South")
    session.commit()
    north, south = _region(session, "North"), _region(session, "South")

    admin_client.post(f"/admin/regions/{north.id}/rename", data={"name": "Northern Coast"})
    # "north" was the first region's: its old links must keep leading to it.
    admin_client.post(f"/admin/regions/{south.id}/rename", data={"name": "North"})
    reread(session)
    assert session.get(Region, south.id).slug == "north-2"  # type: ignore[union-attr]

    admin_client.post(f"/admin/regions/{south.id}/rename", data={"name": "South"})
    admin_client.post(f"/admin/regions/{north.id}/rename", data={"name": "North"})
    reread(session)
    assert session.get(Region, north.id).slug == "north"  # type: ignore[union-attr]
    # A change of case alone keeps the slug, and writes no former one.
    admin_client.post(f"/admin/regions/{north.id}/rename", data={"name": "NORTH"})
    reread(session)
    assert session.get(Region, north.id).slug == "north"  # type: ignore[union-attr]
    # The same name again changes nothing, and says so.
    entries = len(session.scalars(select(AuditEntry).where(
        AuditEntry.action == "region.rename")).all())
    admin_client.post(f"/admin/regions/{north.id}/rename", data={"name": "NORTH "})
    assert "Nothing changed: the region is already called NORTH." in admin_client.get(
        "/admin/facilities").get_data(as_text=True)
    reread(session)
    assert len(session.scalars(select(AuditEntry).where(
        AuditEntry.action == "region.rename")).all()) == entries
