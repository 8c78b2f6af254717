"""Held figures stop at a departure: once answers have left the statistics (a withdrawal, a
consent unticked by an edit), a new release holds no figures of the releases cut before,
and no later release brings them back through the chain; new stories change nothing."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from testimonials.models import Account, Facility, StatDeparture, StatRelease, Submission
from testimonials.services import submissions
from testimonials.vocab import Role, Status, Unit, WaitKind, WaitState
from testimonials.waits import WaitAnswer
from tests import builders

EVERYONE = "intake|all"


def people(session: Session, place: Facility, count: int, first: int = 0,
           status: Status = Status.APPROVED) -> list[Submission]:
    added = [builders.submission(session, status=status, place=place,
                                 waits={WaitKind.INTAKE: (WaitState.ENDED, 4 + 3 * number)})
             for number in range(first, first + count)]
    session.commit()
    return added


def document(session: Session, number: int) -> dict[str, Any]:
    session.rollback()  # what the release, cut by its own sessions, committed
    stored = session.scalar(select(StatRelease.document).where(StatRelease.number == number))
    assert stored is not None
    found: dict[str, Any] = json.loads(zlib.decompress(stored))
    return found


def held_from(doc: dict[str, Any]) -> dict[str, int]:
    """Each held group's key -> the release whose figures it holds."""
    return {key: entry[0] for key, entry in doc["held"].items()}


def hidden(doc: dict[str, Any], key: str) -> bool:
    return doc["groups"][key][0] is None


@pytest.fixture
def clinics(app: Flask, session: Session) -> dict[str, Any]:
    """Release 1 of two clinics, Big (30 people) and Far (40)."""
    big = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    far = builders.facility(session, "Far Clinic", "Fresno", "Valley")
    moderator = Account(email="mod@example.org", role=Role.MODERATOR, password_hash="x",
                        active=True)
    session.add(moderator)
    found = {"big": big, "far": far, "far_people": people(session, far, 40),
             "moderator": moderator}
    people(session, big, 30)
    assert builders.release(app) == 1
    return found


def _withdraw(session: Session, clinics: dict[str, Any]) -> None:
    submissions.withdraw(session, clinics["far_people"][0], builders.NOW)
    session.commit()


def _untick_consent(session: Session, clinics: dict[str, Any]) -> None:
    item = clinics["far_people"][0]
    answers = submissions.Answers(
        story=item.original_story or "", title=item.original_title, reporter=item.reporter,
        facility_id=item.facility_id, facility_other=None, care_types=item.care_types,
        outcomes=item.outcomes, experience_month=item.experience_month,
        waits=tuple(WaitAnswer(w.kind, w.state, w.days, w.days, Unit.DAYS)
                    for w in item.waits),
        consent_publish=True, consent_stats=True, consent_share=False, consent_contact=False,
        display_name=None, email=None)
    assert submissions.edit(session, item, replace(answers, consent_stats=False), builders.NOW)
    session.commit()


def _approve_one_more(session: Session, clinics: dict[str, Any]) -> None:
    [pending] = people(session, clinics["far"], 1, first=40, status=Status.PENDING)
    builders.approve(session, pending, clinics["moderator"])


DEPARTURES: dict[str, Callable[[Session, dict[str, Any]], None]] = {
    "withdrawal": _withdraw, "consent unticked by an edit": _untick_consent}


@pytest.mark.parametrize("leave", DEPARTURES.values(), ids=DEPARTURES.keys())
def test_after_answers_leave_no_release_holds_figures_cut_before(
        app: Flask, session: Session, clinics: dict[str, Any],
        leave: Callable[[Session, dict[str, Any]], None]) -> None:
    big = f"intake|facility={clinics['big'].id}"
    far = f"intake|facility={clinics['far'].id}"
    leave(session, clinics)
    assert session.scalars(select(StatDeparture.departures)).all() == [1]
    people(session, clinics["big"], 3, first=30)  # Big moved by a few: hidden in release 2
    people(session, clinics["far"], 15, first=41)
    assert builders.release(app) == 2
    second = document(session, 2)
    assert hidden(second, big) and hidden(second, far)
    assert second["held"] == {}  # release 1's figures count the answers that left
    people(session, clinics["far"], 3, first=56)  # all moved by a few: hidden in release 3
    assert builders.release(app) == 3
    third = document(session, 3)
    assert hidden(third, big) and hidden(third, far) and hidden(third, EVERYONE)
    assert held_from(third)[EVERYONE] == 2  # what release 2 showed, counted after
    assert set(held_from(third).values()) == {2}  # release 1 never comes back
    assert big not in third["held"] and far not in third["held"]


