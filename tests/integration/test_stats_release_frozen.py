"""What a release shows is fixed at its cut, settings included (the review of issue 14).

A region's slug, SITE_URL and SITE_NAME were read live when a release was served: renaming a
slug changed an old release's JSON, CSV and data package (their addresses and links) and
broke its permanent address with the region's filter; changing SITE_URL or SITE_NAME changed
its data package. A release now stores them at its cut and serves the same bytes, and its
addresses keep resolving, on SQLite and PostgreSQL. Releases cut before they were stored keep
what they did: today's slugs, address and name (stated below).
"""

from __future__ import annotations

import json
import re
import zlib
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials import caching, create_app
from testimonials.models import Region, StatRelease
from tests import builders

FILES = tuple(
    f"{path}{query}"
    for path in ("/stats/releases/1.csv", "/stats/releases/1.json", "/api/v1/stats/releases/1",
                 "/stats/releases/1/datapackage.json", "/stats.json", "/stats.csv",
                 "/stats/datapackage.json")
    for query in ("", "?region=east-bay", "?region=east-bay&lang=es", "?care=individual"))
PAGES = ("/stats/releases/1?region=east-bay", "/stats/releases/1?region=east-bay&lang=es",
         "/stats/releases/1/report?region=east-bay")
# A page's numbers: its main part less the filter form (which lists today's places); of the
# report, its tables (its header names the site as it is called today, like every page).
_MAIN = re.compile(r'<main id="main".*?</main>', re.S)
_FORM = re.compile(r'<details class="filter-box".*?</details>', re.S)
_TABLES = re.compile(r"<table.*?</table>", re.S)


@pytest.fixture
def cut(app: Flask, session: Session) -> None:
    """Two regions with 30 and 15 people."""
    builders.clinics_released(app, session,
                              (("Big Clinic", "East Bay", 30), ("Far Clinic", "Central", 15)))


def served(app: Flask) -> dict[str, str]:
    bodies = builders.served_bodies(app.test_client(), FILES + PAGES)
    for path in PAGES:
        parts = (_TABLES.findall(bodies[path]) if "/report" in path
                 else _MAIN.findall(_FORM.sub("", bodies[path])))
        assert parts, path
        bodies[path] = "".join(parts)
    return bodies


def rename_region(session: Session, old: str, new: str) -> None:
    region = session.scalars(select(Region).where(Region.slug == old)).one()
    region.slug = new
    caching.public_changed(session)
    session.commit()


def elsewhere(database_url: str, tmp_path: Any) -> Flask:
    """The same database served from another address and under another name."""
    return create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                       "OPEN_DATA_DIR": str(tmp_path / "open-data-2"),
                       "SITE_URL": "https://waits.example.org", "SITE_NAME": "Wait Watch",
                       "TRUSTED_HOSTS": ["localhost"]})


def test_renaming_a_slug_and_moving_the_site_change_no_byte_of_a_release(
        app: Flask, cut: None, session: Session, database_url: str, tmp_path: Any) -> None:
    before = served(app)
    package = json.loads(before["/stats/releases/1/datapackage.json?region=east-bay"])
    assert package["resources"][0]["path"].startswith("http://localhost/stats/releases/1.csv")
    assert package["title"].startswith("Waitline:")
    assert "/stats/releases/1.csv?region=east-bay" in before[
        "/stats/releases/1.json?region=east-bay"]
    rename_region(session, "east-bay", "bay-area")
    later = elsewhere(database_url, tmp_path)
    try:
        after = served(later)
        client = later.test_client()
        # Today's slug names the same region in the release, and its links keep the old one.
        today = client.get("/stats/releases/1.json?region=bay-area").get_data(as_text=True)
        form = client.get("/stats?region=bay-area").get_data(as_text=True)
    finally:
        later.extensions["waitline.engine"].dispose()
    for path, body in before.items():
        assert after[path] == body, path
    assert today == before["/stats/releases/1.json?region=east-bay"]
    assert 'value="bay-area"' in form  # the filter form offers today's slug


def test_a_region_given_a_freed_slug_does_not_take_over_the_release_address(
        app: Flask, cut: None, session: Session, database_url: str, tmp_path: Any) -> None:
    path = "/stats/releases/1.json?region=east-bay"
    before = app.test_client().get(path).get_data()
    rename_region(session, "east-bay", "bay-area")
    rename_region(session, "central", "east-bay")  # a later region takes the old slug
    later = elsewhere(database_url, tmp_path)
    try:
        client = later.test_client()
        assert client.get(path).get_data() == before
        spanish = client.get("/stats/releases/1.json?region=east-bay&lang=es").get_json()
        # Central, by the slug the release gave it, though its slug today is "east-bay".
        moved = client.get("/stats/releases/1.json?region=central").get_json()
    finally:
        later.extensions["waitline.engine"].dispose()
    assert spanish["filters"] == json.loads(before)["filters"]
    assert moved["release"]["address"]["csv"] == "/stats/releases/1.csv?region=central"


def stored_without_what_the_review_added(session: Session) -> None:
    """Release 1 as a format 5 release cut before slugs, address, name and the hidden
    sentence were stored."""
    row = session.get(StatRelease, 1)
    assert row is not None
    data = json.loads(zlib.decompress(row.document))
    assert set(data["region_slugs"].values()) == {"east-bay", "central"}
    assert data["site_url"] == "http://localhost"
    del data["region_slugs"], data["site_url"]
    for words in data["texts"].values():
        assert words["package_title"].startswith("Waitline:")
        del words["package_title"], words["people_withheld"]
    session.execute(update(StatRelease).where(StatRelease.number == 1).values(
        document=zlib.compress(json.dumps(data, separators=(",", ":")).encode())))
    session.commit()


def test_a_release_cut_before_they_were_stored_follows_todays_slugs_and_address(
        app: Flask, cut: None, session: Session, database_url: str, tmp_path: Any) -> None:
    """Decided: such a release keeps serving what it served, today's slug and address (no
    record says what they were at its cut); its addresses by a region's id never change."""
    stored_without_what_the_review_added(session)
    by_id = session.scalars(select(Region.id).where(Region.slug == "east-bay")).one()
    rename_region(session, "east-bay", "bay-area")
    later = elsewhere(database_url, tmp_path)
    try:
        client = later.test_client()
        # The old slug is no longer the release's: it leads to today's (a permanent redirect,
        # test_stats_region_renamed), as in any release that does not hold it.
        old = client.get("/stats/releases/1.json?region=east-bay")
        assert (old.status_code, old.headers["Location"]) == (
            301, "/stats/releases/1.json?region=bay-area")
        found = client.get("/stats/releases/1.json?region=bay-area").get_json()
        assert found["release"]["address"]["csv"] == "/stats/releases/1.csv?region=bay-area"
        assert client.get(f"/stats/releases/1.json?region={by_id}").status_code == 200
        package = client.get("/stats/releases/1/datapackage.json").get_json()
    finally:
        later.extensions["waitline.engine"].dispose()
    assert package["resources"][0]["path"] == "https://waits.example.org/stats/releases/1.csv"
    assert package["title"].startswith("Wait Watch:")
