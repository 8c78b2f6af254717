"""Releases cut through the real service, on SQLite and PostgreSQL, withstand the reader of
SPEC section 5 (tests/adversary.py) over what the site serves: every release's document and
the stories published by each cut."""

from __future__ import annotations

import datetime as dt
import json
import random
import zlib

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Setting, StatRelease
from testimonials.stats import releases
from testimonials.vocab import CareType, Status, WaitKind, WaitState
from tests import adversary, builders

MIN_CELL = 5
CARES = [int(CareType.INDIVIDUAL), int(CareType.GROUP), int(CareType.PSYCHIATRY),
         int(CareType.INDIVIDUAL) | int(CareType.PSYCHIATRY)]
MONTHS = [dt.date(2026, month, 1) for month in (4, 5, 6, 7, 8)]  # two quarters


def people(session: Session, places: list, chance: random.Random, count: int,  # type: ignore[type-arg]
           share_published: float) -> None:
    """`count` approved submissions; each published with probability `share_published`, the
    others counted for statistics only (no public story)."""
    for _ in range(count):
        published = chance.random() < share_published
        hidden_story = {} if published else {
            "consent_publish": False, "published_at": None, "first_published_at": None,
            "public_title": None, "public_story": None}
        builders.submission(
            session, status=Status.APPROVED, place=chance.choice(places),
            care_types=chance.choice(CARES), experience_month=chance.choice(MONTHS),
            outcomes=chance.choice([0, 1, 16]),
            waits={WaitKind.INTAKE: (chance.choice([WaitState.ENDED, WaitState.WAITING]),
                                     chance.randint(1, 200))},
            **hidden_story)
    session.commit()


def served(session: Session) -> tuple[list[releases.Release],
                                      list[dict[tuple[str, str], int]]]:
    """Every release as stored (the views are rebuilt from it) and its cut's stories."""
    found, stories = [], []
    for row in session.scalars(select(StatRelease).order_by(StatRelease.number)):
        found.append(releases.decode(row.number, row.cut_at, row.document))
        known = json.loads(zlib.decompress(row.document)).get("stories", {})
        stories.append({tuple(key.split("|", 1)): count  # type: ignore[misc]
                        for key, count in known.items()})
    return found, stories


def test_a_reader_of_every_release_and_story_narrows_no_hidden_count(
        app: Flask, session: Session) -> None:
    app.config["STATS_PROTECTION_AUDIT"] = True  # the default; kept whatever it becomes
    session.add(Setting(key="STATS_MIN_CELL", value=MIN_CELL))
    places = [builders.facility(session, "Alta", "Oakland", "East Bay"),
              builders.facility(session, "Baja", "Berkeley", "East Bay"),
              builders.facility(session, "Costa", "Fresno", "Valley"), None]
    session.commit()
    chance = random.Random(14)
    for count in (40, 12, 9):
        people(session, places, chance, count, share_published=0.85)
        builders.release(app)
    cuts, stories = served(session)
    assert len(cuts) == 3 and cuts[-1].dims.period == "quarter"
    assert cuts[-1].shown("respondents|all") == 61
    assert adversary.narrowed(cuts, MIN_CELL, stories) == {}
    assert adversary.differences(cuts, MIN_CELL) == {}
    assert adversary.statistics_only(cuts, stories, MIN_CELL) == {}
