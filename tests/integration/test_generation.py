"""The generation behind every cached page: each service that changes something public moves
it, in its own transaction; a change only the statistics see does not (consent must not leak).

Each case runs one service entry point and compares what the public can see (published
stories and their waits and themes, places, settings, themes, report picks, releases)
before and after: whatever changed it must have moved the generation. Every moderator
decision moves it whatever it changed; a patient's change moves it only for a published story.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import caching, runtime_settings
from testimonials.models import (
    Account,
    Facility,
    Region,
    ReportPick,
    Setting,
    StatRelease,
    Submission,
    SubmissionTheme,
    Theme,
    Wait,
)
from testimonials.services import (
    annotations,
    bulk,
    facilities,
    moderation,
    regions,
    report_picks,
    submissions,
)
from testimonials.stats.place_report import Place
from testimonials.vocab import Language, Reporter, Role, Status, Unit, WaitKind, WaitState
from testimonials.waits import WaitAnswer
from tests import builders

NOW = builders.NOW


def _public(session: Session) -> tuple[Any, ...]:
    """Everything a reader can see that lives in the database."""
    published = select(Submission.id).where(Submission.published_at.is_not(None))
    return tuple(tuple(tuple(row) for row in session.execute(query)) for query in (
        select(Submission.id, Submission.public_title, Submission.public_story,
               Submission.display_name, Submission.facility_id, Submission.region_id,
               Submission.care_types, Submission.outcomes, Submission.experience_month,
               Submission.published_at).where(Submission.published_at.is_not(None))
        .order_by(Submission.id),
        select(Wait.submission_id, Wait.kind, Wait.state, Wait.days)
        .where(Wait.submission_id.in_(published)).order_by(Wait.submission_id, Wait.kind),
        select(SubmissionTheme.submission_id, SubmissionTheme.theme_id)
        .where(SubmissionTheme.submission_id.in_(published))
        .order_by(SubmissionTheme.submission_id, SubmissionTheme.theme_id),
        select(Facility.id, Facility.name, Facility.city, Facility.region_id, Facility.active,
               Facility.merged_into_id).order_by(Facility.id),
        select(Region.id, Region.name, Region.slug).order_by(Region.id),
        select(Setting.key, Setting.value).order_by(Setting.key),
        select(Theme.id, Theme.slug, Theme.name_en, Theme.name_es).order_by(Theme.id),
        select(ReportPick.scope, ReportPick.place_id, ReportPick.submission_id,
               ReportPick.position).order_by(ReportPick.id),
        select(StatRelease.number).order_by(StatRelease.number),
    ))


def _answers(facility: int | None, **changes: Any) -> submissions.Answers:
    values: dict[str, Any] = dict(
        story="I waited four months for a therapist after my first visit.", title=None,
        reporter=Reporter.PATIENT, facility_id=facility, facility_other=None, care_types=0,
        outcomes=0, experience_month=None,
        waits=(WaitAnswer(WaitKind.FIRST_RETURN, WaitState.ENDED, 60, 60, Unit.DAYS),),
        consent_publish=True, consent_stats=True, consent_share=True, consent_contact=False,
        display_name=None, email=None)
    return submissions.Answers(**{**values, **changes})


class World:
    """A moderator, two facilities in two regions, and stories in each state."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.moderator = Account(email="mod@example.org", password_hash="-",
                                 role=Role.MODERATOR)
        session.add(self.moderator)
        self.east = builders.facility(session)
        self.north = builders.facility(session, "Santa Rosa Medical Center", "Santa Rosa",
                                       "North Bay")
        self.empty_region = Region(name="Nowhere", slug="nowhere")
        self.theme = Theme(slug="cost", name_en="Cost", name_es="Costo")
        session.add_all([self.empty_region, self.theme])
        waiting = {WaitKind.FIRST_RETURN: (WaitState.WAITING, 20)}
        self.pending = builders.submission(session, place=self.east)
        self.published = builders.submission(session, status=Status.APPROVED, place=self.east,
                                             consent_share=True, waits=waiting)
        self.counted_only = builders.submission(session, status=Status.APPROVED,
                                                place=self.east, published_at=None,
                                                consent_publish=False, waits=waiting)
        session.commit()

    def decide(self, step: Callable[..., Any], item: Submission, **extra: Any) -> None:
        step(self.session, item, self.moderator, NOW, version=item.version, **extra)


