"""Release format 5, on SQLite and PostgreSQL: inside a shown group, no count of how the wait
stood (ended, still waiting, gave up, never offered) is 1 to 10 people or can be worked out
from the others, on the page (English and Spanish), in the CSV, the JSON, the API and
`flask export stats`, which all say the same."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders

MIN_CELL = 11
STATES = ("n_ended", "n_waiting", "n_gave_up", "n_never_offered")
WITHOUT_DAYS = ("n_gave_up_without_days", "n_never_offered_without_days")
JSON_PATHS = ("/stats.json", "/api/v1/stats", "/stats/releases/1.json",
              "/api/v1/stats/releases/1", "/stats.json?region=east-bay")


@pytest.fixture
def released(app: Flask, session: Session) -> None:
    """One clinic: 25 waits that ended, 3 people still waiting after 40 days and 4 who gave
    up (2 after 30 days, 2 without saying after how long)."""
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    waits = [(WaitState.ENDED, 4 + number) for number in range(25)]
    waits += [(WaitState.WAITING, 40)] * 3 + [(WaitState.GAVE_UP, 30)] * 2
    waits += [(WaitState.GAVE_UP, None)] * 2
    for state, days in waits:
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (state, days)})
    session.commit()
    builders.release(app)


def figures_of(node: Any) -> list[dict[str, Any]]:
    """Every group's figures in a JSON document, at any depth."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("figures"), dict):
            found.append(node["figures"])
        for value in node.values():
            found += figures_of(value)
    elif isinstance(node, list):
        for value in node:
            found += figures_of(value)
    return found


def small(value: Any) -> bool:
    return isinstance(value, int) and 0 < value < MIN_CELL


def test_no_small_count_of_how_the_wait_stood_is_served_as_json(
        client: FlaskClient, released: None) -> None:
    for path in JSON_PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        found = figures_of(response.get_json())
        assert found, path
        for figures in found:
            states = [figures[name] for name in STATES]
            assert not [value for value in (*states, *(figures[n] for n in WITHOUT_DAYS))
                        if small(value)], (path, figures)
            hidden = [value for value in states if value is None]
            assert len(hidden) != 1, (path, states)
            assert (figures["n_gave_up"] is None) == (figures["share_gave_up"] is None)
    intake = client.get("/stats.json").get_json()["waits"][0]["group"]
    assert intake["count"] == 32
    figures = intake["figures"]
    # 3 still waiting and 4 who gave up add up to 7: the 25 whose wait ended go with them.
    assert [figures[name] for name in STATES] == [None, None, None, 0]
    assert (figures["n_gave_up_without_days"], figures["share_gave_up"]) == (None, None)
    assert figures["n_in_estimate"] == 30
    for band in figures["bands"]:
        assert not [band[name] for name in ("ended", "waiting", "gave_up") if band[name]]


def test_the_csv_leaves_them_empty_and_says_why(client: FlaskClient,
                                                released: None) -> None:
    text = client.get("/stats.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [row for row in csv.DictReader(io.StringIO(text))
            if row["group_key"] == "intake|all"]
    found = {row["measure"]: (row["value"], row["status"], row["code"]) for row in rows}
    for name in ("n_ended", "n_waiting", "n_gave_up", "n_gave_up_without_days",
                 "share_gave_up"):
        assert found[name] == ("", "missing", "few_answers"), name
    assert found["n_never_offered"] == ("0.0", "shown", "")
    assert found["n_in_estimate"] == ("30.0", "shown", "")


def test_the_page_marks_them_in_english_and_spanish(client: FlaskClient,
                                                    released: None) -> None:
    page = client.get("/stats").get_data(as_text=True)
    # The glance table: the share who gave up is withheld with its count; never offered, 0%.
    assert ("hidden (fewer than 11 answers, or a change of 1 to 10 since the last release that "
            "showed it, here or in a related group) / 0%") in page
    assert "How the waits stood." in page
    assert "2 people gave up, or were never offered an appointment, without saying" in page
    spanish = client.get("/stats?lang=es").get_data(as_text=True)
    assert "Cómo quedó la espera." in spanish
    assert ("oculto (menos de 11 respuestas, o un cambio de 1 a 10 desde la última edición que "
            "lo mostró, aquí o en un grupo relacionado) / 0") in spanish


def test_flask_export_stats_agrees_with_the_files(runner: FlaskCliRunner, client: FlaskClient,
                                                 released: None) -> None:
    for form, path in (("json", "/stats.json"), ("csv", "/stats.csv")):
        result = runner.invoke(args=["export", "stats", "--format", form])
        assert result.exit_code == 0, result.output
        served = client.get(path).get_data(as_text=True).lstrip("\ufeff")
        if form == "json":
            assert json.loads(result.stdout) == json.loads(served)
        else:
            # (the runner's text stream reads the file's CRLF line ends as LF)
            assert result.stdout.replace("\r\n", "\n") == served.replace("\r\n", "\n")


@pytest.fixture
def nobody_censored(app: Flask, session: Session) -> None:
    """One clinic: 3 people who gave up after 3 days and 197 waits that ended after 20 days,
    nobody still waiting: by the standard (14 days) the cumulative incidence of giving up is
    exactly 3 / 200, and its interval narrow enough to be shown were the count not withheld."""
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    waits = [(WaitState.GAVE_UP, 3)] * 3 + [(WaitState.ENDED, 20)] * 197
    for state, days in waits:
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (state, days)})
    session.commit()
    builders.release(app)


WITHHELD_INCIDENCE = {"value": None, "low": None, "high": None, "high_more_than": None,
                      "n": 200, "withheld": "few_answers"}


def test_a_withheld_count_takes_its_cumulative_incidence_with_it(
        runner: FlaskCliRunner, client: FlaskClient, nobody_censored: None) -> None:
    exported = runner.invoke(args=["export", "stats", "--format", "json"])
    assert exported.exit_code == 0, exported.output
    documents = [client.get(path).get_json() for path in JSON_PATHS[:4]]
    for document in (*documents, json.loads(exported.stdout)):
        figures = document["waits"][0]["group"]["figures"]
        assert figures["n_gave_up"] is None and figures["n_in_estimate"] == 200
        incidence = figures["intervals"]["gave_up_by_standard"]
        # Before: 0.015 (0.004 to 0.040), and 0.015 x 200 answers with days = the 3 withheld.
        assert incidence == WITHHELD_INCIDENCE, incidence
        for found in figures_of(document):
            if found["n_gave_up"] is None and found["intervals"] is not None:
                assert found["intervals"]["gave_up_by_standard"]["value"] is None
            if found["n_never_offered"] is None and found["intervals"] is not None:
                assert found["intervals"]["never_offered_by_standard"]["value"] is None
    for text in (client.get("/stats.csv").get_data(as_text=True),
                 runner.invoke(args=["export", "stats", "--format", "csv"]).stdout):
        rows = [row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
                if row["group_key"] == "intake|all"]
        assert rows
        for row in rows:
            if row["measure"] in ("gave_up_by_standard", "gave_up_by_standard_low",
                                  "gave_up_by_standard_high"):
                assert (row["value"], row["status"]) == ("", "missing"), row
            if row["measure"] == "gave_up_by_standard_withheld":
                assert row["code"] == "few_answers", row
    # The page shows no cumulative incidence; the share who gave up (3 of 200) is hidden.
    for path, hidden in (("/stats", "hidden (fewer than 11 answers"),
                         ("/stats?lang=es", "oculto (menos de 11 respuestas")):
        page = client.get(path).get_data(as_text=True)
        assert hidden in page and "1.5%" not in page and "1,5" not in page, path
