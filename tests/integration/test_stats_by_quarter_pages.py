"""Quarters on the statistics pages: the release page's trend (with its intervals drawn), the
JSON, the tidy CSV and the API by quarter, in English and Spanish; and a release cut before
quarters (format 2, by month) still read at its address with its months."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import runtime_settings
from testimonials.models import StatCell, StatRelease
from testimonials.services import aggregates as queries
from testimonials.services import releases as release_service
from testimonials.stats import releases, universe
from testimonials.stats.cells import NO_DAYS
from testimonials.stats.page import Base, all_filters, needed_scopes
from testimonials.stats.quarters import MONTH
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders
from tests.integration.test_stats_pages import json_of, tidy_rows

# (month, people): Q1 2026 holds 6 + 6 + 6, Q2 2026 8 + 8, Q3 3 people (hidden) and Q4 12
# (hidden too, else the total would give Q3 away).
MONTHS = ((dt.date(2026, 1, 1), 6), (dt.date(2026, 2, 1), 6), (dt.date(2026, 3, 1), 6),
          (dt.date(2026, 4, 1), 8), (dt.date(2026, 5, 1), 8), (dt.date(2026, 7, 1), 3),
          (dt.date(2026, 10, 1), 12))


@pytest.fixture
def by_month(app: Flask, session: Session) -> dict[str, Any]:
    clinic = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    for month, people in MONTHS:
        for number in range(people):
            builders.submission(
                session, status=Status.APPROVED, place=clinic, experience_month=month,
                waits={WaitKind.FIRST_RETURN: (WaitState.ENDED, 20 + 7 * number + month.month),
                       WaitKind.INTAKE: (WaitState.ENDED, 5 + number)})
    session.commit()
    return {"clinic": clinic}


def _time_breakdown(group: dict[str, Any], name: str) -> dict[str, Any]:
    return next(b for b in group["breakdowns"] if b["name"] == name)


def test_the_release_publishes_quarters_summed_from_the_months(
        app: Flask, client: FlaskClient, by_month: dict[str, Any]) -> None:
    builders.release(app)
    doc = json_of(client, "/stats.json")
    wait = next(w for w in doc["waits"] if w["series"] == "first_return")
    quarters = {g["key"]: g for g in _time_breakdown(wait["group"], "quarter")["groups"]}
    assert not any(b["name"] == "month" for b in wait["group"]["breakdowns"])
    first = quarters["first_return|quarter=2026-Q1"]
    second = quarters["first_return|quarter=2026-Q2"]
    assert (first["count"], first["label"]) == (18, "Q1 2026")
    assert (second["count"], second["label"]) == (16, "Q2 2026")
    assert quarters["first_return|quarter=2026-Q3"]["suppressed"]  # 3 people
    assert quarters["first_return|quarter=2026-Q4"]["suppressed"]
    interval = first["figures"]["intervals"]["median"]
    median = first["figures"]["percentiles"]["median"]["days"]
    # The ends among the few longest or shortest answers are moved out (finding 5): the low
    # end to the band edge below it (29 -> 28), the upper end (49) to "more than" the edge
    # below it, 28, which would read backwards ("37 days, 95% CI 28 to more than 28"), so
    # "more than" the median itself.
    assert (interval["low"], median, interval["high"], interval["high_more_than"]) \
        == (28, 37, None, 37)
    api = json_of(client, "/api/v1/stats")
    assert any(b["name"] == "quarter" for w in api["waits"] for b in w["group"]["breakdowns"])
    spanish = json_of(client, "/stats.json?lang=es")
    labels = [g["label"] for w in spanish["waits"] if w["series"] == "first_return"
              for g in _time_breakdown(w["group"], "quarter")["groups"]]
    assert labels[:2] == ["1.er trim. 2026", "2.º trim. 2026"]
    rows = tidy_rows(client.get("/stats.csv").get_data(as_text=True))
    counted = {row["period"]: row["value"] for row in rows if row["series"] == "first_return"
               and row["breakdown"] == "quarter" and row["measure"] == "count"}
    assert counted["2026 Q1"] == "18.0" and counted["2026 Q2"] == "16.0"
    assert counted["2026 Q3"] == "" and counted["2026 Q4"] == ""
    assert {row["month"] for row in rows if row["breakdown"] == "quarter"} == {""}


def test_the_page_draws_each_quarter_with_its_interval_and_a_table(
        app: Flask, client: FlaskClient, by_month: dict[str, Any]) -> None:
    builders.release(app)
    page = client.get("/stats?wait=first_return").get_data(as_text=True)
    figure = re.search(r'<section class="stat-figure" id="fig-quarter-first_return".*?</section>',
                       page, re.S)
    assert figure, "no quarterly trend on the page"
    text = figure.group(0)
    assert "By quarter" in text and "2 of 4 quarters have a published median" in text
    assert len(re.findall(r'<line [^>]*class="ci', text)) == 2  # one interval a shown quarter
    assert re.search(r"<text [^>]*>Q1</text>", text) and ">2026</text>" in text
    assert "Q1 2026" in text and "95% CI" in text  # the table, with the intervals
    assert "/stats/charts/quarter-first_return.svg" in text
    assert "By care type and by quarter" in page
    svg = client.get("/stats/charts/quarter-first_return.svg?wait=first_return")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"Q1" in svg.data
    spanish = client.get("/stats?wait=first_return&lang=es").get_data(as_text=True)
    assert "Por trimestre" in spanish and "1.er trim. 2026" in spanish and ">T1</text>" in spanish


def _month_release(session: Session, now: dt.datetime) -> None:
    """Publish a release as format 2 cut it: by month (what an older site holds)."""
    rows = session.execute(select(StatCell.scope, StatCell.measure, StatCell.count)
                           .where(StatCell.days == NO_DAYS, StatCell.count != 0))
    counts = queries.counts_of(rows)
    places = queries.dimensions(session, counts)
    months = tuple(sorted({scope[6:] for _family, scope in counts
                           if scope.startswith("month=")}))
    dims = universe.Dimensions(places.regions, places.facilities, months, MONTH)
    base = Base(0, now, dims, counts, universe.hidden_keys(dims, counts, 11), 11)
    scopes = list(dict.fromkeys(s for f in all_filters(dims) for s in needed_scopes(f, dims)))
    document = releases.build(base, queries.histograms(session, scopes),
                              runtime_settings.get("WAIT_STANDARDS"))
    document["format"] = 2
    assert "months" in document and "quarters" not in document
    release_service.publish(session, release_service.Draft(now, document, 0, 0), now)
    session.commit()


def test_a_release_cut_by_month_keeps_its_months_at_its_address(
        app: Flask, client: FlaskClient, session: Session, by_month: dict[str, Any]) -> None:
    with app.app_context():
        _month_release(session, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    stored = bytes(session.scalars(select(StatRelease.document)).one())
    before = client.get("/stats/releases/1.json").get_data()
    builders.release(app)  # release 2: by quarter
    old = json_of(client, "/stats/releases/1.json")
    wait = next(w for w in old["waits"] if w["series"] == "first_return")
    months = _time_breakdown(wait["group"], "month")["groups"]
    assert [g["label"] for g in months][:2] == ["2026-01", "2026-02"]
    assert client.get("/stats/releases/1.json").get_data() == before
    page = client.get("/stats/releases/1?wait=first_return").get_data(as_text=True)
    assert 'id="fig-month-first_return"' in page and "By month" in page
    assert "quarter" not in client.get("/stats/releases/1.csv").get_data(as_text=True)
    new = json_of(client, "/stats/releases/2.json")
    assert any(b["name"] == "quarter" for w in new["waits"] for b in w["group"]["breakdowns"])
    session.expire_all()
    assert bytes(session.get(StatRelease, 1).document) == stored
