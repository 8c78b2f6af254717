"""A release that tells a reader nothing new of the earlier ones has only its own counts
judged (`protection.Audit.growth`): what the service stores with each release lets the next
audit see that, and the reader of SPEC section 5 (tests/adversary.py) still narrows nothing.
On SQLite and PostgreSQL, through the real service.

Why it matters: each audit judged the hidden counts of every earlier release again, over a
program holding them all, and its cost grew with every release (123 s of CPU for the third
weekly release of a small demo, 285 s for the fourth).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Setting, StatRelease, Submission
from testimonials.services import submissions
from testimonials.vocab import Status, WaitKind, WaitState
from tests import adversary, builders
from tests.integration.test_stats_release_adversary import served

MIN_CELL = 5


def document(session: Session, number: int) -> dict[str, Any]:
    row = session.scalars(select(StatRelease).where(StatRelease.number == number)).one()
    found: dict[str, Any] = json.loads(zlib.decompress(row.document))
    return found


def approved(session: Session, place: Any, count: int, first_days: int = 3) -> None:
    for number in range(count):
        builders.submission(session, status=Status.APPROVED, place=place,
                            experience_month=dt.date(2026, 5, 1),
                            waits={WaitKind.INTAKE: (WaitState.ENDED, first_days + number)})
    session.commit()


def two_clinics(session: Session) -> Any:
    """A big clinic (30 people) and a small one in another region (3), minimum cell 5;
    returns the big one."""
    session.add(Setting(key="STATS_MIN_CELL", value=MIN_CELL))
    big = builders.facility(session, "Alta", "Oakland", "East Bay")
    small = builders.facility(session, "Costa", "Fresno", "Valley")
    session.commit()
    approved(session, big, 30)
    approved(session, small, 3)
    return big


def test_a_release_after_people_only_joined_leaves_the_past_unjudged_and_safe(
        app: Flask, session: Session) -> None:
    app.config["STATS_PROTECTION_AUDIT"] = True
    big = two_clinics(session)
    builders.release(app)
    first = document(session, 1)
    assert first["audit_past_unchanged"] is False  # nothing earlier
    assert first["audit_bounds"]  # what its audit found of the counts it hid
    assert set(first["audit_bounds"]) <= set(first["hidden_counts"])

    approved(session, big, 4, first_days=40)  # four more people: nobody left, nothing fell
    builders.release(app)
    second = document(session, 2)
    assert second["audit_past_unchanged"] is True

    # A withdrawal that makes a count fall (newcomers elsewhere): the earlier releases are
    # judged again. (One that others' arrivals make up for leaves every count as "never
    # falls" assumes, and the past as it was.)
    gone = session.scalars(select(Submission).where(Submission.facility_id == big.id)).first()
    assert gone is not None
    submissions.withdraw(session, gone, dt.datetime.now(dt.UTC))
    session.commit()
    approved(session, builders.facility(session, "Delta", "Eureka", "North"), 5)
    builders.release(app)
    assert document(session, 3)["audit_past_unchanged"] is False

    cuts, stories = served(session)
    # (The reader is told that people left before the third release: there a count may
    # fall, and "never falls", false of the true counts, is no longer his.)
    assert adversary.narrowed(cuts, MIN_CELL, stories, left={2}) == {}
    assert adversary.differences(cuts, MIN_CELL) == {}
    assert adversary.statistics_only(cuts, stories, MIN_CELL) == {}


def test_a_release_after_one_cut_without_the_audit_judges_everything(
        app: Flask, session: Session) -> None:
    big = two_clinics(session)
    app.config["STATS_PROTECTION_AUDIT"] = False
    builders.release(app)
    assert "audit_bounds" not in document(session, 1)
    app.config["STATS_PROTECTION_AUDIT"] = True
    approved(session, big, 4, first_days=40)
    builders.release(app)
    assert document(session, 2)["audit_past_unchanged"] is False
