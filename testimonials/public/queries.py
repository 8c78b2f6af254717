"""Read-only queries for the public pages, the feed and the API: published stories only.

Every story leaves the database through `PublicStory`, which holds the public fields and
nothing else: never the original text, the e-mail, flags, notes or reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Select,
    bindparam,
    case,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from testimonials.models import Facility, Region, Submission, SubmissionTheme, Theme, Wait
from testimonials.models.base import UTCDateTime
from testimonials.models.submission import stored_published
from testimonials.public import search
from testimonials.public.listing import PER_PAGE, Cursor, Filters, Listing
from testimonials.text_language import detect
from testimonials.vocab import CareType, Language, Status, WaitKind, WaitState
from testimonials.waits import standard_days

Standards = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class PublicWait:
    kind: WaitKind
    state: WaitState
    days: int | None
    standard_days: int | None  # the legal standard for this wait, in calendar days


@dataclass(frozen=True)
class PublicFacility:
    id: int
    name: str
    city: str
    region_id: int
    region_name: str
    region_slug: str


@dataclass(frozen=True)
class PublicStory:
    """What anyone may see of a published story."""

    id: int
    title: str | None
    story: str
    display_name: str | None  # None: "Anonymous"
    facility: PublicFacility | None
    care_types: int
    outcomes: int
    waits: tuple[PublicWait, ...]
    experience_month: dt.date | None
    published_at: dt.datetime
    language: Language
    # When its public version last changed (publication, a moderator's edit, a reported end
    # of a wait, its facility moved or renamed): what `updated_since` compares with.
    updated_at: dt.datetime | None = None
    # The language of its words (None: they do not tell); `language` is the interface's.
    story_language: Language | None = None

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.published_at, self.id)


@dataclass(frozen=True)
class StoryPage:
    """One page of a list, newest first, with the cursors of the pages around it."""

    stories: list[PublicStory]
    older: Cursor | None  # None: this is the oldest page
    newer: Cursor | None  # None: this is the newest page


class FacilityName(NamedTuple):
    id: int
    name: str
    city: str


@dataclass(frozen=True)
class RegionGroup:
    id: int
    name: str
    slug: str
    facilities: tuple[FacilityName, ...]


class ThemeName(NamedTuple):
    slug: str
    name_en: str
    name_es: str


class Change(NamedTuple):
    """A story and when what the public sees of it last changed (or when it left the site)."""

    id: int
    changed_at: dt.datetime


_WAIT_ORDER = {kind: index for index, kind in enumerate(WaitKind)}
GONE = "gone"  # a story that exists but is not (or no longer) public

def _later(first: ColumnExpressionArgument[Any], second: ColumnExpressionArgument[Any]
           ) -> ColumnElement[Any]:
    """The later of two timestamps, a NULL second ignored (SQLite has no GREATEST)."""
    return case((func.coalesce(second, first) > first, second), else_=first)


# The last change to what the public sees of an item: updated_at moves with the patient's
# edits, withdrawal, erasure and place changes; moderated_at with every decision (approve,
# edit, unpublish); published_at with publication. Also when it left the site (removed_since).
PUBLIC_CHANGED_AT = _later(_later(Submission.updated_at, Submission.moderated_at),
                           Submission.published_at)



def _columns(published_at: ColumnElement[Any] | None = None) -> tuple[ColumnElement[Any], ...]:
    """What `_stories` reads of a story, each column by name (`published_at`: for the list
    of stories shared with officials, when the decision was taken)."""
    if published_at is None:
        published_at = Submission.published_at.expression
    return (
        Submission.id.label("id"), Submission.public_title.label("title"),
        Submission.public_story.label("story"), Submission.display_name.label("display_name"),
        Submission.care_types.label("care_types"), Submission.outcomes.label("outcomes"),
        Submission.experience_month.label("experience_month"),
        published_at.label("published_at"), Submission.language.label("language"),
        Facility.id.label("facility_id"), Facility.name.label("facility_name"),
        Facility.city.label("facility_city"), Region.id.label("region_id"),
        Region.name.label("region_name"), Region.slug.label("region_slug"),
        PUBLIC_CHANGED_AT.label("updated_at"), Submission.story_language.label("story_language"),
    )


def _published() -> Select[tuple]:  # type: ignore[type-arg]
    return (
        select(*_columns())
        .outerjoin(Facility, Facility.id == Submission.facility_id)
        .outerjoin(Region, Region.id == Facility.region_id)
        .where(Submission.published_at.is_not(None))
    )


def _changed_since(since: dt.datetime | None) -> list[ColumnElement[bool]]:
    if since is None:
        return []
    return [PUBLIC_CHANGED_AT >= bindparam("changed_since", since, type_=UTCDateTime())]


def _utc(value: object) -> dt.datetime | None:
    """A timestamp computed in SQL (no column type to convert it): aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns an expression's timestamp as text
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def matching_count(session: Session, filters: Filters,
                   updated_since: dt.datetime | None = None) -> int:
    """How many published stories pass the filters (no search words: that count is not cheap)."""
    query = (select(func.count()).select_from(Submission)
             .where(Submission.published_at.is_not(None), *_conditions(session, filters),
                    *_changed_since(updated_since)))
    return session.scalar(query) or 0


