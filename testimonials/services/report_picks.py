"""The stories picked for a place's report: pick, move up or down, remove; every change audited.

Only a story that is approved, published and shared with legislators, regulators and press
(`consent_share`) can be picked, and only those are read back: `shown` filters at every read,
so a story withdrawn, unpublished or taken down leaves every report at once while its pick
stays (inert) in the table. Positions are kept 1, 2, 3... among a place's picks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Account, ReportPick, Submission
from testimonials.services import audit
from testimonials.stats.place_report import FACILITY, REGION, Place
from testimonials.vocab import Status

MAX_PICKS = 12  # a printed report, not an archive
UP, DOWN = "up", "down"


class PickRefused(ValueError):
    """A pick that cannot be made: `code` says why (not_shareable, elsewhere, full, unknown)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PickedStory:
    """A story as a report shows it: the moderated words only, never a name."""

    submission_id: int
    position: int
    title: str | None
    story: str
    experience_month: dt.date | None
    language: str


def shareable() -> ColumnElement[bool]:
    """Approved, published, and its patient agreed to share it with officials and press."""
    return (Submission.status == Status.APPROVED) & Submission.published_at.is_not(None) \
        & Submission.consent_share.is_(True) & Submission.public_story.is_not(None)


def in_place(place: Place) -> ColumnElement[bool]:
    if place.scope == FACILITY:
        return Submission.facility_id == place.id
    if place.scope == REGION:
        return Submission.region_id == place.id
    return true()


def _of(place: Place) -> ColumnElement[bool]:
    return (ReportPick.scope == place.scope) & (ReportPick.place_id == place.id)


def shown(session: Session, place: Place) -> list[PickedStory]:
    """The place's picked stories that may be shown now, in their order."""
    rows = session.execute(
        select(ReportPick.submission_id, ReportPick.position, Submission.public_title,
               Submission.public_story, Submission.experience_month, Submission.language)
        .join(Submission, Submission.id == ReportPick.submission_id)
        .where(_of(place), shareable())
        .order_by(ReportPick.position, ReportPick.id))
    return [PickedStory(sid, position, title, story or "", month, str(language))
            for sid, position, title, story, month, language in rows]


def candidates(session: Session, place: Place, limit: int = 50) -> list[PickedStory]:
    """Shareable stories of the place not picked yet, newest first."""
    picked = select(ReportPick.submission_id).where(_of(place))
    rows = session.execute(
        select(Submission.id, Submission.public_title, Submission.public_story,
               Submission.experience_month, Submission.language)
        .where(shareable(), in_place(place), Submission.id.not_in(picked))
        .order_by(Submission.published_at.desc(), Submission.id.desc()).limit(limit))
    return [PickedStory(sid, 0, title, story or "", month, str(language))
            for sid, title, story, month, language in rows]


def pick(session: Session, place: Place, submission_id: int, actor: Account,
         now: dt.datetime) -> ReportPick:
    """Add a story at the end of the place's report; PickRefused when it may not be."""
    allowed = session.scalar(select(Submission.id).where(
        Submission.id == submission_id, shareable()))
    if allowed is None:
        raise PickRefused("not_shareable")
    if session.scalar(select(Submission.id).where(Submission.id == submission_id,
                                                  in_place(place))) is None:
        raise PickRefused("elsewhere")
    picks = _picks(session, place)
    if any(row.submission_id == submission_id for row in picks):
        raise PickRefused("already")
    if len(shown(session, place)) >= MAX_PICKS:
        raise PickRefused("full")
    position = (session.scalar(select(func.max(ReportPick.position)).where(_of(place))) or 0) + 1
    row = ReportPick(scope=place.scope, place_id=place.id, submission_id=submission_id,
                     position=position, picked_by_id=actor.id, picked_at=now)
    session.add(row)
    session.flush()
    caching.public_changed(session)  # the place's public report
    audit.record(session, now, actor, "report.pick", submission_id=submission_id,
                 subject=f"report:{place}", after={"position": position})
    return row


def move(session: Session, place: Place, submission_id: int, direction: str, actor: Account,
         now: dt.datetime) -> None:
    """Swap a picked story with the shown one above (UP) or below (DOWN); at an end, nothing."""
    visible = [row for row in _picks(session, place) if row.submission_id in
               {story.submission_id for story in shown(session, place)}]
    index = next((i for i, row in enumerate(visible) if row.submission_id == submission_id), None)
    if index is None:
        raise PickRefused("unknown")
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(visible):
        return
    visible[index], visible[other] = visible[other], visible[index]
    _renumber(session, place, visible)
    caching.public_changed(session)
    audit.record(session, now, actor, "report.move", submission_id=submission_id,
                 subject=f"report:{place}", before={"position": index + 1},
                 after={"position": other + 1})


def remove(session: Session, place: Place, submission_id: int, actor: Account,
           now: dt.datetime) -> None:
    """Take a story out of the place's report (the story itself is untouched)."""
    row = next((r for r in _picks(session, place) if r.submission_id == submission_id), None)
    if row is None:
        raise PickRefused("unknown")
    position = row.position
    session.delete(row)
    session.flush()
    _renumber(session, place, [r for r in _picks(session, place)])
    caching.public_changed(session)
    audit.record(session, now, actor, "report.remove", submission_id=submission_id,
                 subject=f"report:{place}", before={"position": position})


def _picks(session: Session, place: Place) -> list[ReportPick]:
    return list(session.scalars(select(ReportPick).where(_of(place))
                                .order_by(ReportPick.position, ReportPick.id)))


def _renumber(session: Session, place: Place, ordered: list[ReportPick]) -> None:
    """Positions 1.. in the given order; inert picks (not shown) keep their place after them."""
    rest = [row for row in _picks(session, place) if row not in ordered]
    for position, row in enumerate([*ordered, *rest], start=1):
        row.position = position
    session.flush()
