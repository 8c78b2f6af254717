"""Audit finding 5 through every output: no band cell of 1 to 10 people, no percentile or
interval end among the few longest answers, no "more than N" that is one person's answer,
on the page, in the CSV, the JSON, the API and `flask export stats` (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from testimonials.stats.inner import EDGES
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders

MIN_CELL = 11  # the default STATS_MIN_CELL
JSON_PATHS = ("/stats.json", "/api/v1/stats", "/stats/releases/1.json",
              "/stats.json?care=individual")


@pytest.fixture
def released(app: Flask, session: Session) -> None:
    """One clinic: 25 waits that ended in 4 to 28 days, 2 people who gave up after 40 days
    and 3 still waiting after 250 days (the longest answers: one of them is "more than 250")."""
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    waits = [(WaitState.ENDED, 4 + number) for number in range(25)]
    waits += [(WaitState.GAVE_UP, 40)] * 2 + [(WaitState.WAITING, 250)] * 3
    for state, days in waits:
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (state, days)})
    session.commit()
    builders.release(app)


def groups(node: Any) -> Iterator[dict[str, Any]]:
    """Every group's figures in a JSON document, at any depth."""
    if isinstance(node, dict):
        if isinstance(node.get("figures"), dict):
            yield node["figures"]
        for value in node.values():
            yield from groups(value)
    elif isinstance(node, list):
        for value in node:
            yield from groups(value)


def small(value: Any) -> bool:
    return isinstance(value, int) and 0 < value < MIN_CELL


def assert_protected(document: dict[str, Any]) -> None:
    found = list(groups(document))
    assert found
    for figures in found:
        for band in figures["bands"]:
            cells = [band[name] for name in ("ended", "waiting", "gave_up", "never_offered",
                                             "total")]
            assert not [cell for cell in cells if small(cell)], band
        for name, percentile in figures["percentiles"].items():
            assert percentile["more_than"] is None or percentile["more_than"] in EDGES, name
            assert percentile["days"] is None or name == "median" or name == "p25" \
                or percentile["days"] < 250
        assert not small(figures["n_over_standard"]) and not small(figures["n_at_standard"])
        intervals = figures["intervals"]
        for name in ("p75", "p90"):
            assert intervals[name]["high"] != 250


def test_no_small_band_cell_or_extreme_answer_is_served_as_json(
        client: FlaskClient, released: None) -> None:
    for path in JSON_PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_protected(response.get_json())
    intake = client.get("/stats.json").get_json()["waits"][0]["group"]
    assert intake["count"] == 30
    figures = intake["figures"]
    # The three still waiting after 250 days were a band cell of 3 ("> 6 months, waiting").
    assert [band["waiting"] for band in figures["bands"]][-1] is None
    # The 75th percentile was 26 days, with 8 answers at or above it: withheld as extreme.
    assert figures["percentiles"]["p75"]["days"] is None
    assert figures["intervals"]["p75"]["withheld"] == "extreme"
    # Not reached: "more than" a band edge, not the 250 days three people reported.
    assert figures["percentiles"]["p90"]["more_than"] == 183


def test_no_small_band_cell_is_in_the_csv_and_the_withheld_say_why(
        client: FlaskClient, released: None) -> None:
    text = client.get("/stats.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    bands = [row for row in rows if row["measure"].startswith("band_")]
    assert bands
    assert not [row for row in bands if row["value"] and small(int(float(row["value"])))]
    withheld = [row for row in bands if row["code"]]
    assert withheld and {(row["status"], row["code"], row["value"]) for row in withheld} == {
        ("missing", "few_answers", "")}
    p75 = [row for row in rows if row["measure"] == "p75_withheld"
           and row["group_key"] == "intake|all"]
    assert [row["code"] for row in p75] == ["extreme"]


def test_the_page_says_why_band_cells_are_not_shown(client: FlaskClient,
                                                    released: None) -> None:
    for path in ("/stats", "/stats/releases/1", "/stats?lang=es"):
        page = client.get(path).get_data(as_text=True)
        assert ("Cells of fewer than 11 answers, and those that would give them away" in page
                or "Las celdas de menos de 11 respuestas" in page), path


def test_flask_export_stats_serves_the_same_protected_figures(
        runner: FlaskCliRunner, client: FlaskClient, released: None) -> None:
    result = runner.invoke(args=["export", "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    assert exported == client.get("/stats.json").get_json()
    assert_protected(exported)


def test_a_share_withheld_beside_a_shown_count_is_not_said_to_rest_on_too_few(
        app: Flask, client: FlaskClient, session: Session) -> None:
    """The statistics page's sentence under the chart: 40 answers, 23 of them known to be over
    the standard (shown), but the share is withheld because it rests on a withheld band count
    (5 waits that ended within two weeks). Not "too few answers": withheld to protect people."""
    place = builders.facility(session, "Lone Clinic", "Fresno", "Central")
    for number in range(40):
        wait = ((WaitState.ENDED, 5) if number < 5 else (WaitState.WAITING, 10) if number < 17
                else (WaitState.ENDED, 20 + number))
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.FIRST_RETURN: wait})
    session.commit()
    app.config["STATS_PROTECTION_AUDIT"] = False  # the words, not the protection
    builders.release(app)
    data = client.get("/stats/releases/1.json").get_json()
    figures = next(wait["group"]["figures"] for wait in data["waits"]
                   if wait["series"] == "first_return")
    assert figures["n_over_standard"] == 23 and figures["share_over_standard"] is None
    assert figures["intervals"]["share_over_standard"]["withheld"] == "few_answers"
    for language, said in {
            "en": "The share of all waits longer than the standard is withheld to protect "
                  "privacy",
            "es": "La proporción de todas las esperas más largas que el plazo no se publica, "
                  "para proteger la privacidad"}.items():
        page = " ".join(client.get(f"/stats?wait=first_return&lang={language}")
                        .get_data(as_text=True).split())
        assert said in page, language
        assert "Too few answers to estimate" not in page and "para estimar qué parte" not in page
