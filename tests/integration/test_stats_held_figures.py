"""Held figures through the app: a group that release 1 showed and release 2 hides (it moved by
a few) is served in release 2 with release 1's figures, marked with release 1, on the page, in
the CSV, the JSON and the API, never as release 2's count; release 1 stays byte for byte."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import StatRelease
from testimonials.stats import releases
from testimonials.vocab import WaitKind, WaitState
from tests import adversary, builders

RELEASE_1 = ("/stats/releases/1", "/stats/releases/1.csv", "/stats/releases/1.json",
             "/api/v1/stats/releases/1", "/stats/releases/1.json?lang=es",
             "/stats/releases/1/datapackage.json")


@pytest.fixture
def held(app: Flask, client: FlaskClient, session: Session) -> dict[str, Any]:
    """Release 1 of two clinics; three people join the first; release 2."""
    served: dict[str, str] = {}
    big, _far = builders.a_few_joined(
        app, session, lambda number: {WaitKind.INTAKE: (WaitState.ENDED, 4 + 3 * number)},
        lambda: served.update(builders.served_bodies(client, RELEASE_1)))
    before = served
    cut = session.scalar(select(StatRelease.cut_at).where(StatRelease.number == 1))
    assert cut is not None
    return {"big": big, "before": before, "date": cut.date().isoformat()}


def intake(doc: dict[str, Any]) -> dict[str, Any]:
    return next(w["group"] for w in doc["waits"] if w["series"] == "intake")


def test_a_group_hidden_in_release_2_is_served_with_release_1s_figures(
        client: FlaskClient, held: dict[str, Any]) -> None:
    facility = f"?facility={held['big'].id}"
    for path in (f"/stats.json{facility}", f"/api/v1/stats{facility}",
                 f"/stats/releases/2.json{facility}"):
        doc = client.get(path).get_json()
        group = intake(doc)
        assert group["suppressed"] and group["count"] is None, path
        assert group["figures"] is None, path
        assert group["held"]["release"] == 1 and group["held"]["date"] == held["date"], path
        assert group["held"]["count"] == 30 and group["held"]["figures"]["count"] == 30, path
        assert doc["release"]["changes"]["held"] >= 1, path
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/stats.csv{facility}").get_data(as_text=True).lstrip("\ufeff"))))
    count = next(row for row in rows if row["series"] == "intake" and row["breakdown"] == ""
                 and row["measure"] == "count")
    assert (count["value"], count["status"]) == ("", "suppressed")
    assert (count["held_from_release"], count["held_date"], count["held_value"]) == (
        "1", held["date"], "30.0")
    page = client.get(f"/stats{facility}").get_data(as_text=True)
    assert 'class="held-figures"' in page
    assert f'<a href="/stats/releases/1{facility}">as of release 1,' in page
    # Unfiltered, the facility is a row of the breakdown: its note counts it as held.
    page = client.get("/stats").get_data(as_text=True)
    assert "of them is given below as an earlier release showed it" in page \
        or "of them are given below as earlier releases showed them" in page
    # Each held table is a landmark named by its caption: no two alike on a page (axe's
    # landmark-unique), whichever breakdowns hold groups.
    for path in ("/stats", f"/stats{facility}", "/stats?wait=intake"):
        names = re.findall(r'aria-label="(Table: Hidden in this release[^"]*)"',
                           client.get(path).get_data(as_text=True))
        assert len(names) == len(set(names)), (path, names)
    assert re.search(r'aria-label="Table: Hidden in this release[^"]*\((Region|Facility|Wait)\)"',
                     page)
    listing = client.get("/stats/releases").get_data(as_text=True)
    assert "given as an earlier release showed it" in listing \
        or "given as earlier releases showed them" in listing
    # Release 1 at its own address: byte for byte as before release 2 was cut.
    assert builders.served_bodies(client, RELEASE_1) == held["before"]


def test_the_reader_takes_only_the_current_counts_of_a_release_with_held_figures(
        app: Flask, session: Session, held: dict[str, Any]) -> None:
    found = [releases.decode(row.number, row.cut_at, row.document)
             for row in session.execute(select(StatRelease).order_by(StatRelease.number)
                                        ).scalars()]
    key = f"intake|facility={held['big'].id}"
    assert found[1].held_of(key) is not None  # held in release 2...
    knowledge = adversary.read(found)
    assert (1, key) in knowledge.hidden and (1, key) not in knowledge.shown  # ...still hidden
    assert knowledge.shown[(0, key)] == 30
    assert key not in adversary.shown_counts(found[1])


def test_a_wait_whose_legal_standard_changed_is_not_held(
        app: Flask, client: FlaskClient, session: Session) -> None:
    # A held share over the standard was of the standard then, and the page shows this
    # release's beside it: the first appointment's standard moves, the return's does not.
    def both_waits(number: int) -> builders.Waits:
        return {WaitKind.INTAKE: (WaitState.ENDED, 4 + 3 * number),
                WaitKind.FIRST_RETURN: (WaitState.ENDED, 5 + 2 * number)}

    def first_appointments_standard_moves() -> None:
        app.config["WAIT_STANDARDS"] = {**app.config["WAIT_STANDARDS"],
                                        "intake": {"business_days": 20}}

    big, _far = builders.a_few_joined(app, session, both_waits,
                                      first_appointments_standard_moves)
    waits = {w["series"]: w["group"]
             for w in client.get(f"/stats.json?facility={big.id}").get_json()["waits"]}
    assert waits["intake"]["suppressed"] and "held" not in waits["intake"]
    assert waits["first_return"]["suppressed"]
    assert waits["first_return"]["held"]["release"] == 1