def removed_since(session: Session, since: dt.datetime | None,
                  limit: int, after_id: int = 0) -> list[Change]:
    """Stories that were public once and are not now (withdrawn, taken down, sent back to
    moderation), with when that last changed, at or after `since`; by id, from `after_id`."""
    query = (select(Submission.id, PUBLIC_CHANGED_AT)
             .where(Submission.first_published_at.is_not(None),
                    Submission.published_at.is_(None), Submission.id > after_id,
                    *_changed_since(since))
             .order_by(Submission.id).limit(limit))
    return _changes(session, query)


def _changes(session: Session, query: Select[tuple]) -> list[Change]:  # type: ignore[type-arg]
    return [Change(story_id, _utc(at)) for story_id, at in session.execute(query)]  # type: ignore[arg-type]


def published_count(session: Session) -> int:
    """The published stories, read from the one row the database's triggers keep exact
    (counting them was about 60 ms at 1,000,000, on every worker after every change)."""
    return stored_published(session)


def recent_stories(session: Session, standards: Standards, *, limit: int) -> list[PublicStory]:
    """The newest published stories, newest first."""
    query = _published().order_by(Submission.published_at.desc(), Submission.id.desc())
    return _stories(session, session.connection().execute(query.limit(limit)).all(), standards)


def story_page(session: Session, listing: Listing, standards: Standards,
               per_page: int = PER_PAGE, updated_since: dt.datetime | None = None) -> StoryPage:
    """One page of the stories that pass the filters (and changed at or after
    `updated_since`), found by key from the cursor."""
    query = _published().where(*_conditions(session, listing.filters),
                               *_changed_since(updated_since))
    key = tuple_(Submission.published_at, Submission.id)
    if listing.after is not None:
        # Newer than the cursor: walk forwards from it, then show newest first.
        query = query.where(key > _key(listing.after))
        query = query.order_by(Submission.published_at.asc(), Submission.id.asc())
        rows = session.connection().execute(query.limit(per_page + 1)).all()
        more_newer = len(rows) > per_page
        rows = list(reversed(rows[:per_page]))
        stories = _stories(session, rows, standards)
        return StoryPage(stories, older=stories[-1].cursor if stories else listing.after,
                         newer=stories[0].cursor if stories and more_newer else None)
    if listing.before is not None:
        query = query.where(key < _key(listing.before))
    query = query.order_by(Submission.published_at.desc(), Submission.id.desc())
    rows = session.connection().execute(query.limit(per_page + 1)).all()
    stories = _stories(session, rows[:per_page], standards)
    older = stories[-1].cursor if stories and len(rows) > per_page else None
    # Reached through an "older" link, there are newer stories: at least the cursor's own.
    newer = stories[0].cursor if stories and listing.before is not None else None
    if not stories and listing.before is not None:
        newer = listing.before
    return StoryPage(stories, older=older, newer=newer)