def test_a_new_approval_drops_nothing_and_writes_no_departure(
        app: Flask, session: Session, clinics: dict[str, Any]) -> None:
    """The control of the test above: the same growth with one more person approved instead
    of one leaving holds release 1's figures in release 2, and through it in release 3."""
    big = f"intake|facility={clinics['big'].id}"
    far = f"intake|facility={clinics['far'].id}"
    engine: Engine = app.extensions["waitline.engine"]
    written: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "stat_departure" in statement:
            written.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        _approve_one_more(session, clinics)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert written == []  # not even a read: nothing left, nothing recorded
    assert session.scalars(select(StatDeparture)).all() == []
    people(session, clinics["big"], 3, first=30)
    people(session, clinics["far"], 15, first=41)
    assert builders.release(app) == 2
    second = document(session, 2)
    assert held_from(second)[big] == 1
    people(session, clinics["far"], 3, first=56)
    assert builders.release(app) == 3
    third = document(session, 3)
    assert held_from(third)[EVERYONE] == 2
    assert held_from(third)[big] == held_from(third)[far] == 1  # through release 2
    assert session.scalars(select(StatDeparture)).all() == []


def test_a_patient_who_tells_a_wait_ended_stays_counted_and_has_not_left(
        app: Flask, session: Session, clinics: dict[str, Any]) -> None:
    """Their "still waiting" is in the earlier figures, counted with their consent, as what
    they had told us then: those figures are held still."""
    big = f"intake|facility={clinics['big'].id}"
    waiting = builders.submission(session, status=Status.APPROVED, place=clinics["far"],
                                  waits={WaitKind.INTAKE: (WaitState.WAITING, 30)})
    people(session, clinics["big"], 3, first=30)
    people(session, clinics["far"], 15, first=41)
    assert builders.release(app) == 2
    assert held_from(document(session, 2))[big] == 1
    submissions.report_waits_ended(
        session, waiting, {WaitKind.INTAKE: WaitAnswer(WaitKind.INTAKE, WaitState.ENDED, 45, 45,
                                                       Unit.DAYS)}, builders.NOW)
    session.commit()
    assert session.scalars(select(StatDeparture)).all() == []
    people(session, clinics["far"], 3, first=56)
    assert builders.release(app) == 3
    assert held_from(document(session, 3))[big] == 1  # through release 2


def test_a_departure_while_a_release_is_computed_drops_it_there_and_in_the_next(
        app: Flask, session: Session, clinics: dict[str, Any]) -> None:
    """Committed after the release's snapshot and before its publishing: release 2 still
    counts the answers that left (its snapshot did), so neither release 1's figures (read at
    publishing) nor release 2's (its snapshot saw no departure) are held again."""
    big = f"intake|facility={clinics['big'].id}"
    people(session, clinics["big"], 3, first=30)
    people(session, clinics["far"], 15, first=41)
    engine: Engine = app.extensions["waitline.engine"]
    left: list[int] = []

    def withdraw_between_the_reads(_conn: Any, _cursor: Any, statement: str,
                                   *_args: Any) -> None:
        # The histograms are read after the counts: a patient withdraws from another
        # connection, committed, as a request would.
        if "stat_cell.days, stat_cell.count" in statement and not left:
            left.append(clinics["far_people"][1].id)
            with Session(engine) as other:
                if engine.dialect.name == "sqlite":
                    other.connection(execution_options={"sqlite_write": True})
                found = other.get(Submission, left[0])
                assert found is not None
                submissions.withdraw(other, found, builders.NOW)
                other.commit()

    event.listen(engine, "before_cursor_execute", withdraw_between_the_reads)
    try:
        assert builders.release(app) == 2
    finally:
        event.remove(engine, "before_cursor_execute", withdraw_between_the_reads)
    assert left
    second = document(session, 2)
    assert hidden(second, big) and second["held"] == {}
    assert second["groups"][EVERYONE][0] == 88  # the snapshot still counted the one who left
    people(session, clinics["far"], 3, first=56)
    assert builders.release(app) == 3
    third = document(session, 3)
    assert hidden(third, EVERYONE) and third["held"] == {}
