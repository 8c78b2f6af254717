"""`flask export`: the statistics files the site serves, and stories for the public or for
officials, with nothing a moderator alone may see."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders

SECRET_WORDS = "Dr Secretname at 555-0100"


def stories(session: Session) -> dict[str, int]:
    place = builders.facility(session, "Clinic =SUM(A1)", "Oakland", "East Bay")
    common = {"place": place, "email": "patient@example.org",
              "original_story": f"My original words with {SECRET_WORDS}, before moderation.",
              "moderator_note": "note for moderators only"}
    made = {
        "published": builders.submission(session, status=Status.APPROVED, consent_share=True,
                                         display_name="Maria", **common),
        "shared_only": builders.submission(session, status=Status.APPROVED, consent_share=True,
                                           consent_publish=False, published_at=None,
                                           display_name="Ana", **common),
        "published_not_shared": builders.submission(session, status=Status.APPROVED,
                                                    consent_share=False, **common),
        "pending": builders.submission(session, status=Status.PENDING, consent_share=True,
                                       **common),
        "rejected": builders.submission(session, status=Status.REJECTED, consent_share=True,
                                        **common),
    }
    session.commit()
    return {name: row.id for name, row in made.items()}


def lines(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_export_stories_writes_the_published_ones_as_the_api_shows_them(
        runner: FlaskCliRunner, client: FlaskClient, session: Session) -> None:
    ids = stories(session)
    result = runner.invoke(args=["export", "stories"])
    assert result.exit_code == 0, result.output
    records = lines(result.stdout)
    assert sorted(r["id"] for r in records) == sorted([ids["published"],
                                                       ids["published_not_shared"]])
    api = client.get(f"/api/v1/stories/{ids['published']}").get_json()["data"]
    exported = next(r for r in records if r["id"] == ids["published"])
    assert {k: v for k, v in exported.items() if k != "url"} == \
        {k: v for k, v in api.items() if k != "url"}
    assert "2 stories exported" in result.stderr


def test_export_for_officials_is_anonymous_and_follows_the_sharing_consent(
        runner: FlaskCliRunner, session: Session) -> None:
    ids = stories(session)
    result = runner.invoke(args=["export", "stories", "--audience", "officials"])
    assert result.exit_code == 0, result.output
    records = lines(result.stdout)
    assert [r["id"] for r in records] == [ids["published"], ids["shared_only"]]
    for record in records:
        assert "display_name" not in record and "url" not in record
        assert record["approved_at"].endswith("Z")
    text = result.stdout
    for private in (SECRET_WORDS, "patient@example.org", "note for moderators", "Maria", "Ana",
                    "original words", "flags"):
        assert private not in text


def test_export_stories_as_csv_opens_cleanly_in_a_spreadsheet(
        runner: FlaskCliRunner, session: Session) -> None:
    stories(session)
    result = runner.invoke(args=["export", "stories", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert len(table) == 2
    assert table[0]["facility"] == "'Clinic =SUM(A1)" or table[0]["facility"].startswith("Clinic")
    assert table[0]["first_return_state"] == WaitState.ENDED.value
    assert table[0]["first_return_days"] == "60"
    for row in table:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "@")), value


def test_export_stats_is_the_file_the_site_serves(app: Flask, runner: FlaskCliRunner,
                                                  client: FlaskClient, session: Session,
                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    place = builders.facility(session)
    for number in range(15):
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 3 + number)})
    session.commit()
    result = runner.invoke(args=["export", "stats"])
    assert result.exit_code != 0 and "No statistics have been published yet." in result.output
    builders.release(app)
    target = tmp_path / "stats.csv"
    result = runner.invoke(args=["export", "stats", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().decode() == client.get("/stats.csv").get_data(as_text=True)
    result = runner.invoke(args=["export", "stats", "--format", "json", "--region", "east-bay"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == client.get("/stats.json?region=east-bay").get_json()
    builders.submission(session, status=Status.APPROVED, place=place)
    session.commit()
    builders.release(app)
    again = tmp_path / "release-1.csv"
    result = runner.invoke(args=["export", "stats", "--release", "1", "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == target.read_bytes()  # release 1, unchanged


def test_export_stats_refuses_an_unknown_filter_with_a_reason(app: Flask,
                                                              runner: FlaskCliRunner) -> None:
    builders.release(app)
    result = runner.invoke(args=["export", "stats", "--region", "atlantis"])
    assert result.exit_code != 0
    assert "400" in result.output or "404" in result.output
