"""What patients do with their story: submit, find by token, edit, report a wait ended, withdraw.

Every function takes a session and `now`, adds and flushes, and never commits. Every change
that can move the statistics runs inside `keep_stats_current` (a new story, stored by plain
inserts, applies its rule itself); every patient action leaves an audit entry (with no story
text for a submission).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Row, Select, bindparam, insert, or_, select, text, update
from sqlalchemy.orm import Session

from testimonials import caching, lifecycle, scrub
from testimonials.flags import compute_flags
from testimonials.lifecycle import Action
from testimonials.models import Facility, Submission, Wait
from testimonials.models.base import table_of
from testimonials.services import annotations as item_annotations
from testimonials.services import audit, duplicates, statistics, urgency
from testimonials.services.statistics import keep_stats_current
from testimonials.stats.cells import cells
from testimonials.text import content_fingerprint
from testimonials.text_language import detect
from testimonials.vocab import Flag, Language, Reporter, Status, WaitKind, WaitState
from testimonials.waits import WaitAnswer

PATIENT = audit.PATIENT
# The same text sent again within this long is the same story, not a second one.
DUPLICATE_WINDOW = dt.timedelta(hours=24)


class SubmissionError(ValueError):
    """An answer the service refuses; `code` says which (the form checks first)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Answers:
    """A patient's validated answers, text already cleaned."""

    story: str
    title: str | None
    reporter: Reporter
    facility_id: int | None
    facility_other: str | None
    care_types: int
    outcomes: int
    experience_month: dt.date | None
    waits: tuple[WaitAnswer, ...]
    consent_publish: bool
    consent_stats: bool
    consent_share: bool
    consent_contact: bool
    display_name: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class Receipt:
    """The stored submission and its token, or the recent one it duplicates (token None).

    `resent` is the same form sent again (a double tap): the earlier item with its own token.
    The item itself is loaded only when asked for (`submission`): the views need the token.
    """

    submission_id: int
    token: str | None
    session: Session = field(repr=False, compare=False)
    resent: bool = False

    @property
    def is_recent_duplicate(self) -> bool:
        return self.token is None

    @property
    def submission(self) -> Submission:
        found = self.session.get(Submission, self.submission_id)
        if found is None:  # stored by this transaction, or found by it: never gone
            raise LookupError(f"submission {self.submission_id} is not stored")
        return found


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def form_token(key: bytes, nonce: str | None, fingerprint: str) -> str | None:
    """The receipt token of one form (its one-time nonce) sent with one text; None without a nonce.

    The same form sent twice with the same text gets the same token, so a double tap on "Send"
    leads back to the first receipt; without the site's key the token cannot be worked out.
    """
    if not nonce or not 16 <= len(nonce) <= 64 or not nonce.isascii():
        return None
    digest = hmac.new(key, f"receipt:{nonce}:{fingerprint}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def find_by_token(session: Session, token: str) -> Submission | None:
    """The submission whose receipt token this is, or None."""
    if not 0 < len(token) <= 128:  # real tokens are 43 characters; no need to hash a novel
        return None
    return session.scalars(
        select(Submission).where(Submission.token_hash == token_hash(token))
    ).one_or_none()


@dataclass(frozen=True, slots=True)
class Checked:
    """What the arrival checks find in the text, before the write: its fingerprint and flags,
    and (when a session was given) its comparison with the earlier stories stored then."""

    fingerprint: str
    flags: Flag
    nearest: duplicates.Nearest | None = None


def check(answers: Answers, session: Session | None = None) -> Checked:
    """The text's fingerprint and flags, and with `session` its comparison with the earlier
    stories (reads only): the slow part of an arrival, run before the write lock."""
    return Checked(content_fingerprint(answers.story),
                   compute_flags(answers.title, answers.story, is_duplicate=False,
                                 other_clinic=answers.facility_other),
                   duplicates.nearest(session, answers.title, answers.story)
                   if session is not None else None)


def submit(session: Session, answers: Answers, language: Language, now: dt.datetime,
           checked: Checked | None = None, token: str | None = None) -> Receipt:
    """A new pending submission with flags, waits and an audit entry; or the recent duplicate.

    `token` (from `form_token`) is the receipt token to use: when the recent duplicate already
    has it, this is the same form sent again and the receipt is the earlier one's.

    The new rows go in by plain inserts of statements built once, on the transaction's
    connection, not through ORM objects and flushes: on SQLite all of this runs holding the
    write lock, and the unit of work cost more CPU than the inserts themselves. The rows are
    those the models would write (`_new_row` says how each column is decided).
    """
    checked = checked or check(answers)
    _lock_fingerprint(session, checked.fingerprint)
    earlier, token_taken = _earlier_and_token_holder(session, checked.fingerprint, token)
    if earlier is not None and earlier.created_at > now - DUPLICATE_WINDOW:
        if token is not None and hmac.compare_digest(earlier.token_hash, token_hash(token)):
            return Receipt(earlier.id, token, session, resent=True)
        return Receipt(earlier.id, None, session)
    if token is None or token_taken:
        token = secrets.token_urlsafe(32)
    flags = checked.flags | (Flag.DUPLICATE if earlier is not None else Flag(0))
    # Compared before its own insert, so that the row goes in with all its flags (no second
    # write of it in the lock; duplicates.compare says why nothing later is missed).
    alike = duplicates.compare(session, answers.title, answers.story, checked.nearest)
    if alike.best is not None:
        flags |= Flag.DUPLICATE  # nearly repeats an earlier one
    row = _new_row(session, answers, language, now, flags, token, checked.fingerprint)
    connection = session.connection()
    submission_id: int = connection.execute(_INSERT_SUBMISSION, row).scalar_one()
    waits = _new_waits(submission_id, answers.waits)
    if waits:  # one wait (the common case) as a single row: executemany costs more
        connection.execute(_INSERT_WAIT, waits if len(waits) > 1 else waits[0])
    # A new story is pending, and the aggregates count approved ones only: this adds nothing
    # unless that rule changes (keep_stats_current's work, for a row that was not counted).
    if statistics.counts(row["status"], answers.consent_stats):
        statistics.add_to_cells(session, cells(
            row["region_id"], answers.facility_id, answers.care_types,
            answers.experience_month, answers.outcomes,
            [(wait["kind"].value, wait["state"].value, wait["days"]) for wait in waits]))
        connection.execute(_COUNTED, {"id": submission_id})
    duplicates.store(session, submission_id, alike)
    # An urgent arrival alerts the moderators (set_flags' announcement, for a new item: its
    # flags went in with its row).
    urgency.announce_arrival(session, submission_id, flags)
    audit.append(session, now, "submit", submission_id=submission_id, before=None,
                 after={"status": Status.PENDING.value, "flags": int(flags)},
                 actor_label=PATIENT)
    return Receipt(submission_id, token, session)


def _new_row(session: Session, answers: Answers, language: Language, now: dt.datetime,
             flags: Flag, token: str, fingerprint: str) -> dict[str, Any]:
    """The new story's submission row: what `_apply` copies onto an item (its region from the
    facility, which must still be offered; the e-mail only with the box ticked), what the
    model's events set (`story_language`, from the story, as no public text exists yet) and
    what a new item starts with (pending, version 1, not counted yet)."""
    return {
        "status": Status.PENDING, "language": language,
        "story_language": detect(answers.story), "reporter": answers.reporter,
        "facility_id": answers.facility_id,
        "region_id": _offered_region(session, answers.facility_id),
        "facility_other": answers.facility_other, "care_types": answers.care_types,
        "outcomes": answers.outcomes, "experience_month": answers.experience_month,
        "original_title": answers.title, "original_story": answers.story,
        "display_name": answers.display_name,
        "email": answers.email if answers.consent_contact else None,
        "consent_publish": answers.consent_publish, "consent_stats": answers.consent_stats,
        "consent_share": answers.consent_share, "consent_contact": answers.consent_contact,
        "flags": int(flags), "is_urgent": urgency.is_urgent(flags), "counted_in_stats": False,
        "token_hash": token_hash(token), "fingerprint": fingerprint,
        "created_at": now, "updated_at": now, "version": 1,
    }


def _offered_region(session: Session, facility_id: int | None) -> int | None:
    """The region of the chosen facility, which a new story may name only while it is offered
    (active, not merged); SubmissionError otherwise. None without a facility."""
    if facility_id is None:
        return None
    found = session.connection().execute(_FACILITY, {"id": facility_id}).first()
    if found is None or not found.active or found.merged_into_id is not None:
        raise SubmissionError("unknown_facility")
    return cast(int | None, found.region_id)


def _new_waits(submission_id: int, answers: tuple[WaitAnswer, ...]) -> list[dict[str, Any]]:
    """The wait rows of a new story: one per kind answered (the last answer of a kind, as
    `_apply_waits` keeps)."""
    given = {answer.kind: answer for answer in answers}
    return [{"submission_id": submission_id, "kind": kind, "state": answer.state,
             "days": answer.days, "amount": _stored_amount(answer), "unit": answer.unit,
             "ended_reported_at": None} for kind, answer in given.items()]


def can_edit(submission: Submission) -> bool:
    return lifecycle.allowed(submission.stage, Action.EDIT)


def edit(session: Session, submission: Submission, answers: Answers, now: dt.datetime) -> bool:
    """The answers replaced; an approved item goes back to the queue. False if nothing changed."""
    if not can_edit(submission):
        raise SubmissionError("not_editable")
    before = snapshot(submission)
    was_public = submission.published_at is not None
    was_urgent = urgency.urgent_in_queue(submission)
    with keep_stats_current(session, submission, now):
        _apply(session, submission, answers)
        after = snapshot(submission)
        changed = sorted(key for key in after if after[key] != before[key])
        if not changed:
            return False
        if {"title", "story", "facility_other"} & set(changed):
            # The moderator's public version was of the old text: it is redone from the new one.
            if {"title", "story"} & set(changed):
                submission.public_title = submission.public_story = None
            flags = compute_flags(submission.original_title, submission.original_story,
                                  is_duplicate=submission.has_flag(Flag.DUPLICATE),
                                  other_clinic=submission.facility_other)
            submission.flags = int(flags)
            submission.is_urgent = urgency.is_urgent(flags)
            # The duplicate check compares new arrivals with the text as it now is.
            submission.fingerprint = content_fingerprint(submission.original_story or "")
        # Which of the patient's words changed, not the words: the log keeps no story or e-mail.
        old = {key: before[key] for key in changed if key not in audit.TEXT_KEYS}
        new = {key: audit.CHANGED if key in audit.TEXT_KEYS else after[key] for key in changed}
        if submission.status is Status.APPROVED:
            old["status"], new["status"] = Status.APPROVED.value, Status.PENDING.value
            submission.status = Status.PENDING
            submission.published_at = None
        submission.updated_at = now
    if {"title", "story"} & set(changed):
        # The near-duplicate signature follows the words; an edit that makes the story repeat
        # an earlier one flags it (an edit never clears the flag, as above).
        duplicates.forget(session, submission.id)
        if duplicates.record(session, submission) is not None \
                and not submission.has_flag(Flag.DUPLICATE):
            submission.flags = int(Flag(submission.flags) | Flag.DUPLICATE)
    # Crisis words added, or an urgent story back in the queue: the moderators are alerted.
    urgency.announce_if_became_urgent(session, submission, was_urgent=was_urgent)
    if was_public:  # back in the queue: off the site (an unpublished one moves nothing public)
        caching.public_changed(session)
    _audit(session, submission, "edit", now, old, new)
    return True


def waiting(submission: Submission) -> list[Wait]:
    """The waits still going on, in the form's order."""
    order = list(WaitKind)
    return sorted((wait for wait in submission.waits if wait.state is WaitState.WAITING),
                  key=lambda wait: order.index(wait.kind))


def report_waits_ended(session: Session, submission: Submission,
                       ended: dict[WaitKind, WaitAnswer], now: dt.datetime) -> None:
    """Each named "still waiting" wait becomes ended after its total days (no fewer than so far)."""
    if not lifecycle.allowed(submission.stage, Action.WAIT_ENDED):
        raise SubmissionError("withdrawn")
    open_waits = {wait.kind: wait for wait in waiting(submission)}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    with keep_stats_current(session, submission, now):
        for kind, answer in ended.items():
            wait = open_waits.get(kind)
            if wait is None or wait.days is None:
                raise SubmissionError("not_waiting")
            if answer.days is None or answer.days < wait.days:
                raise SubmissionError("shorter_than_so_far")
            before[kind.value] = [wait.state.value, wait.days]
            wait.state, wait.days = WaitState.ENDED, answer.days
            wait.amount, wait.unit = _stored_amount(answer), answer.unit
            wait.ended_reported_at = now
            after[kind.value] = [wait.state.value, wait.days]
        submission.updated_at = now
    if submission.published_at is not None:  # the story shows its waits; else only figures
        caching.public_changed(session)
    _audit(session, submission, "wait_ended", now, before, after)


def withdraw(session: Session, submission: Submission, now: dt.datetime) -> None:
    """Withdrawn, out of the site and the statistics, its text and e-mail erased everywhere."""
    lifecycle.require(submission.stage, Action.WITHDRAW)  # allowed from every stage
    if submission.status is Status.WITHDRAWN:
        return
    previous, was_public = submission.status, submission.published_at is not None
    with keep_stats_current(session, submission, now):
        submission.status = Status.WITHDRAWN
        submission.withdrawn_at = now
        submission.published_at = None
        erase(session, submission, now)
    if was_public:
        caching.public_changed(session)
    if submission.moderated_at is not None:
        # Once decided, it may have been published (and since unpublished or sent back): its
        # words may be in the search index. Never-decided items never reached it.
        scrub.forget_search_terms(session)
    _audit(session, submission, "withdraw", now, {"status": previous.value},
           {"status": Status.WITHDRAWN.value})


def erase(session: Session, submission: Submission, now: dt.datetime) -> None:
    """The patient's words and e-mail gone from the item and from its audit trail."""
    submission.original_title = submission.original_story = None
    submission.public_title = submission.public_story = None
    submission.display_name = submission.email = submission.facility_other = None
    # The moderators' words about the story may quote it.
    submission.decision_reason = submission.moderator_note = None
    submission.fingerprint = None  # a hash of the text would still confirm a guess of it
    submission.erased_at = now
    submission.updated_at = now
    item_annotations.erase_notes(session, submission.id)
    duplicates.forget(session, submission.id)
    # The one exception to the append-only log: privacy outranks it.
    audit.erase_texts(session, submission.id)


def erase_email(session: Session, submission: Submission, now: dt.datetime) -> None:
    """The contact e-mail gone from the item and from its audit trail."""
    submission.email = None
    submission.updated_at = now
    audit.erase_texts(session, submission.id, keys=frozenset({"email"}))


def snapshot(submission: Submission) -> dict[str, Any]:
    """The patient's answers as plain JSON values, for comparing and for the audit log."""
    month = submission.experience_month
    return {
        "title": submission.original_title, "story": submission.original_story,
        "reporter": submission.reporter.value, "facility_id": submission.facility_id,
        "facility_other": submission.facility_other, "care_types": submission.care_types,
        "outcomes": submission.outcomes, "experience_month": month.isoformat() if month else None,
        "waits": {w.kind.value: [w.state.value, w.days] for w in submission.waits},
        "consent_publish": submission.consent_publish, "consent_stats": submission.consent_stats,
        "consent_share": submission.consent_share, "consent_contact": submission.consent_contact,
        "display_name": submission.display_name, "email": submission.email,
    }


def _apply(session: Session, submission: Submission, answers: Answers) -> None:
    """Copy the answers onto the submission (region from the facility; waits updated in place)."""
    region_id = None
    if answers.facility_id is not None:
        facility = session.get(Facility, answers.facility_id)
        offered = facility is not None and facility.active and facility.merged_into_id is None
        # A story may keep naming a facility retired since; it cannot newly name one.
        if facility is None or not (offered or facility.id == submission.facility_id):
            raise SubmissionError("unknown_facility")
        region_id = facility.region_id
    submission.original_title, submission.original_story = answers.title, answers.story
    submission.reporter = answers.reporter
    submission.facility_id, submission.region_id = answers.facility_id, region_id
    submission.facility_other = answers.facility_other
    submission.care_types, submission.outcomes = answers.care_types, answers.outcomes
    submission.experience_month = answers.experience_month
    submission.consent_publish = answers.consent_publish
    submission.consent_stats = answers.consent_stats
    submission.consent_share = answers.consent_share
    submission.consent_contact = answers.consent_contact
    submission.display_name = answers.display_name
    # An address is kept only to contact the patient, and only if they asked to be contacted:
    # one typed with the box unticked (or untick it later) is not stored.
    submission.email = answers.email if answers.consent_contact else None
    _apply_waits(submission, answers.waits)


def _stored_amount(answer: WaitAnswer) -> Decimal | None:
    """The amount as the column holds it (a whole number in a Numeric column)."""
    return None if answer.amount is None else Decimal(answer.amount)


def _apply_waits(submission: Submission, answers: tuple[WaitAnswer, ...]) -> None:
    # Rows are updated in place: replacing a row of the same kind would insert the new one
    # before deleting the old, and collide on the primary key (submission, kind).
    given = {answer.kind: answer for answer in answers}
    for old in list(submission.waits):
        if old.kind not in given:
            submission.waits.remove(old)
    existing = {wait.kind: wait for wait in submission.waits}
    for kind, answer in given.items():
        wait = existing.get(kind)
        if wait is None:
            wait = Wait(kind=kind)
            submission.waits.append(wait)
        if (wait.state, wait.days) != (answer.state, answer.days):
            wait.ended_reported_at = None
        wait.state, wait.days = answer.state, answer.days
        wait.amount, wait.unit = _stored_amount(answer), answer.unit


def _earlier_and_token_holder(session: Session, fingerprint: str,
                              token: str | None) -> tuple[Row[Any] | None, bool]:
    """The newest item with this text (its id, created_at and token_hash), and whether an
    item already has this receipt token (the same form and text sent days apart, or since
    withdrawn): one query for both.

    Plain columns on the transaction's connection: nearly every arrival finds neither, and
    loading through the ORM cost more than the query, inside SQLite's write lock.
    """
    holder = token_hash(token) if token is not None else None
    found = session.connection().execute(_EARLIER_OR_HOLDER[holder is not None],
                                         {"fingerprint": fingerprint, "holder": holder}).all()
    # The token's holder, when it also has this text, is never newer than the newest one.
    newest = max((row for row in found if row.fingerprint == fingerprint),
                 key=lambda row: row.created_at, default=None)
    return newest, any(row.token_hash == holder for row in found)


def _earlier_or_holder(with_holder: bool) -> Select[tuple[int, str | None, dt.datetime, str]]:
    table = table_of(Submission)
    newest = (select(table.c.id).where(table.c.fingerprint == bindparam("fingerprint"))
              .order_by(table.c.created_at.desc()).limit(1).scalar_subquery())
    wanted = table.c.id == newest
    if with_holder:
        wanted = or_(wanted, table.c.token_hash == bindparam("holder"))
    return select(table.c.id, table.c.fingerprint, table.c.created_at,
                  table.c.token_hash).where(wanted)


# Built once, at import (with a token's holder or without): composing the statement cost
# more CPU than running it, in every arrival, inside SQLite's write lock.
_EARLIER_OR_HOLDER = {with_holder: _earlier_or_holder(with_holder) for with_holder in (False, True)}
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_SUBMISSION, _FACILITY_TABLE = table_of(Submission), table_of(Facility)
_INSERT_SUBMISSION = insert(_SUBMISSION).returning(_SUBMISSION.c.id)
_INSERT_WAIT = insert(table_of(Wait))
_COUNTED = update(_SUBMISSION).where(_SUBMISSION.c.id == bindparam("id")).values(
    counted_in_stats=True)
_FACILITY = select(_FACILITY_TABLE.c.active, _FACILITY_TABLE.c.merged_into_id,
                   _FACILITY_TABLE.c.region_id).where(_FACILITY_TABLE.c.id == bindparam("id"))


def _lock_fingerprint(session: Session, fingerprint: str) -> None:
    """Serialise two sends of the same text (SQLite already holds the write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        key = int(fingerprint[:15], 16)  # fits a signed 64-bit integer
        session.connection().execute(_ADVISORY_LOCK, {"key": key})


def _audit(session: Session, submission: Submission, action: str, now: dt.datetime,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    audit.record(session, now, None, action, submission_id=submission.id, before=before,
                 after=after, actor_label=PATIENT)
