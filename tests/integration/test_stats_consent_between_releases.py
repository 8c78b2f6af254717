"""Audit findings 2 and 4, on SQLite and PostgreSQL: between two releases, approving a
statistics-only patient or a story-only patient moves nothing a reader can poll (finding 2:
differencing over time; finding 4: the consent choice itself), and the next release adds at
least STATS_MIN_CELL people, so its "what changed" cannot single either of them out."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from testimonials.models import Account, Submission
from testimonials.vocab import Role, Status, WaitKind, WaitState
from tests import builders

MIN_CELL = 11
POLLED = ("/stats", "/stats.csv", "/stats.json", "/api/v1/stats", "/stats?care=individual",
          "/stats.json?region=east-bay", "/stats/releases", "/stats/releases/1.json")
# The home page's statistics: its figure boxes after the stories-published count, and the
# release they come from (the count of published stories does move with a published story).
_HOME_FIGURES = re.compile(r'<li class="figure-box">.*?</li>\s*(<li class="figure-box">.*?'
                           r'From statistics release[^<]*)', re.S)


def polled(client: FlaskClient, runner: FlaskCliRunner) -> dict[str, str]:
    """Everything a reader can fetch of the statistics, now."""
    found = builders.served_bodies(client, POLLED)
    home = _HOME_FIGURES.search(client.get("/").get_data(as_text=True))
    assert home is not None and "Median wait for a first appointment" in home.group(1)
    found["/ (figures)"] = home.group(1)
    for kind in ("csv", "json"):
        result = runner.invoke(args=["export", "stats", "--format", kind])
        assert result.exit_code == 0, result.output
        found[f"flask export stats --format {kind}"] = result.stdout
    return found


@pytest.fixture
def clinic(app: Flask, session: Session) -> dict[str, Any]:
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    for number in range(30):
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 4 + number)})
    statistics_only = builders.submission(session, place=place, consent_publish=False,
                                          waits={WaitKind.INTAKE: (WaitState.WAITING, 300)})
    story_only = builders.submission(session, place=place, consent_stats=False,
                                     waits={WaitKind.INTAKE: (WaitState.GAVE_UP, 200)})
    moderator = Account(email="mod@example.org", role=Role.MODERATOR, password_hash="x",
                        active=True)
    session.add(moderator)
    session.commit()
    builders.release(app)
    return {"place": place, "statistics_only": statistics_only, "story_only": story_only,
            "moderator": moderator}


def test_approving_a_statistics_only_or_a_story_only_patient_moves_no_polled_figure(
        client: FlaskClient, runner: FlaskCliRunner, session: Session,
        clinic: dict[str, Any]) -> None:
    """Findings 2 and 4: neither approval changes any statistics output until a release."""
    before = polled(client, runner)
    builders.approve(session, clinic["statistics_only"], clinic["moderator"], publish=False)
    assert polled(client, runner) == before  # no figure moved by one counted person
    builders.approve(session, clinic["story_only"], clinic["moderator"], publish=True)
    # A story was published without its statistics: no figure moved either, so the reader
    # cannot tell that it was published without statistics consent.
    assert polled(client, runner) == before
    session.expire_all()
    published = session.get(Submission, clinic["story_only"].id)
    assert published is not None and published.published_at is not None  # it is online


def test_the_next_release_waits_for_enough_people_that_its_changes_single_no_one_out(
        app: Flask, client: FlaskClient, runner: FlaskCliRunner, session: Session,
        clinic: dict[str, Any]) -> None:
    """Findings 2 and 4: a release that differed from the last by the statistics-only
    patient alone would show that patient's answers (and, with the story-only patient's
    published story, which of the two chose what); it is not cut until STATS_MIN_CELL
    people joined."""
    builders.approve(session, clinic["statistics_only"], clinic["moderator"], publish=False)
    builders.approve(session, clinic["story_only"], clinic["moderator"], publish=True)
    result = runner.invoke(args=["stats", "release", "--force"])
    assert "no release: fewer than" in result.output  # one counted person joined, not 11
    for number in range(MIN_CELL - 1):
        builders.submission(session, status=Status.APPROVED, place=clinic["place"],
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 50 + number)})
    session.commit()
    result = runner.invoke(args=["stats", "release", "--force"])
    assert "release 2 cut" in result.output, result.output
    document = client.get("/stats.json").get_json()
    changes = document["release"]["changes"]
    assert changes["previous"] == 1 and changes["respondents_added"] == MIN_CELL
    # The story-only patient is in no figure: 30 + the statistics-only one + 10.
    assert document["respondents"]["count"] == 30 + MIN_CELL
    first = json.loads(client.get("/stats/releases/1.json").get_data(as_text=True))
    assert first["respondents"]["count"] == 30