def _approve(world: World) -> None:
    item = world.pending
    world.decide(moderation.approve, item, title="Waiting", story=item.original_story)


def _approve_counted_only(world: World) -> None:
    item = builders.submission(world.session, consent_publish=False)
    world.session.commit()
    world.decide(moderation.approve, item, title="Waiting", story=item.original_story)


def _edit_by_patient(item: Callable[[World], Submission]) -> Callable[[World], None]:
    def run(world: World) -> None:
        submissions.edit(world.session, item(world),
                         _answers(world.east.id, story="Edited: I waited five months."), NOW)
    return run


def _wait_ended(item: Callable[[World], Submission]) -> Callable[[World], None]:
    def run(world: World) -> None:
        ended = {WaitKind.FIRST_RETURN: WaitAnswer(WaitKind.FIRST_RETURN, WaitState.ENDED, 90,
                                                   90, Unit.DAYS)}
        submissions.report_waits_ended(world.session, item(world), ended, NOW)
    return run


def _settings(world: World) -> None:
    runtime_settings.save(world.session, "STATS_MIN_CELL", 5, world.moderator, NOW)


def _pick(world: World) -> None:
    report_picks.pick(world.session, Place("site"), world.published.id, world.moderator, NOW)


def _unpick(world: World) -> None:
    _pick(world)
    world.session.commit()
    report_picks.remove(world.session, Place("site"), world.published.id, world.moderator, NOW)


def _release(world: World, app: Flask) -> None:
    builders.release(app)


PUBLISHED, PENDING = (lambda w: w.published), (lambda w: w.pending)
COUNTED_ONLY = lambda w: w.counted_only  # noqa: E731

# (what, run, moves the generation)
CASES: list[tuple[str, Callable[..., None], bool]] = [
    ("approve", _approve, True),
    ("approve, counted only", _approve_counted_only, True),  # a decision: moves, says nothing
    ("reject", lambda w: w.decide(moderation.reject, w.pending, reason="Not a wait."), True),
    ("spam", lambda w: w.decide(moderation.mark_spam, w.pending), True),
    ("bulk spam", lambda w: bulk.decide(w.session, [w.pending.id], w.moderator, NOW, "spam"),
     True),
    ("unpublish", lambda w: w.decide(moderation.unpublish, w.published), True),
    ("edit public text", lambda w: w.decide(moderation.edit_public, w.published, title="New",
                                            story="A new public text."), True),
    ("back to the queue", lambda w: moderation.return_to_queue(w.session, w.published, NOW,
                                                               w.moderator), True),
    ("themes of a published story",
     lambda w: annotations.set_themes(w.session, w.published, w.moderator, NOW, {w.theme.id}),
     True),
    ("patient edits a published story", _edit_by_patient(PUBLISHED), True),
    ("patient ends a published story's wait", _wait_ended(PUBLISHED), True),
    ("patient withdraws a published story",
     lambda w: submissions.withdraw(w.session, w.published, NOW), True),
    ("add a facility", lambda w: facilities.add_facility(
        w.session, "Fremont Medical Center", "Fremont", w.east.region, w.moderator, NOW), True),
    ("rename a facility", lambda w: facilities.rename_facility(
        w.session, w.east, "Oakland Center", "Oakland", w.moderator, NOW), True),
    ("move a facility", lambda w: facilities.move_facility(
        w.session, w.east, w.north.region, w.moderator, NOW), True),
    ("merge facilities", lambda w: facilities.merge_facilities(
        w.session, w.east, w.north, w.moderator, NOW), True),
    ("a new region", lambda w: facilities.region_named(w.session, "Central Valley"), True),
    ("import facilities", lambda w: facilities.import_facilities(w.session, [
        facilities.FacilityRow("Fresno Medical Center", "Fresno", "Central Valley", None, None)]),
     True),
    ("remove a region", lambda w: regions.remove_region(w.session, w.empty_region,
                                                        w.moderator, NOW), True),
    ("a setting", _settings, True),
    ("pick for the report", _pick, True),
    ("unpick from the report", _unpick, True),
    ("a statistics release", _release, True),
    # Nothing public: a new submission, and changes only the statistics (or nobody) see.
    ("a new submission", lambda w: submissions.submit(
        w.session, _answers(w.east.id), Language.EN, NOW), False),
    ("patient ends a counted-only story's wait", _wait_ended(COUNTED_ONLY), False),
    ("patient edits a counted-only story", _edit_by_patient(COUNTED_ONLY), False),
    ("patient edits a pending story", _edit_by_patient(PENDING), False),
    ("patient withdraws a pending story",
     lambda w: submissions.withdraw(w.session, w.pending, NOW), False),
]


