"""The hostile reader against releases cut by the real command from the real database.

Random people are approved between releases, some with their story published, some for the
statistics only; `cut_release` cuts a release whenever its guard allows one. The reader
(tests/adversary.py) holds every release as served and every story published by each cut,
and must narrow nothing: no hidden count, no change between two releases, no group less its
stories (audit findings 1 to 4, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Facility, StatRelease
from testimonials.services import releases as release_service
from testimonials.stats import releases
from testimonials.stats.cells import cells
from testimonials.stats.commands import cut_release
from testimonials.stats.queries import counts_of
from testimonials.vocab import CareType, Status, WaitKind, WaitState
from tests import adversary, builders

MIN_CELL = 5
START = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
CARES = [int(CareType.INDIVIDUAL), int(CareType.GROUP), int(CareType.PSYCHIATRY),
         int(CareType.INDIVIDUAL | CareType.PSYCHIATRY)]


def _places(session: Session) -> list[Facility]:
    return [builders.facility(session, "Big Clinic", "Oakland", "East Bay"),
            builders.facility(session, "Small Clinic", "Berkeley", "East Bay"),
            builders.facility(session, "Far Clinic", "Fresno", "Valley")]


def _approve(session: Session, rng: random.Random, places: list[Facility], count: int,
             published: bool, when: dt.datetime) -> None:
    for _ in range(count):
        builders.submission(
            session, status=Status.APPROVED, place=rng.choice(places),
            care_types=rng.choice(CARES), outcomes=rng.choice([0, 1, 16]),
            experience_month=rng.choice([dt.date(2026, 4, 1), dt.date(2026, 5, 1)]),
            waits={WaitKind.INTAKE: (rng.choice([WaitState.ENDED, WaitState.WAITING]),
                                     rng.randint(0, 200))},
            consent_publish=published, now=when,
            published_at=when if published else None,
            first_published_at=when if published else None)
    session.commit()


def _stories_at(session: Session, moment: dt.datetime) -> dict[tuple[str, str], int]:
    """What the reader adds up himself from the story pages published by `moment`."""
    from testimonials.models import Submission

    total: Counter = Counter()  # type: ignore[type-arg]
    for row in session.scalars(select(Submission).where(
            Submission.counted_in_stats.is_(True), Submission.first_published_at <= moment)):
        total.update(cells(row.region_id, row.facility_id, row.care_types,
                           row.experience_month, row.outcomes,
                           [(w.kind.value, w.state.value, w.days) for w in row.waits]))
    return counts_of((scope, measure, n) for (scope, measure, days), n in total.items()
                     if days == -1)


def _held(session: Session) -> tuple[list[releases.Release], list]:  # type: ignore[type-arg]
    rows = session.scalars(select(StatRelease).order_by(StatRelease.number)).all()
    return ([releases.decode(row.number, row.cut_at, row.document) for row in rows],
            [_stories_at(session, row.cut_at) for row in rows])


@pytest.mark.parametrize("seed", [7, 2026])
def test_no_release_cut_by_the_service_lets_a_reader_narrow_anything(
        app: Flask, session: Session, seed: int) -> None:
    """A random sequence of approvals (per seed: the database is built once per run)."""
    app.config["STATS_MIN_CELL"] = MIN_CELL
    app.config["STATS_PROTECTION_WIDTH"] = MIN_CELL
    rng = random.Random(seed)
    places = _places(session)
    engine = app.extensions["waitline.engine"]
    when = START
    _approve(session, rng, places, 12, True, when)
    _approve(session, rng, places, 12, False, when)
    with app.app_context():
        assert cut_release(engine, when + dt.timedelta(hours=1), force=True) is not None
    refused = 0
    for _step in range(3):
        when += dt.timedelta(days=1)
        _approve(session, rng, places, rng.randint(0, 8), False, when)
        _approve(session, rng, places, rng.randint(0, 6), True, when)
        with app.app_context():
            try:
                cut_release(engine, when + dt.timedelta(hours=1), force=True)
            except release_service.ReleaseError as error:
                assert error.code == "too_few_new"
                refused += 1
    cuts, known = _held(session)
    assert len(cuts) + refused == 4
    assert adversary.narrowed(cuts, MIN_CELL, known) == {}


def test_a_release_is_refused_while_one_statistics_only_person_would_stand_out(
        app: Flask, session: Session) -> None:
    """Finding 4: eleven published stories and one statistics-only patient since the last
    release make twelve newcomers, but the twelfth is alone once the stories are subtracted."""
    rng = random.Random(4)
    places = _places(session)
    engine = app.extensions["waitline.engine"]
    _approve(session, rng, places, 30, True, START)
    with app.app_context():
        assert cut_release(engine, START + dt.timedelta(hours=1), force=True) is not None
    later = START + dt.timedelta(days=1)
    _approve(session, rng, places, 11, True, later)
    _approve(session, rng, places, 1, False, later)
    with app.app_context(), pytest.raises(release_service.ReleaseError, match="too_few_new"):
        cut_release(engine, later + dt.timedelta(hours=1), force=True)
    _approve(session, rng, places, 10, False, later)  # eleven of them now: a release
    with app.app_context():
        assert cut_release(engine, later + dt.timedelta(hours=2), force=True) is not None
