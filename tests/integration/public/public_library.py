"""A small library of stories in every state, for the public site and the API (see conftest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from testimonials.models import Facility, Submission
from testimonials.services.statistics import keep_stats_current
from testimonials.vocab import CareType, Flag, Language, Outcome, Status, WaitKind, WaitState
from tests import builders, snapshots

T0 = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
# Never to be seen in public: set on every story, checked in every public response.
SECRETS = {
    "email": "private.person@example.org",
    "original": "ORIGINAL-TEXT-Maria Gonzalez MRN 12345678",
    "note": "MODERATOR-NOTE-only-for-staff",
    "reason": "DECISION-REASON-for-the-patient",
}


@dataclass
class Library:
    """What the `library` fixture built, by role."""

    oakland: Facility
    richmond: Facility
    fresno: Facility
    published: list[int] = field(default_factory=list)  # newest first
    group_at_oakland: list[int] = field(default_factory=list)
    pending: int = 0
    rejected: int = 0
    withdrawn: int = 0
    unpublished: int = 0


def publish(session: Session, place: Facility | None, *, when: dt.datetime,
            story: str | None = None, title: str | None = None, care: int = CareType.INDIVIDUAL,
            outcomes: int = 0, language: Language = Language.EN,
            display_name: str | None = "Ana R.",
            waits: dict[WaitKind, tuple[WaitState, int | None]] | None = None) -> Submission:
    """A published story whose private fields all hold something that must never show."""
    row = builders.submission(
        session, status=Status.APPROVED, place=place, story=story, waits=waits,
        care_types=int(care), outcomes=int(outcomes), language=language,
        display_name=display_name, email=SECRETS["email"], consent_contact=True,
        original_story=SECRETS["original"], original_title="ORIGINAL-TITLE",
        moderator_note=SECRETS["note"], decision_reason=SECRETS["reason"],
        flags=int(Flag.PERSONAL_DATA | Flag.CRISIS), is_urgent=True,
        published_at=when, moderated_at=when, created_at=when - dt.timedelta(days=2),
    )
    if title is not None or story is not None:
        row.public_title = title if title is not None else row.public_title
        row.public_story = story if story is not None else row.public_story
    session.flush()
    return row


# Built once per worker and kind of database, then copied into each later test's fresh
# database (tests/snapshots.py): building it was half of the public tests' time. Each test
# still gets a database of its own holding exactly what build_library() leaves, and a Library
# of its own whose facilities are loaded by its own session.
_BUILT: dict[str, tuple[snapshots.Snapshot, Library, tuple[int, int, int]]] = {}


@pytest.fixture
def library(app: Flask, session: Session) -> Library:
    """25 published stories over three facilities in two regions, and one in each other state."""
    engine = app.extensions["waitline.engine"]
    kind = engine.dialect.name
    if kind not in _BUILT:
        made = build_library(session)
        places = (made.oakland.id, made.richmond.id, made.fresno.id)
        _BUILT[kind] = (snapshots.take(engine), copy_of(made), places)
        return made
    snapshot, built, places = _BUILT[kind]
    snapshots.restore(engine, snapshot)
    oakland, richmond, fresno = (session.get_one(Facility, place) for place in places)
    session.commit()  # as build_library ends: no transaction open, the rows read afresh
    return replace(copy_of(built), oakland=oakland, richmond=richmond, fresno=fresno)


def copy_of(made: Library) -> Library:
    """A Library whose lists are its own (a test may change them)."""
    return replace(made, published=list(made.published),
                   group_at_oakland=list(made.group_at_oakland))


def build_library(session: Session) -> Library:
    """The stories, written as a test would, through the builders."""
    oakland = builders.facility(session, "Oakland Medical Center", "Oakland", "East Bay")
    richmond = builders.facility(session, "Richmond Medical Center", "Richmond", "East Bay")
    fresno = builders.facility(session, "Fresno Medical Offices", "Fresno", "Central Valley")
    made = Library(oakland, richmond, fresno)
    places = [oakland, richmond, fresno]
    for n in range(25):
        care = CareType.GROUP if n % 3 == 0 else CareType.INDIVIDUAL
        if n % 5 == 0:
            care |= CareType.CHILD
        place = places[n % 3]
        # Two stories share each publication time, so the id must break ties.
        row = publish(session, place, when=T0 + dt.timedelta(hours=n // 2), care=care,
                      outcomes=Outcome.GOT_WORSE if n % 4 == 0 else 0,
                      story=f"Story number {n}: I waited a long time for a therapist. " * 2)
        made.published.append(row.id)
        if place is oakland and care & CareType.GROUP:
            made.group_at_oakland.append(row.id)
    made.published.reverse()
    made.group_at_oakland.reverse()
    made.pending = builders.submission(session, status=Status.PENDING, place=oakland).id
    made.rejected = builders.submission(session, status=Status.REJECTED, place=oakland).id
    withdrawn = publish(session, oakland, when=T0 - dt.timedelta(days=30))
    with keep_stats_current(session, withdrawn):
        withdrawn.status = Status.WITHDRAWN
        withdrawn.published_at = None
        withdrawn.public_story = None
        withdrawn.original_story = None
    made.withdrawn = withdrawn.id
    unpublished = publish(session, richmond, when=T0 - dt.timedelta(days=20))
    unpublished.published_at = None
    made.unpublished = unpublished.id
    session.commit()
    return made