def latest(session: Session, filters: Filters, standards: Standards,
           limit: int) -> list[PublicStory]:
    """The newest `limit` stories that pass the filters (for the feed)."""
    query = (_published().where(*_conditions(session, filters))
             .order_by(Submission.published_at.desc(), Submission.id.desc()).limit(limit))
    return _stories(session, session.connection().execute(query).all(), standards)


def story(session: Session, story_id: int, standards: Standards) -> PublicStory | str | None:
    """The published story, GONE when it was public once but is no longer, None otherwise.

    A story never shown (pending, rejected, spam, withdrawn before publication) is unknown to
    the public: answering "gone" would tell anyone counting ids how moderation went.
    """
    row = session.connection().execute(_published().where(Submission.id == story_id)).first()
    if row is not None:
        return _stories(session, [row], standards)[0]
    once = session.scalar(select(Submission.first_published_at.is_not(None))
                          .where(Submission.id == story_id))
    return GONE if once else None


def themes(session: Session) -> list[ThemeName]:
    """Every theme's slug and names, in English alphabetical order."""
    return [ThemeName(*row) for row in session.execute(
        select(Theme.slug, Theme.name_en, Theme.name_es).order_by(Theme.name_en))]


def facility_groups(session: Session) -> list[RegionGroup]:
    """Every facility a story can name, grouped by region, both in alphabetical order."""
    rows = session.connection().execute(
        select(Region.id, Region.name, Region.slug, Facility.id, Facility.name, Facility.city)
        .join(Facility, Facility.region_id == Region.id)
        .where(Facility.merged_into_id.is_(None))
        .order_by(Region.name, Facility.name, Facility.city)
    ).all()
    groups: dict[int, RegionGroup] = {}
    for region_id, region_name, slug, facility_id, name, city in rows:
        group = groups.get(region_id) or RegionGroup(region_id, region_name, slug, ())
        groups[region_id] = RegionGroup(region_id, region_name, slug,
                                        (*group.facilities, FacilityName(facility_id, name, city)))
    return list(groups.values())


