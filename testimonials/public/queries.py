"""Read-only queries for the public pages: only published stories, only public fields."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import Facility, Submission


@dataclass(frozen=True)
class StoryCard:
    """What a reader may see of a story in a list."""

    id: int
    title: str | None
    excerpt: str
    display_name: str | None
    facility_name: str | None
    published_at: dt.datetime


def published_count(session: Session) -> int:
    query = select(func.count()).select_from(Submission).where(Submission.published_at.is_not(None))
    return session.scalar(query) or 0


def recent_stories(session: Session, *, limit: int) -> list[StoryCard]:
    """The newest published stories, newest first."""
    query = (
        select(Submission.id, Submission.public_title, Submission.public_story,
               Submission.display_name, Facility.name, Submission.published_at)
        .outerjoin(Facility, Facility.id == Submission.facility_id)
        .where(Submission.published_at.is_not(None))
        .order_by(Submission.published_at.desc(), Submission.id.desc())
        .limit(limit)
    )
    return [
        StoryCard(id=row[0], title=row[1], excerpt=_excerpt(row[2] or "", 240),
                  display_name=row[3], facility_name=row[4], published_at=row[5])
        for row in session.execute(query)
    ]


def _excerpt(story: str, length: int) -> str:
    # Replaced by text.excerpt once the text module lands.
    if len(story) <= length:
        return story
    return story[:length].rsplit(" ", 1)[0] + "…"
