"""The moderation queue: urgent items first, newest first; then the rest, oldest first.

An urgent item is a disclosure of suicide or self-harm: the one made today must not wait
behind ones made months ago, so that part runs newest first; the rest of the queue is fair
to patients who waited longest. Order is (is_urgent DESC, then created_at and id descending
for urgent items, ascending for the rest). Each page is read in at most two range scans of
the index ix_submission_queue (status, is_urgent, created_at, id), the urgent part scanned
backwards; never OFFSET, so page 4,000 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from testimonials.bounds import database_int
from testimonials.models import Facility, Submission
from testimonials.models.submission import PUBLISHED, stored_statuses
from testimonials.text import excerpt
from testimonials.vocab import Flag, Language, Status

PAGE_SIZE = 25
EXCERPT_CHARS = 200  # read from the database
OPENING_CHARS = 180  # shown, cut at a word with an ellipsis
FLAG_FILTERS = {"personal_data": Flag.PERSONAL_DATA, "crisis": Flag.CRISIS,
                "duplicate": Flag.DUPLICATE, "none": Flag(0)}


@dataclass(frozen=True)
class Filters:
    """What the moderator narrowed the queue to; all optional."""

    facility: int | None = None
    region: int | None = None
    language: str | None = None
    flag: str | None = None

    def as_args(self) -> dict[str, Any]:
        """The filters as query-string arguments (only those set).

        Text values, typed Any for url_for(..., **filters.as_args()) (see filters.query_of).
        """
        values = {"facility": self.facility, "region": self.region,
                  "language": self.language, "flag": self.flag}
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def parse_filters(args: dict[str, str]) -> Filters:
    """Filters from a query string; anything malformed is ignored rather than refused."""
    def number(key: str) -> int | None:
        return database_int(args.get(key, ""))

    language = args.get("language")
    flag = args.get("flag")
    return Filters(
        facility=number("facility"), region=number("region"),
        language=language if language in {lang.value for lang in Language} else None,
        flag=flag if flag in FLAG_FILTERS else None,
    )


@dataclass(frozen=True)
class QueueRow:
    id: int
    created_at: dt.datetime
    is_urgent: bool
    flags: int
    language: str
    title: str | None
    opening: str
    facility_name: str | None
    facility_other: str | None


@dataclass(frozen=True)
class Position:
    """Where an item stands in the queue order."""

    is_urgent: bool
    created_at: dt.datetime
    id: int


def _base(filters: Filters, urgent: bool) -> Select:  # type: ignore[type-arg]
    query = (
        select(Submission.id, Submission.created_at, Submission.is_urgent, Submission.flags,
               Submission.language, func.substr(Submission.original_title, 1, 120),
               func.substr(Submission.original_story, 1, EXCERPT_CHARS), Facility.name,
               Submission.facility_other)
        .outerjoin(Facility, Facility.id == Submission.facility_id)
        .where(Submission.status == Status.PENDING, Submission.is_urgent.is_(urgent))
    )
    if filters.facility is not None:
        query = query.where(Submission.facility_id == filters.facility)
    if filters.region is not None:
        query = query.where(Submission.region_id == filters.region)
    if filters.language:
        query = query.where(Submission.language == filters.language)
    return query


def _flag_values(flag: str | None, urgent: bool) -> list[int | None]:
    """The exact `flags` values that match a flag filter in one part of the queue.

    A bit test cannot use an index, and a rare flag would mean scanning the whole queue;
    with three bits there are few values, each an equality on ix_submission_queue_flags.
    [None] means no condition on flags.
    """
    if flag is None or flag == "crisis":  # crisis is what makes an item urgent
        return [None]
    if flag == "none":
        return [0]
    bit = int(FLAG_FILTERS[flag])
    crisis = int(Flag.CRISIS)
    return [value for value in range(8) if value & bit and bool(value & crisis) == urgent]


def _rows(session: Session, query: Select, limit: int) -> list[QueueRow]:  # type: ignore[type-arg]
    return [
        QueueRow(id=row[0], created_at=row[1], is_urgent=row[2], flags=row[3],
                 language=str(row[4]), title=row[5], opening=excerpt(row[6] or "", OPENING_CHARS)
                 if row[6] else "",
                 facility_name=row[7], facility_other=row[8])
        for row in session.execute(query.limit(limit))
    ]


def _scan(session: Session, filters: Filters, urgent: bool, limit: int,
          after: Position | None = None, *, backwards: bool = False) -> list[QueueRow]:
    """Up to `limit` items of one part, in queue order (or against it, `backwards`) from
    `after` (exclusive), one range scan per flags value, merged."""
    if limit <= 0:
        return []
    descending = urgent != backwards  # the urgent part's queue order is newest first
    key = (Submission.created_at, Submission.id)
    order = [column.desc() if descending else column.asc() for column in key]
    found: list[QueueRow] = []
    for value in _flag_values(filters.flag, urgent):
        query = _base(filters, urgent)
        if value is not None:
            query = query.where(Submission.flags == value)
        if after is not None:
            here = tuple_(after.created_at, after.id)
            query = query.where(tuple_(*key) < here if descending else tuple_(*key) > here)
        found += _rows(session, query.order_by(*order), limit)
    found.sort(key=lambda row: (row.created_at, row.id), reverse=descending)
    return found[:limit]


def _parts(filters: Filters) -> tuple[bool, ...]:
    """Which parts of the queue (urgent, then the rest) can hold matches at all.

    Urgent means crisis language: asking for crisis items needs only the urgent part, asking
    for items without flags only the rest; scanning the other part would find nothing, slowly.
    """
    if filters.flag == "crisis":
        return (True,)
    if filters.flag == "none":
        return (False,)
    return (True, False)


def position(session: Session, submission_id: int) -> Position | None:
    row = session.execute(select(Submission.is_urgent, Submission.created_at, Submission.id)
                          .where(Submission.id == submission_id)).first()
    return Position(bool(row[0]), row[1], row[2]) if row else None


def page(session: Session, filters: Filters, after: Position | None = None,
         size: int = PAGE_SIZE) -> list[QueueRow]:
    """Up to `size` pending items after `after` (or from the top), in queue order."""
    rows: list[QueueRow] = []
    for urgent in _parts(filters):
        if after is not None and after.is_urgent is False and urgent:
            continue  # already past the urgent part
        start = after if after is not None and after.is_urgent is urgent else None
        rows += _scan(session, filters, urgent, size - len(rows), start)
        if len(rows) >= size:
            break
    return rows


def neighbour(session: Session, filters: Filters, at: Position, *, later: bool) -> int | None:
    """The id of the pending item just after (or before) `at` in queue order, if any."""
    if later:
        found = page(session, filters, at, size=1)
        return found[0].id if found else None
    parts = [part for part in _parts(filters) if part or not at.is_urgent]
    for urgent in reversed(parts):  # the rest of our own part first, then the urgent part
        start = at if urgent is at.is_urgent else None
        found = _scan(session, filters, urgent, 1, start, backwards=True)
        if found:
            return found[0].id
    return None


def status_counts(session: Session) -> dict[str, int]:
    """Items per status, and pending urgent ones under "urgent": the few stored rows of
    status_count (kept exact by triggers, migration 0025_status_counts), never a count of
    every submission (25 ms of CPU on SQLite, 75-85 ms on PostgreSQL at 200,000 rows)."""
    counts = {status.value: 0 for status in Status}
    counts["urgent"] = 0
    for (status, urgent), number in stored_statuses(session).items():
        if status == PUBLISHED:  # the home page's figure, kept beside them; not a status
            continue
        counts[status] = counts.get(status, 0) + number
        if urgent and status == Status.PENDING:
            counts["urgent"] += number
    return counts


def count_matching(session: Session, filters: Filters) -> int:
    """How many pending items the filters match (one count over the queue's indexes)."""
    query = select(func.count()).select_from(Submission).where(
        Submission.status == Status.PENDING)
    if filters.facility is not None:
        query = query.where(Submission.facility_id == filters.facility)
    if filters.region is not None:
        query = query.where(Submission.region_id == filters.region)
    if filters.language:
        query = query.where(Submission.language == filters.language)
    if filters.flag == "none":
        query = query.where(Submission.flags == 0)
    elif filters.flag is not None:
        query = query.where(Submission.flags.op("&")(int(FLAG_FILTERS[filters.flag])) != 0)
    return int(session.scalar(query) or 0)