def _conditions(session: Session, filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.region is not None:
        if filters.region.isascii() and filters.region.isdigit():  # an id (listing.py)
            conditions.append(Submission.region_id == int(filters.region))
        else:
            region_id = select(Region.id).where(Region.slug == filters.region).scalar_subquery()
            conditions.append(Submission.region_id == region_id)
    if filters.facility is not None:
        conditions.append(Submission.facility_id == filters.facility)
    if filters.care is not None:
        conditions.append(Submission.care_types.bitwise_and(int(filters.care)) != 0)
    if filters.outcome is not None:
        conditions.append(Submission.outcomes.bitwise_and(int(filters.outcome)) != 0)
    if filters.theme is not None:
        conditions.append(Submission.id.in_(
            select(SubmissionTheme.submission_id)
            .join(Theme, Theme.id == SubmissionTheme.theme_id)
            .where(Theme.slug == filters.theme)))
    parsed = search.parse(filters.q)
    if parsed is not None:
        conditions.append(search.matches(parsed, session))
    return conditions


def _key(cursor: Cursor) -> ColumnElement:  # type: ignore[type-arg]
    return tuple_(bindparam("cursor_at", cursor.published_at, type_=UTCDateTime()),
                  bindparam("cursor_id", cursor.id))


_CRISIS = int(CareType.CRISIS)  # an int: a Flag's `&` on every story read costs more


def _stories(session: Session, rows: Sequence,  # type: ignore[type-arg]
             standards: Standards) -> list[PublicStory]:
    """Stories from rows of `_columns()`, with their waits read in one query."""
    if not rows:
        return []
    waits: dict[int, list[tuple[WaitKind, WaitState, int | None]]] = {}
    wait_rows = session.connection().execute(
        select(Wait.submission_id, Wait.kind, Wait.state, Wait.days)
        .where(Wait.submission_id.in_([row.id for row in rows]))
    )
    for submission_id, kind, state, days in wait_rows:
        waits.setdefault(submission_id, []).append((kind, state, days))
    # The standard depends only on the kind and on the crisis bit; working it out costs more
    # than the rest of the page, so once per page is enough.
    limits: dict[tuple[WaitKind, bool], int | None] = {}

    def limit(kind: WaitKind, care_types: int) -> int | None:
        key = (kind, bool(care_types & _CRISIS))
        if key not in limits:
            limits[key] = standard_days(kind, CareType(care_types), standards)
        return limits[key]

    return [
        PublicStory(
            id=row.id, title=row.title, story=row.story or "", display_name=row.display_name,
            facility=None if row.facility_id is None else PublicFacility(
                row.facility_id, row.facility_name, row.facility_city, row.region_id,
                row.region_name, row.region_slug),
            care_types=row.care_types, outcomes=row.outcomes,
            waits=tuple(
                PublicWait(kind, state, days, limit(kind, row.care_types))
                for kind, state, days in sorted(waits.get(row.id, []),
                                                key=lambda w: _WAIT_ORDER[w[0]])
            ),
            experience_month=row.experience_month, published_at=row.published_at,
            language=row.language, updated_at=_utc(row.updated_at),
            # Stories sent before it was recorded: told from the words as they are read.
            story_language=row.story_language or detect(row.story),
        )
        for row in rows
    ]


def all_published(session: Session, standards: Standards, batch: int = 500, *,
                  after: int = 0, through: int | None = None) -> Iterator[PublicStory]:
    """Every published story, oldest first, read `batch` at a time by key (for exports);
    only those with ids after `after` and up to `through`, when given."""
    query = _published().order_by(Submission.id)
    if through is not None:
        query = query.where(Submission.id <= through)
    return _by_id(session, query, standards, batch, after)


def shared_with_officials(session: Session, standards: Standards,
                          batch: int = 500) -> Iterator[PublicStory]:
    """Approved stories whose patients agreed to share them with legislators, regulators and
    press, in their moderated public version, oldest first, read `batch` at a time.

    Published or not (publishing is a consent of its own); `published_at` holds the time of
    the decision for those that are not on the site.
    """
    decided = func.coalesce(Submission.published_at, Submission.moderated_at)
    query = (
        select(*_columns(published_at=decided))
        .outerjoin(Facility, Facility.id == Submission.facility_id)
        .outerjoin(Region, Region.id == Facility.region_id)
        .where(Submission.status == Status.APPROVED, Submission.consent_share.is_(True),
               Submission.public_story.is_not(None))
        .order_by(Submission.id)
    )
    return _by_id(session, query, standards, batch)


def _by_id(session: Session, query: Select[tuple], standards: Standards,  # type: ignore[type-arg]
           batch: int, last: int = 0) -> Iterator[PublicStory]:
    while True:
        rows = session.connection().execute(query.where(Submission.id > last).limit(batch)).all()
        if not rows:
            return
        yield from _stories(session, rows, standards)
        last = rows[-1].id


def published_changes(session: Session, offset: int, limit: int) -> list[Change]:
    """Published stories by id, `limit` from `offset`: id and when what the public sees of it
    last changed (for the sitemap)."""
    query = (select(Submission.id, PUBLIC_CHANGED_AT)
             .where(Submission.published_at.is_not(None))
             .order_by(Submission.id).offset(offset).limit(limit))
    return _changes(session, query)


def recent_changes(session: Session) -> dt.datetime | None:
    """When what the public sees of any published story last changed."""
    return _utc(session.scalar(select(func.max(PUBLIC_CHANGED_AT))
                               .where(Submission.published_at.is_not(None))))
