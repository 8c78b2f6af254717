"""Releases cut through the real service, on SQLite and PostgreSQL, withstand the reader of
SPEC section 5 (tests/adversary.py) over what the site serves: every release's document and
the stories published by each cut; also when patients withdraw between releases (the erasure
service: their answers leave the statistics, and counts fall)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import shutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import hypothesis.strategies as st
import pytest
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Setting, StatRelease, Submission
from testimonials.services import submissions
from testimonials.stats import releases
from testimonials.vocab import CareType, Status, WaitKind, WaitState
from tests import adversary, builders
from tests.conftest import empty_postgres

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
    assert adversary.narrowed_once(cuts, MIN_CELL, stories) == {}
    assert adversary.differences(cuts, MIN_CELL) == {}
    assert adversary.statistics_only(cuts, stories, MIN_CELL) == {}


@contextmanager
def fresh_site(database_url: str, request: pytest.FixtureRequest, number: int,
               tmp_path: Path) -> Iterator[tuple[Flask, Session]]:
    """An app and a session on an empty database of the test's backend, for one hypothesis
    example (the `app` fixture's database is the test's, shared by its examples)."""
    if database_url.startswith("sqlite"):
        path = tmp_path / f"example-{number}.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        database_url = f"sqlite:///{path}"
    else:
        empty_postgres(request.getfixturevalue("postgres_cleaner"))
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "OPEN_DATA_DIR": str(tmp_path / f"open-data-{number}")})
    session = app.extensions["waitline.sessionmaker"]()
    try:
        yield app, session
    finally:
        session.close()
        app.extensions["waitline.engine"].dispose()


def withdraw_some(session: Session, chance: random.Random, count: int) -> None:
    """`count` counted people (chosen by `chance`) withdraw: the patient's erasure, as
    /my/<token>/withdraw does it (the story off the site, the answers out of the statistics)."""
    counted = session.scalars(select(Submission).where(Submission.status == Status.APPROVED)
                              .order_by(Submission.id)).all()
    for gone in chance.sample(list(counted), min(count, len(counted))):
        submissions.withdraw(session, gone, builders.NOW)
    session.commit()


_examples = itertools.count()  # each example's own SQLite file

# Few examples, each on an empty database: each cuts three releases through the service
# (a few seconds of CPU) and the reader solves hundreds of programs over them.
@settings(max_examples=2, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10_000),
       st.lists(st.tuples(st.integers(0, 12), st.integers(1, 4)), min_size=2, max_size=2),
       st.floats(0.3, 1))
def test_a_reader_narrows_no_hidden_count_when_people_withdraw_between_releases(
        database_url: str, request: pytest.FixtureRequest, tmp_path: Path, seed: int,
        steps: list[tuple[int, int]], share_published: float) -> None:
    # Between releases, `arriving` people are approved and `leaving` withdraw. The reader is
    # told between which releases people left (not who): there he drops "never falls".
    with fresh_site(database_url, request, next(_examples), tmp_path) as (app, session):
        app.config["STATS_PROTECTION_AUDIT"] = True
        session.add(Setting(key="STATS_MIN_CELL", value=MIN_CELL))
        places = [builders.facility(session, "Alta", "Oakland", "East Bay"),
                  builders.facility(session, "Baja", "Berkeley", "East Bay"),
                  builders.facility(session, "Costa", "Fresno", "Valley"), None]
        session.commit()
        chance = random.Random(seed)
        people(session, places, chance, 30, share_published)
        builders.release(app)
        for arriving, leaving in steps:
            withdraw_some(session, chance, leaving)
            people(session, places, chance, arriving, share_published)
            builders.release(app)
        cuts, stories = served(session)
    left = set(range(1, len(cuts)))
    assert len(cuts) == 3
    assert adversary.narrowed_once(cuts, MIN_CELL, stories, left=left) == {}
    assert adversary.differences(cuts, MIN_CELL) == {}
    assert adversary.statistics_only(cuts, stories, MIN_CELL) == {}
