"""A region's former slug leads to its slug of today (issue 14), on SQLite and PostgreSQL.

A release stores each region's slug at its cut, so a release cut after a rename knew only the
new slug: /stats?region=<old> and every file, API answer and /stories link shared with it
answered 404 (or, on /stories, an empty list). The database now keeps the slugs a region gave
up (a trigger, whoever renames), and an old slug is answered with a permanent redirect to the
same address with today's slug, every other parameter kept. A slug held today, or stored by
the release asked for, names its region; one that never named any stays a 404.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Region, RegionFormerSlug
from tests import builders

# Every address that filters by region, with other parameters the redirect must keep.
PAGES = ("/stats", "/stats.csv", "/stats.json", "/stats/datapackage.json", "/stats/report",
         "/stats/releases/2", "/stats/releases/2.json", "/stories", "/stories.atom")
APIS = ("/api/v1/stats", "/api/v1/stats/releases/2", "/api/v1/stories")


@pytest.fixture
def cut(app: Flask, session: Session) -> None:
    """Two regions, East Bay (30 people) and Central (15), in release 1."""
    builders.clinics_released(app, session,
                              (("Big Clinic", "East Bay", 30), ("Far Clinic", "Central", 15)))


def rename(session: Session, old: str, new: str) -> None:
    """A rename typed in SQL: the record must not depend on the application doing it (the
    admin's rename screen is tested in moderate/test_admin_regions.py)."""
    session.execute(text("UPDATE region SET slug = :new WHERE slug = :old"),
                    {"new": new, "old": old})
    caching.public_changed(session)
    session.commit()


def region_id(session: Session, slug: str) -> int:
    return session.scalars(select(Region.id).where(Region.slug == slug)).one()


def moved_to(client: FlaskClient, path: str) -> str:
    """Where `path` sends its reader permanently (asserting it does)."""
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    return str(response.headers["Location"])


def test_an_old_slug_leads_to_todays_on_every_address_other_parameters_kept(
        app: Flask, cut: None, session: Session, client: FlaskClient) -> None:
    east_bay = region_id(session, "east-bay")
    rename(session, "east-bay", "bay-area")
    assert builders.release(app) == 2
    for path in PAGES:
        location = moved_to(client, f"{path}?care=individual&region=east-bay&lang=es")
        assert location == f"{path}?care=individual&region=bay-area&lang=es", path
    for path in APIS:
        response = client.get(f"{path}?region=east-bay&care=individual")
        assert response.status_code == 301, path
        assert response.headers["Location"] == f"{path}?region=bay-area&care=individual"
        # For a client that does not follow redirects: the new slug, said in the body.
        assert response.get_json()["region"] == "bay-area", path
    # Followed, the same view as by today's slug, in the reader's language.
    found = client.get(moved_to(client, "/stats.json?region=east-bay&lang=es")).get_json()
    assert found["filters"]["region"] == east_bay and found["language"] == "es"
    page = client.get(moved_to(client, "/stats?region=east-bay"))
    assert page.status_code == 200 and 'value="bay-area" selected' in page.get_data(as_text=True)
    stories = client.get(moved_to(client, "/stories?region=east-bay")).get_data(as_text=True)
    assert "Waiting " in stories  # East Bay's stories, not an empty list
    # Release 1 stored the old slug: its own address answers as it always did.
    assert client.get("/stats/releases/1.json?region=east-bay").status_code == 200


def test_a_slug_renamed_twice_leads_to_the_last_from_both(
        app: Flask, cut: None, session: Session, client: FlaskClient) -> None:
    rename(session, "east-bay", "bay-area")
    builders.release(app)
    rename(session, "bay-area", "greater-bay")
    # Release 2 stored bay-area, which keeps answering in it; east-bay goes to today's slug.
    assert moved_to(client, "/stats?region=east-bay") == "/stats?region=greater-bay"
    assert client.get("/stats?region=bay-area").status_code == 200
    assert client.get("/stats?region=greater-bay").status_code == 200
    builders.release(app)
    for old in ("east-bay", "bay-area"):
        assert moved_to(client, f"/stats.json?region={old}") == "/stats.json?region=greater-bay"
    # Release 2 still answers its own slug; the one before it leads to today's.
    assert client.get("/stats/releases/2.json?region=bay-area").status_code == 200
    assert moved_to(client, "/stats/releases/2.json?region=east-bay") == (
        "/stats/releases/2.json?region=greater-bay")


def test_an_old_slug_given_to_another_region_names_that_region(
        app: Flask, cut: None, session: Session, client: FlaskClient) -> None:
    central = region_id(session, "central")
    rename(session, "east-bay", "bay-area")
    rename(session, "central", "east-bay")  # the freed slug, taken by another region
    builders.release(app)
    found = client.get("/stats.json?region=east-bay")
    assert found.status_code == 200 and found.get_json()["filters"]["region"] == central
    assert client.get("/stats?region=bay-area").status_code == 200
    # Central's own former slug leads to it.
    assert moved_to(client, "/stats?region=central") == "/stats?region=east-bay"


def test_a_slug_no_region_ever_had_is_still_not_found(
        app: Flask, cut: None, session: Session, client: FlaskClient) -> None:
    rename(session, "east-bay", "bay-area")
    builders.release(app)
    page = client.get("/stats?region=nowhere")
    assert page.status_code == 404
    assert "We do not know that region." in page.get_data(as_text=True)
    problem = client.get("/api/v1/stats?region=nowhere")
    assert problem.status_code == 404
    assert problem.get_json()["invalid-params"][0]["name"] == "region"
    assert client.get("/api/v1/stories?region=nowhere").status_code == 404


def test_the_database_keeps_each_former_slug_and_forgets_them_with_the_region(
        app: Flask, session: Session) -> None:
    region = Region(name="North", slug="north")
    session.add(region)
    session.commit()
    rename(session, "north", "far-north")
    session.refresh(region)
    region.slug = "northern"  # through the ORM as well
    session.commit()
    region.name = "Northern"  # a change of name alone records nothing
    session.commit()
    kept = session.execute(select(RegionFormerSlug.slug, RegionFormerSlug.region_id)
                           .order_by(RegionFormerSlug.id)).all()
    assert [tuple(row) for row in kept] == [("north", region.id), ("far-north", region.id)]
    session.delete(region)
    session.commit()
    assert session.scalars(select(RegionFormerSlug)).all() == []


def test_the_redirect_keeps_repeated_and_unknown_parameters_in_order(
        app: Flask, cut: None, session: Session, client: FlaskClient) -> None:
    rename(session, "east-bay", "bay-area")
    builders.release(app)
    location = moved_to(client, "/stats?utm_source=x&region=east-bay&wait=intake&utm_source=y")
    assert urlsplit(location).path == "/stats"
    assert parse_qsl(urlsplit(location).query) == [
        ("utm_source", "x"), ("region", "bay-area"), ("wait", "intake"), ("utm_source", "y")]
