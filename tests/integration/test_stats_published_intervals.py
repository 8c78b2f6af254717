"""Every estimate's 95% interval and n, and the never-offered answers, are the same in the
release's JSON, CSV, API and `flask export stats`, and the methods note has its own page."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import StatCell
from testimonials.stats.intervals import Intervals
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders

INTAKE = WaitKind.INTAKE


def answers(session: Session) -> None:
    """65 intake answers: waits ended, still waiting, gave up, never offered, 11 on the
    14-day standard, and two of 730 days or more."""
    place = builders.facility(session)
    waits: list[tuple[WaitState, int | None]] = [
        *((WaitState.ENDED, 3 + number) for number in range(30)),
        *((WaitState.WAITING, 20 + 2 * number) for number in range(8)),
        *((WaitState.GAVE_UP, 10 + 3 * number) for number in range(6)),
        (WaitState.GAVE_UP, None),
        *((WaitState.NEVER_OFFERED, 12 + 5 * number) for number in range(5)),
        (WaitState.NEVER_OFFERED, None), (WaitState.NEVER_OFFERED, None),
        *((WaitState.ENDED, 14) for _ in range(10)),
        (WaitState.ENDED, 730), (WaitState.GAVE_UP, 730),
    ]
    for state, days in waits:
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={INTAKE: (state, days)})
    session.commit()


def intake(doc: dict) -> dict:  # type: ignore[type-arg]
    return next(w for w in doc["waits"] if w["series"] == "intake")["group"]["figures"]


def csv_row(text: str) -> dict[str, str]:
    """The whole-site intake figures of the tidy file, by measure (a word's code, or a value)."""
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return {row["measure"]: row["code"] or row["value"] for row in rows
            if row["group_key"] == "intake|all" and not row["filter_region_id"]
            and not row["filter_facility_id"] and not row["filter_care"]}


def same(cell: str, value: object) -> bool:
    """A tidy cell (numbers written as decimals) against the JSON's value."""
    if value is None or isinstance(value, str):
        return cell == ("" if value is None else value)
    return abs(float(cell) - float(value)) < 1e-4  # type: ignore[arg-type]


def test_intervals_and_n_are_the_same_in_json_csv_api_and_export(
        app: Flask, client: FlaskClient, runner: FlaskCliRunner, session: Session) -> None:
    answers(session)
    builders.release(app)
    figures = intake(client.get("/stats.json").get_json())
    # 8 still waiting, 8 who gave up and 7 never offered: 1 to 10 each, withheld together
    # (23 in all) with their counts without days (release format 5); 41 ended, shown.
    assert [figures[name] for name in ("n_ended", "n_waiting", "n_gave_up",
                                       "n_never_offered")] == [41, None, None, None]
    assert figures["n_never_offered_without_days"] is None
    assert figures["share_never_offered"] is None and figures["n_in_estimate"] == 61
    assert figures["n_at_standard"] == 11  # ten "2 weeks" and one 14 days, all ended
    intervals = figures["intervals"]
    assert set(intervals) == set(Intervals.NAMES)
    median = intervals["median"]
    assert median["n"] == 61 and median["withheld"] is None
    assert median["low"] <= median["value"] == figures["percentiles"]["median"]["days"]
    # The first band's 2 who gave up and 1 never offered are withheld with its 22 ended:
    # the share over the 14-day standard rests on those ended and on who stopped before
    # (with the count over the standard, it gives the answers at risk), so it goes too.
    share = intervals["share_over_standard"]
    assert figures["bands"][0]["ended"] is None and figures["n_over_standard"] == 36
    assert share == {"value": None, "low": None, "high": None, "high_more_than": None,
                     "n": 61, "withheld": "few_answers"}
    assert figures["share_over_standard"] is None
    # Their counts withheld, the cumulative incidences of giving up and of never being
    # offered an appointment go with them (format 5), with their n.
    for name in ("gave_up_by_standard", "never_offered_by_standard"):
        assert intervals[name] == {
            "value": None, "low": None, "high": None, "high_more_than": None, "n": 61,
            "withheld": "few_answers"}, name

    assert intake(client.get("/api/v1/stats").get_json()) == figures
    exported = runner.invoke(args=["export", "stats", "--format", "json"])
    assert exported.exit_code == 0, exported.output
    assert intake(json.loads(exported.stdout)) == figures

    row = csv_row(client.get("/stats.csv").get_data(as_text=True))
    exported = runner.invoke(args=["export", "stats", "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    assert csv_row(exported.stdout) == row
    for name in Intervals.NAMES:
        estimate = intervals[name]
        for part in ("low", "high", "n", "withheld"):
            assert same(row[f"{name}_{part}"], estimate[part]), (name, part)
    assert same(row["median_days"], median["value"])
    assert same(row["median_high_more_than"], median["high_more_than"])
    for name in ("gave_up_by_standard", "never_offered_by_standard"):
        assert same(row[name], intervals[name]["value"])
    assert row["n_never_offered"] == "few_answers" and same(row["n_at_standard"], 11)
    assert same(row["n_ended"], 41)


def test_never_offered_answers_have_their_own_aggregate_cells(
        app: Flask, session: Session) -> None:
    answers(session)
    counted = dict(session.execute(
        select(StatCell.days, StatCell.count).where(
            StatCell.scope == "all", StatCell.measure == "intake:never_offered")).all())
    assert counted == {-1: 2, 12: 1, 17: 1, 22: 1, 27: 1, 32: 1}


def test_the_methods_note_has_its_own_page_in_both_languages(
        app: Flask, client: FlaskClient, session: Session) -> None:
    before = client.get("/stats/methods")
    assert before.status_code == 200
    assert "not the regulator" in before.get_data(as_text=True)
    answers(session)
    builders.release(app)
    page = client.get("/stats/methods").get_data(as_text=True)
    assert "30.436875" in page and "Aalen-Johansen" in page and "730 days or more" in page
    assert "First (intake) appointment, 11" in page  # the answers on the standard, counted
    spanish = client.get("/stats/methods?lang=es").get_data(as_text=True)
    assert "no son la medida con la que el regulador" in spanish.lower()
    assert "Primera cita" in spanish or "primera cita" in spanish
    assert "/stats/methods" in client.get("/stats").get_data(as_text=True)