@pytest.mark.parametrize(("what", "run", "moves"), CASES, ids=[case[0] for case in CASES])
def test_each_public_change_moves_the_generation_and_nothing_else_does(
        app: Flask, session: Session, what: str, run: Callable[..., None], moves: bool) -> None:
    world = World(session)
    before, generation = _public(session), caching.stored_generation(session)
    if run is _release:
        run(world, app)
    else:
        with app.app_context():  # a setting's default is the app's configuration
            run(world)
    session.commit()
    session.expire_all()
    public_moved = _public(session) != before
    moved = caching.stored_generation(session) != generation
    assert public_moved <= moved, f"{what}: the public can see a change, the generation stayed"
    assert moved is moves, what


def test_the_generation_moves_once_per_transaction(app: Flask, session: Session) -> None:
    world = World(session)
    generation = caching.stored_generation(session)
    _approve(world)
    world.decide(moderation.unpublish, world.published)
    session.commit()
    assert caching.stored_generation(session) == generation + 1
    world.decide(moderation.unpublish, world.pending)  # approved above, published
    session.rollback()
    assert caching.stored_generation(session) == generation + 1
    world.decide(moderation.unpublish, world.pending)  # a new transaction moves it again
    session.commit()
    assert caching.stored_generation(session) == generation + 2


def test_the_worker_that_moved_it_reads_it_at_once(database_url: str) -> None:
    from testimonials import create_app, db

    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "PAGE_CACHE_RECHECK_SECONDS": 3600})
    with app.app_context():
        seen = caching.generation()
        caching.public_changed(db.session())
        assert caching.generation() == seen  # not before the commit
        db.session().commit()
        assert caching.generation() == seen + 1
    app.extensions["waitline.engine"].dispose()


def test_the_lru_is_bounded_by_count_weight_and_time() -> None:
    store = caching.LRU(max_entries=3, max_weight=1_000)
    for number in range(5):
        store.put(number, str(number), weight=100)
    assert len(store) == 3 and store.get(0) is None and store.get(4) == ("4",)
    store.put("heavy", "x", weight=900)  # the least recently used go until it fits
    assert store.weight <= 1_000 and store.get("heavy") == ("x",) and store.get(2) is None
    store.put("heavy", "y", weight=50)  # replaced, not counted twice
    assert store.weight == 150
    store.put("stale", None, expires=0.0)
    assert store.get("stale") is None
    store.put("none", None)
    assert store.get("none") == (None,)  # a kept None is told apart from a miss


def test_a_release_document_is_kept_and_a_new_release_read(app: Flask) -> None:
    builders.release(app)
    with app.app_context():
        from testimonials import db
        from testimonials.services import published as served

        first = served.release(db.session(), None)
        assert first is not None and served.release(db.session(), first.number) is first
    builders.release(app)
    with app.app_context():
        latest = served.release(db.session(), None)
        assert latest is not None and latest.number == first.number + 1


def test_a_kept_value_follows_the_generation(app: Flask, session: Session) -> None:
    calls: list[int] = []
    with app.app_context():
        from testimonials import db

        def count() -> int:
            calls.append(1)
            return len(calls)

        assert caching.remembered("n", count, seconds=60) == 1
        assert caching.remembered("n", count, seconds=60) == 1
        caching.public_changed(db.session())
        db.session().commit()
        assert caching.remembered("n", count, seconds=60) == 2
