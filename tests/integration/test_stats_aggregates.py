"""The statistics aggregates stay equal to a full recount, whatever happens to submissions.

A seeded random walk drives the real `keep_stats_current` on a real database (SQLite and
PostgreSQL): approvals, rejections, withdrawals, "wait ended" reports, edits of every answer the
cells depend on, consent changes and facility moves, with commits along the way. After every
step the stored cells must equal a recount from the submissions.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials.models import StatDeparture, Submission, Wait
from testimonials.services.statistics import keep_stats_current, rebuild, recount, stored_cells
from testimonials.vocab import CareType, Outcome, Role, Status, Unit, WaitKind, WaitState
from tests import builders

STEPS = 70


def random_waits(rng: random.Random) -> dict[WaitKind, tuple[WaitState, int | None]]:
    answers: dict[WaitKind, tuple[WaitState, int | None]] = {}
    for kind in WaitKind:
        if rng.random() < 0.6:
            state = rng.choice(list(WaitState))
            days = None if state is WaitState.GAVE_UP and rng.random() < 0.4 else rng.randint(0, 730)  # noqa: E501
            answers[kind] = (state, days)
    return answers


def random_fields(rng: random.Random) -> dict[str, object]:
    return {
        "care_types": rng.randint(0, 63),
        "outcomes": rng.randint(0, 31),
        "experience_month": (None if rng.random() < 0.15
                             else dt.date(rng.randint(2023, 2026), rng.randint(1, 10), 1)),
        "consent_stats": rng.random() < 0.85,
    }


class Walk:
    """Random changes to random submissions, each the way the services make them."""

    def __init__(self, session: Session, seed: int) -> None:
        self.session, self.rng = session, random.Random(seed)
        self.places = [builders.facility(session, "A", "Oakland", "East Bay"),
                       builders.facility(session, "B", "Fremont", "East Bay"),
                       builders.facility(session, "C", "Fresno", "Central Valley"), None]
        self.items: list[Submission] = []

    def step(self) -> str:
        rng = self.rng
        if not self.items or rng.random() < 0.25:
            return self.create()
        item = rng.choice(self.items)
        action = rng.choice(["approve", "approve", "reject", "withdraw", "wait_ended", "edit",
                             "move", "consent", "waits", "reopen"])
        with keep_stats_current(self.session, item):
            getattr(self, action)(item)
        return action

    def create(self) -> str:
        place = self.rng.choice(self.places)
        status = self.rng.choice([Status.PENDING, Status.APPROVED])
        self.items.append(builders.submission(self.session, status=status, place=place,
                                              waits=random_waits(self.rng),
                                              **random_fields(self.rng)))
        return "create"

    def approve(self, item: Submission) -> None:
        item.status = Status.APPROVED

    def reject(self, item: Submission) -> None:
        item.status = self.rng.choice([Status.REJECTED, Status.SPAM])

    def reopen(self, item: Submission) -> None:
        item.status = Status.PENDING

    def withdraw(self, item: Submission) -> None:
        item.status = Status.WITHDRAWN
        item.original_story = item.public_story = item.email = None

    def wait_ended(self, item: Submission) -> None:
        waiting = [w for w in item.waits if w.state is WaitState.WAITING]
        if waiting:
            wait = self.rng.choice(waiting)
            wait.state = WaitState.ENDED
            wait.days = min(730, (wait.days or 0) + self.rng.randint(0, 90))

    def edit(self, item: Submission) -> None:
        fields = random_fields(self.rng)
        del fields["consent_stats"]
        for name, value in fields.items():
            setattr(item, name, value)

    def move(self, item: Submission) -> None:
        place = self.rng.choice(self.places)
        item.facility_id = place.id if place else None
        item.region_id = place.region_id if place else None

    def consent(self, item: Submission) -> None:
        item.consent_stats = not item.consent_stats

    def waits(self, item: Submission) -> None:
        answers = random_waits(self.rng)
        item.waits = [Wait(kind=kind, state=state, days=days, amount=days,
                           unit=Unit.DAYS if days is not None else None)
                      for kind, (state, days) in answers.items()]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_equal_a_recount_after_any_sequence_of_changes(session: Session,
                                                                   seed: int) -> None:
    walk = Walk(session, seed)
    done: list[str] = []
    for number in range(STEPS):
        done.append(walk.step())
        session.flush()
        assert stored_cells(session) == recount(session), f"after {done}"
        if number % 10 == 9:
            session.commit()
    session.commit()
    counted = session.scalars(select(Submission).where(Submission.counted_in_stats)).all()
    assert {s.id for s in counted} == {
        s.id for s in walk.items if s.status is Status.APPROVED and s.consent_stats}
    assert {"approve", "withdraw", "wait_ended", "move", "waits"} <= set(done)


def test_rebuild_gives_the_same_cells_as_the_incremental_updates(session: Session) -> None:
    walk = Walk(session, 9)
    for _ in range(30):
        walk.step()
    session.flush()
    incremental = stored_cells(session)
    rebuild(session)
    assert stored_cells(session) == incremental == recount(session)


def test_a_rebuild_records_a_departure_only_when_answers_left_unseen(session: Session) -> None:
    """A recount lower than the aggregates means answers left by a change no service saw (an
    UPDATE by hand): held figures must stop as after a withdrawal."""
    first = builders.submission(session, status=Status.APPROVED)
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    rebuild(session, builders.NOW)
    assert session.scalars(select(StatDeparture)).all() == []
    session.execute(update(Submission).where(Submission.id == first.id)
                    .values(consent_stats=False))
    rebuild(session, builders.NOW)
    departure = session.scalars(select(StatDeparture)).one()
    assert (departure.departures, departure.last_left_at) == (1, builders.NOW)


def test_a_crisis_intake_is_counted_as_an_urgent_intake(session: Session) -> None:
    builders.submission(session, status=Status.APPROVED,
                        care_types=int(CareType.CRISIS | CareType.GROUP),
                        outcomes=int(Outcome.GOT_WORSE),
                        waits={WaitKind.INTAKE: (WaitState.ENDED, 5)})
    cells = stored_cells(session)
    assert cells[("all", "urgent_intake:ended", 5)] == 1
    assert cells[("all", "urgent_intake", -1)] == 1
    assert ("all", "intake:ended", 5) not in cells
    assert cells[("care=2", "outcome:got_worse", -1)] == 1


def test_stats_commands_check_and_rebuild_the_aggregates(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    runner = app.test_cli_runner()
    assert "agree" in runner.invoke(args=["stats", "check"]).output
    from sqlalchemy import update

    from testimonials.models import StatCell

    session.execute(update(StatCell).where(StatCell.scope == "all").values(count=StatCell.count + 1))  # noqa: E501
    session.commit()
    failed = runner.invoke(args=["stats", "check"])
    assert failed.exit_code == 1 and "differ" in failed.output
    assert runner.invoke(args=["stats", "rebuild"]).exit_code == 0
    assert "agree" in runner.invoke(args=["stats", "check"]).output


class ServiceWalk:
    """Random decisions made only through the real use cases a moderator or a patient calls."""

    def __init__(self, session: Session, seed: int) -> None:
        from testimonials.services import accounts

        self.session, self.rng = session, random.Random(seed)
        self.moderator = accounts.create_account(session, f"walk{seed}@example.org",
                                                 "correct horse battery", Role.MODERATOR,
                                                 builders.NOW)
        places = [builders.facility(session, "A", "Oakland", "East Bay"),
                  builders.facility(session, "C", "Fresno", "Central Valley"), None]
        self.items = [builders.submission(session, status=Status.PENDING,
                                          place=self.rng.choice(places),
                                          waits=random_waits(self.rng),
                                          **random_fields(self.rng))
                      for _ in range(25)]

    def step(self, now: dt.datetime) -> str:
        from testimonials.services import moderation, submissions
        from testimonials.waits import WaitAnswer

        item = self.rng.choice(self.items)
        status, session, who = item.status, self.session, self.moderator
        if status is Status.PENDING:
            if self.rng.random() < 0.7:
                moderation.approve(session, item, who, now, version=item.version,
                                   title=item.original_title, story=item.original_story)
                return "approve"
            moderation.reject(session, item, who, now, version=item.version, reason="No.")
            return "reject"
        if status is Status.APPROVED:
            action = self.rng.choice(["wait_ended", "withdraw", "unpublish", "requeue"])
            if action == "wait_ended" and submissions.waiting(item):
                wait = submissions.waiting(item)[0]
                days = min(730, (wait.days or 0) + self.rng.randint(0, 60))
                submissions.report_waits_ended(
                    session, item, {wait.kind: WaitAnswer(wait.kind, WaitState.ENDED, days,
                                                          days, Unit.DAYS)}, now)
                return "wait_ended"
            if action == "unpublish" and item.published_at is not None:
                moderation.unpublish(session, item, who, now, version=item.version)
                return "unpublish"
            if action == "requeue":
                moderation.return_to_queue(session, item, now)
                return "requeue"
            submissions.withdraw(session, item, now)
            return "withdraw"
        return "nothing"  # rejected and withdrawn items stay as they are


@pytest.mark.parametrize("seed", [4, 5])
def test_aggregates_equal_a_recount_after_the_real_services_act(session: Session,
                                                                seed: int) -> None:
    walk = ServiceWalk(session, seed)
    session.commit()
    done: list[str] = []
    for number in range(60):
        done.append(walk.step(builders.NOW + dt.timedelta(minutes=number)))
        session.commit()
        assert stored_cells(session) == recount(session), f"after {done}"
    assert {"approve", "reject", "wait_ended", "withdraw"} <= set(done), done
