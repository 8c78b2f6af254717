"""Statistics releases: published figures change only when a release is cut, and a release
never changes, at its own address, once published."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Account, AuditEntry, StatRelease
from testimonials.models.release import ReleaseImmutableError
from testimonials.vocab import CareType, Role, Status, WaitKind, WaitState
from tests import builders

SERVED = ("/stats", "/stats.csv", "/stats.json", "/api/v1/stats", "/",
          "/stats?region=east-bay&care=group", "/stats.json?care=individual")


def served(client: FlaskClient) -> dict[str, str]:
    return builders.served_bodies(client, SERVED)


@pytest.fixture
def clinic(app: Flask, session: Session):  # type: ignore[no-untyped-def]
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    for number in range(30):
        builders.submission(session, status=Status.APPROVED, place=place,
                            care_types=int(CareType.GROUP if number % 2 else CareType.INDIVIDUAL),
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 4 + number)})
    pending = builders.submission(session, place=place, consent_publish=False,
                                  waits={WaitKind.INTAKE: (WaitState.ENDED, 300)})
    moderator = Account(email="mod@example.org", role=Role.MODERATOR, password_hash="x",
                        active=True)
    session.add(moderator)
    session.commit()
    builders.release(app)
    return {"place": place, "pending": pending, "moderator": moderator}


def test_a_decision_changes_no_served_figure_until_the_next_release(
        app: Flask, client: FlaskClient, session: Session, clinic) -> None:  # type: ignore[no-untyped-def]
    before = served(client)
    builders.approve(session, clinic["pending"], clinic["moderator"], publish=False)
    assert served(client) == before  # a statistics-only approval: byte for byte the same
    # The audit (on by default) would hide the counts that moved by one since release 1
    # (rule 2 of stats/protection.py, tested there): here, when a decision is served.
    app.config["STATS_PROTECTION_AUDIT"] = False
    builders.release(app)
    after = served(client)
    for path in SERVED:
        assert after[path] != before[path], path
    assert json.loads(after["/stats.json"])["respondents"]["count"] == 31


def test_an_earlier_release_stays_at_its_address_byte_for_byte(
        app: Flask, client: FlaskClient, session: Session, database_url: str,
        clinic) -> None:  # type: ignore[no-untyped-def]
    addresses = ["/stats/releases/1", "/stats/releases/1.csv", "/stats/releases/1.json",
                 "/api/v1/stats/releases/1", "/stats/releases/1.json?care=group",
                 "/stats/releases/1?lang=es"]
    # A fresh client for each address: ?lang=es sticks to the client that asked for it.
    first = {path: builders.served_bodies(app.test_client(), [path])[path]
             for path in addresses}
    latest = json.loads(client.get("/stats.json").get_data(as_text=True))
    assert json.loads(first["/stats/releases/1.json"]) == latest  # the latest is release 1
    for number in range(12):
        builders.submission(session, status=Status.APPROVED, place=clinic["place"],
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 100 + number)})
    session.commit()
    assert builders.release(app) == 2
    other = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    try:
        for path in addresses:  # here, and from a worker that never saw release 1 before
            for worker in (app, other):
                again = builders.served_bodies(worker.test_client(), [path])[path]
                assert again == first[path], path
    finally:
        other.extensions["waitline.engine"].dispose()
    assert client.get("/stats.json").get_json()["release"]["number"] == 2
    assert client.get("/stats/releases/3").status_code == 404
    assert client.get("/api/v1/stats/releases/3").status_code == 404
    listing = client.get("/stats/releases").get_data(as_text=True)
    assert 'href="/stats/releases/2"' in listing and 'href="/stats/releases/1"' in listing


def test_the_latest_release_links_to_its_permanent_address(client: FlaskClient,
                                                           clinic) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/stats").get_data(as_text=True)
    assert "release 1" in page and 'href="/stats/releases/1"' in page
    doc = client.get("/stats.json?care=group").get_json()
    assert doc["release"]["address"] == {
        "page": "/stats/releases/1?care=group", "csv": "/stats/releases/1.csv?care=group",
        "json": "/stats/releases/1.json?care=group", "api": "/api/v1/stats/releases/1?care=group"}
    assert doc["release"]["changes"]["previous"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["release"]["cut_at"])


def test_a_published_release_is_never_changed(app: Flask, session: Session,
                                              clinic) -> None:  # type: ignore[no-untyped-def]
    stored = session.get(StatRelease, 1)
    original = bytes(stored.document)
    stored.respondents = 1
    with pytest.raises(ReleaseImmutableError):
        session.flush()
    session.rollback()
    session.delete(session.get(StatRelease, 1))
    with pytest.raises(ReleaseImmutableError):
        session.flush()
    session.rollback()
    builders.release(app)
    session.expire_all()
    assert bytes(session.get(StatRelease, 1).document) == original
    changes = json.loads(session.get(StatRelease, 2).changes)
    assert changes == {"previous": 1, "respondents_added": 0, "newly_shown": 0,
                       "newly_hidden": 0, "held": 0}


def test_the_release_command_follows_the_schedule(app: Flask, runner: FlaskCliRunner,
                                                  session: Session) -> None:
    place = builders.facility(session)
    for _ in range(12):
        builders.submission(session, status=Status.APPROVED, place=place)
    session.commit()
    result = runner.invoke(args=["stats", "release"])
    assert result.exit_code == 0 and "release 1 cut" in result.output, result.output
    result = runner.invoke(args=["stats", "release"])
    assert result.exit_code == 0 and "no release due" in result.output
    result = runner.invoke(args=["stats", "release", "--force"])
    assert result.exit_code == 0 and "no release: fewer than" in result.output
    for _ in range(11):
        builders.submission(session, status=Status.APPROVED, place=place)
    session.commit()
    result = runner.invoke(args=["stats", "release", "--force"])
    assert result.exit_code == 0 and "release 2 cut" in result.output
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "stats.release")
                              ).all()
    assert [e.subject for e in entries] == ["release:1", "release:2"]
    session.rollback()  # end the read (SQLite: a stale snapshot cannot become a write)
    # A week later the schedule asks for one again.
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7, minutes=1)
    with app.app_context():
        from testimonials import db

        db.session().execute(update(StatRelease.__table__).values(cut_at=week_ago))
        db.session().commit()
    for _ in range(11):
        builders.submission(session, status=Status.APPROVED, place=place)
    session.commit()
    result = runner.invoke(args=["stats", "release"])
    assert result.exit_code == 0 and "release 3 cut" in result.output


def test_a_release_waits_for_at_least_min_cell_new_people(
        app: Flask, runner: FlaskCliRunner, session: Session, clinic) -> None:  # type: ignore[no-untyped-def]
    # Finding 2 of the audit: one statistics-only approval between two releases told a reader
    # that person's place, care type, month, outcomes and wait band.
    builders.approve(session, clinic["pending"], clinic["moderator"], publish=False)
    result = runner.invoke(args=["stats", "release", "--force"])
    assert "no release: fewer than" in result.output
    assert session.scalars(select(StatRelease.number)).all() == [1]
    for number in range(10):
        builders.submission(session, status=Status.APPROVED, place=clinic["place"],
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 50 + number)})
    session.commit()
    result = runner.invoke(args=["stats", "release", "--force"])
    assert "release 2 cut" in result.output, result.output
