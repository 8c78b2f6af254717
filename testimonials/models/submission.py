"""A patient's submission and its wait answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    CompoundSelect,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Select,
    String,
    Text,
    delete,
    event,
    false,
    func,
    insert,
    literal,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from testimonials.lifecycle import Stage, stage_of
from testimonials.models.base import Base, UTCDateTime, enum_column, utcnow
from testimonials.text_language import detect
from testimonials.vocab import Flag, Language, Reporter, Status, Unit, WaitKind, WaitState


class Submission(Base):
    """One story with its answers; the original text is for moderators, the public text for all."""

    __tablename__ = "submission"
    __table_args__ = (
        # The public list, newest first, with key-based paging (published_at, id).
        Index("ix_submission_published", "published_at", "id"),
        Index("ix_submission_facility_published", "facility_id", "published_at", "id"),
        Index("ix_submission_region_published", "region_id", "published_at", "id"),
        # The moderation queue: pending items, urgent first, then oldest first.
        Index("ix_submission_queue", "status", "is_urgent", "created_at", "id"),
        # The queue filtered by facility, region or flags, still in queue order: without these
        # a rare facility or flag means scanning the whole queue.
        Index("ix_submission_queue_facility", "facility_id", "status", "is_urgent",
              "created_at", "id"),
        Index("ix_submission_queue_region", "region_id", "status", "is_urgent", "created_at",
              "id"),
        Index("ix_submission_queue_flags", "status", "is_urgent", "flags", "created_at", "id"),
        # The same text resubmitted within a day is not stored twice.
        Index("ix_submission_fingerprint", "fingerprint", "created_at"),
        CheckConstraint("care_types >= 0 AND outcomes >= 0 AND flags >= 0", name="bit_sets"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), default=Status.PENDING)
    # The interface's language when it was sent (the language to write to the patient in).
    language: Mapped[Language] = mapped_column(enum_column(Language, "language"))
    # The language the story is written in (text_language.detect), None when its words do not
    # tell; kept current with the text by the events below. `lang` on the story's text.
    story_language: Mapped[Language | None] = mapped_column(
        enum_column(Language, "story_language"), nullable=True)
    reporter: Mapped[Reporter] = mapped_column(enum_column(Reporter, "reporter"))

    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    # Copied from the facility (and moved with it) so that region filters use an index.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    facility_other: Mapped[str | None] = mapped_column(String(200))
    care_types: Mapped[int] = mapped_column(Integer, default=0)  # vocab.CareType bits
    outcomes: Mapped[int] = mapped_column(Integer, default=0)  # vocab.Outcome bits
    experience_month: Mapped[dt.date | None] = mapped_column(Date)  # first day of the month

    original_title: Mapped[str | None] = mapped_column(String(120))
    original_story: Mapped[str | None] = mapped_column(Text)  # None once erased
    public_title: Mapped[str | None] = mapped_column(String(120))
    public_story: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))

    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_stats: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)

    flags: Mapped[int] = mapped_column(Integer, default=0)  # vocab.Flag bits
    # Flag.CRISIS copied to its own column so the queue can pin urgent items through an index.
    is_urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether the statistics aggregates currently include this item: they are kept up to date
    # by adding and removing exactly what was added, so the fact must be recorded.
    counted_in_stats: Mapped[bool] = mapped_column(Boolean, default=False)

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the receipt token
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # text.content_fingerprint

    decision_reason: Mapped[str | None] = mapped_column(Text)  # shown to the patient
    moderator_note: Mapped[str | None] = mapped_column(Text)  # for moderators only
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # None: not public
    # When it was first shown to the public, kept through unpublishing and withdrawal: its
    # address answers 410 (gone) once it was public, 404 (unknown) if it never was.
    first_published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # Optimistic concurrency: a write with a stale version fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    waits: Mapped[list[Wait]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="Wait.kind",
        lazy="selectin",
    )

    def has_flag(self, flag: Flag) -> bool:
        return bool(self.flags & flag)

    @property
    def stage(self) -> Stage:
        """Where the item stands in its life (testimonials/lifecycle.py)."""
        return stage_of(self.status, self.erased_at is not None)


@event.listens_for(Submission.public_story, "set")
def _public_text_set(target: Submission, value: str | None, _old: object, _how: object) -> None:
    # What the public reads decides; before a moderator has written it, what the patient sent.
    target.story_language = detect(value) if value else detect(target.original_story)


@event.listens_for(Submission.original_story, "set")
def _original_text_set(target: Submission, value: str | None, _old: object,
                       _how: object) -> None:
    if target.public_story is None:
        target.story_language = detect(value)


class Wait(Base):
    """One of the four waits a patient reported, in whole days."""

    __tablename__ = "wait"
    __table_args__ = (
        CheckConstraint("days IS NULL OR (days >= 0 AND days <= 730)", name="days_range"),
        CheckConstraint(
            "state IN ('gave_up', 'never_offered') OR days IS NOT NULL", name="days_known"
        ),
    )

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[WaitKind] = mapped_column(enum_column(WaitKind, "kind"), primary_key=True)
    state: Mapped[WaitState] = mapped_column(enum_column(WaitState, "state"))
    days: Mapped[int | None] = mapped_column(Integer)
    # The answer as given ("3" "months"), so that the patient's edit form shows it again.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    unit: Mapped[Unit | None] = mapped_column(enum_column(Unit, "unit"))
    # When a "still waiting" answer was later reported as ended.
    ended_reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    submission: Mapped[Submission] = relationship(back_populates="waits")


# status_count's key for the published stories (published_at set: not a status, and no
# status is spelled so); counted beside the statuses, by the same triggers.
PUBLISHED = "published"


def count_published() -> Select[int]:
    """How many stories are public now, counted (the stored figure is `stored_published`)."""
    return select(func.count()).select_from(Submission).where(Submission.published_at.is_not(None))


class StatusCount(Base):
    """How many submissions have each (status, is_urgent), and how many are published (key
    (PUBLISHED, False)): the moderator's queue page and the home page read these few rows
    rather than counting every submission. Kept exact by triggers on submission, in the
    transaction of each change, whatever code or statement makes it (migrations
    0025_status_counts and 0026_published_in_status_count say why triggers); recounted by
    `recount_statuses`. A missing row counts zero."""

    __tablename__ = "status_count"

    status: Mapped[str] = mapped_column(String(9), primary_key=True)
    is_urgent: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    items: Mapped[int] = mapped_column(Integer)


def counted_statuses() -> CompoundSelect[str, bool, int]:
    """The rows status_count should hold, counted now (a scan of every submission): the
    submissions per (status, is_urgent), and the published ones (none of them at zero)."""
    status = type_coerce(Submission.status, String)  # PUBLISHED is no Status
    return union_all(
        select(status, Submission.is_urgent, func.count())
        .group_by(Submission.status, Submission.is_urgent),
        select(literal(PUBLISHED, String), false(), func.count())
        .where(Submission.published_at.is_not(None)).having(func.count() > 0))


def stored_statuses(session: Session) -> dict[tuple[str, bool], int]:
    """The stored counts per (status, is_urgent) and (PUBLISHED, False), those at zero left
    out."""
    rows = session.execute(select(StatusCount.status, StatusCount.is_urgent, StatusCount.items))
    return {(str(status), bool(urgent)): items for status, urgent, items in rows if items}


def stored_published(session: Session) -> int:
    """The published stories, as the triggers keep them (one row)."""
    return session.scalar(select(StatusCount.items).where(
        StatusCount.status == PUBLISHED, StatusCount.is_urgent.is_(False))) or 0


def recount_statuses(session: Session) -> None:
    """Count the statuses and the published stories again into the stored counts, in the
    caller's transaction (after a load that set the triggers aside, or by `flask stats
    rebuild`)."""
    if session.get_bind().dialect.name == "postgresql":
        # The trigger counts at the commit: what this transaction changed so far is counted
        # now, not after (and over) the recount.
        session.execute(text("SET CONSTRAINTS submission_status_count IMMEDIATE"))
    session.execute(delete(StatusCount))
    session.execute(insert(StatusCount).from_select(
        ["status", "is_urgent", "items"], counted_statuses()))
