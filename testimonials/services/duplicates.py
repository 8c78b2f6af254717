"""Likely near-duplicates among stories, found at arrival (testimonials/neardup.py).

A new story's signature and bands are stored; the items sharing a band are the only ones
compared, and of those only the most recent CANDIDATES in each band (`_candidates`: a campaign
template's thousands of copies cost no more than a few). The most alike of them at or above
neardup.THRESHOLD is linked (the review page shows it). Withdrawal deletes both: a signature
would still confirm a guess of the text.

On SQLite a patient's new story is compared before its write (`nearest`), and in the write
only with the items stored since (`compare`, run before the story's own insert so that its row
goes in with the duplicate flag, then `store`; `record` does both for an item already stored).
An earlier item whose words change between the two (its patient's edit, or `flask duplicates
index` signing it) is compared as it read before: the same as if that change had come a moment
later, when it would not have been compared with the new story either (an item is compared
only with items before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Select, bindparam, delete, func, insert, select, union
from sqlalchemy.orm import Session

from testimonials import neardup
from testimonials.models import SignatureBand, Submission, TextSignature
from testimonials.models.base import table_of
from testimonials.prebuilt import Prebuilt
from testimonials.services import urgency
from testimonials.vocab import Flag, Status

Best = tuple[float, int]  # (similarity, the earlier item's id)


@dataclass(frozen=True, slots=True)
class Nearest:
    """A text compared, before its write, with the earlier items stored then (every item up
    to `up_to`): its signature, the most alike of them at or above the threshold (None:
    none) and that one's stored signature."""

    signature: neardup.Signature
    best: Best | None
    best_signature: str | None
    up_to: int
    buckets: list[tuple[int, str]]  # neardup.bands(signature), worked out once


def text_of(title: str | None, story: str | None) -> str:
    """The words an item is compared by: its title and story as the patient sent them."""
    return "\n".join(part for part in (title, story) if part)


def nearest(session: Session, title: str | None, story: str | None) -> Nearest | None:
    """The text compared with the earlier items sharing a band (the most recent of each,
    `_candidates`), as stored now, on SQLite; None for a text too short to compare, and on
    PostgreSQL.

    Done before the write: SQLite's one writer at a time would hold the write lock through
    the comparisons; `record` in the write then compares only the items stored since.
    SQLite gives an item the next id under that lock and no item is ever deleted, so
    "stored since" is "an id above the highest one read here". PostgreSQL has no such lock
    (and gives ids out of commit order): there `record` compares them all in the write.
    """
    if session.get_bind().dialect.name != "sqlite":
        return None
    sig = neardup.signature(text_of(title, story))
    if sig is None:
        return None
    up_to = session.connection().scalar(_HIGHEST_ID) or 0
    buckets = neardup.bands(sig)
    found = _candidates(session, buckets)
    best = _most_alike(sig, found, None)
    kept = next((other for other_id, other in found if best and other_id == best[1]), None)
    return Nearest(sig, best, kept, up_to, buckets)


def record(session: Session, submission: Submission, before: Nearest | None = None) -> int | None:
    """Store the item's signature; the id of the earlier item it nearly repeats, if any.

    `before` is `nearest` of the item's own text, taken before this transaction: only the
    items stored since are compared now (all of them again if the best one found then has
    been withdrawn or edited meanwhile).
    """
    found = compare(session, submission.original_title, submission.original_story, before,
                    below=submission.id)
    store(session, submission.id, found)
    return found.best[1] if found.best else None


@dataclass(frozen=True, slots=True)
class Compared:
    """A text's signature (None: too short to compare), its bands, and the earlier item it
    nearly repeats, if any: what `store` writes."""

    signature: neardup.Signature | None
    best: Best | None
    buckets: list[tuple[int, str]]  # neardup.bands(signature); none without one


def compare(session: Session, title: str | None, story: str | None,
            before: Nearest | None = None, *, below: int | None = None) -> Compared:
    """The text compared with the earlier items (reads only): those below the id `below`, or
    every item stored now when it is None (a new story, compared before its own insert: on
    SQLite the write lock is held, and on PostgreSQL an item that can be read now took its id
    before the new one will). With `before` (`nearest` of the same text), only the items
    stored since are compared, as `record` says.
    """
    sig = before.signature if before is not None else neardup.signature(text_of(title, story))
    if sig is None:
        return Compared(None, None, [])
    buckets = before.buckets if before is not None else neardup.bands(sig)
    if before is not None and (before.best is None or session.connection().scalar(
            _SIGNATURE_OF, {"submission_id": before.best[1]}) == before.best_signature):
        since = _candidates(session, buckets, below=below, above=before.up_to)
        return Compared(sig, _most_alike(sig, since, before.best), buckets)
    return Compared(sig, _most_alike(sig, _candidates(session, buckets, below=below), None),
                    buckets)


def store(session: Session, submission_id: int, found: Compared) -> None:
    """The item's signature and bands written (a text too short to compare is marked as seen,
    with no bands), with its link to the earlier item it nearly repeats."""
    # Plain inserts of statements built once, on the transaction's connection: nothing reads
    # these rows back as objects in this transaction.
    connection = session.connection()
    if found.signature is None:
        connection.execute(_INSERT_SIGNATURE, {
            "submission_id": submission_id, "signature": "", "similar_to_id": None,
            "similarity": None})
        return
    best = found.best
    connection.execute(_INSERT_SIGNATURE, {
        "submission_id": submission_id, "signature": neardup.encode(found.signature),
        "similar_to_id": best[1] if best else None,
        "similarity": round(best[0] * 100) if best else None})
    # One statement for the sixteen bands, not a flush (nor a statement) per row.
    _INSERT_BANDS.execute(connection, {
        "submission_id": submission_id,
        **{f"bucket{band}": bucket for band, bucket in found.buckets}})


# Plain tables, not the mapped classes: thousands of rows per arrival need no ORM loading.
_BAND, _SIGNATURE = table_of(SignatureBand), table_of(TextSignature)
_SUBMISSION = table_of(Submission)
# Built once, at import, as `_SHARING` below: composing a statement costs more CPU than SQLite
# takes to run these, and an arrival runs them while it holds the write lock.
_HIGHEST_ID = select(func.max(_SUBMISSION.c.id))
_SIGNATURE_OF = select(_SIGNATURE.c.signature).where(
    _SIGNATURE.c.submission_id == bindparam("submission_id"))
_INSERT_SIGNATURE = insert(_SIGNATURE)
# Every band of a signature in one row each (the parameters `bucket0` to `bucket15`).
_INSERT_BANDS = Prebuilt(insert(_BAND).values([
    {"band": band, "bucket": bindparam(f"bucket{band}"),
     "submission_id": bindparam("submission_id")} for band in range(neardup.BANDS)]))
# The most recent items compared in each band a new text shares (see `_candidates`).
CANDIDATES = 32


def _sharing(*, below: bool, above: bool) -> Select[tuple[int, str]]:
    """(id, stored signature) of the items sharing one of a text's bands (the parameters
    `bucket0` to `bucket15`): in each band, the CANDIDATES most recent (highest ids), below
    the parameter `below` and above `above` when those are asked for.

    Bounded because a campaign template (a union's letter, sent by each member) puts every
    copy in the same buckets: compared with all of them, each new copy would cost one
    comparison per earlier copy, a flood of them quadratic in all. The arrival check only
    needs an earlier item the new one nearly repeats, to link and flag (the moderator opens
    it beside the new one); any copy of the template serves, the most recent as well as the
    first. A near-duplicate is missed only if, in every band it shares with the new text,
    CANDIDATES later items share the bucket and none of them is alike enough: a bucket is
    four equal MinHash values, which texts less than THRESHOLD alike rarely have in common
    (0.4 alike: one band in 40), and the limit is per band, so one flooded bucket crowds
    out none of the other fifteen. The primary key (band, bucket, submission_id) reads each
    band's last ids straight off its index. One statement (a campaign template has
    thousands: a query of the ids, not a list of them, goes back to the database).
    """
    per_band = []
    for band in range(neardup.BANDS):
        ids = select(_BAND.c.submission_id).where(_BAND.c.band == band,
                                                  _BAND.c.bucket == bindparam(f"bucket{band}"))
        if below:
            ids = ids.where(_BAND.c.submission_id < bindparam("below"))
        if above:
            ids = ids.where(_BAND.c.submission_id > bindparam("above"))
        per_band.append(select(ids.order_by(_BAND.c.submission_id.desc())
                               .limit(CANDIDATES).subquery().c.submission_id))
    return (select(_SIGNATURE.c.submission_id, _SIGNATURE.c.signature)
            .where(_SIGNATURE.c.submission_id.in_(union(*per_band))))


# Each shape built once, at import: composing sixteen limited selects took SQLAlchemy more
# CPU than the database took to run them (24 ms of an arrival's 60, twice per arrival; the
# bench's submissions line), and even its cache key of them is worth saving (prebuilt.py).
# Only the buckets and bounds change, as parameters.
_SHARING = {(below, above): Prebuilt(_sharing(below=below, above=above))
            for below in (False, True) for above in (False, True)}


def _candidates(session: Session, buckets: list[tuple[int, str]], *, below: int | None = None,
                above: int | None = None) -> list[tuple[int, str]]:
    """(id, stored signature) of the items `_sharing` these buckets, below and above these ids."""
    params: dict[str, object] = {f"bucket{band}": bucket for band, bucket in buckets}
    if below is not None:
        params["below"] = below
    if above is not None:
        params["above"] = above
    rows = _SHARING[below is not None, above is not None].execute(session.connection(), params)
    return cast(list[tuple[int, str]], rows.all())


def _most_alike(sig: neardup.Signature, found: list[tuple[int, str]],
                best: Best | None) -> Best | None:
    """The most alike at or above the threshold of `found` and `best`; of equals, the
    earliest."""
    parts = neardup.stored_parts(sig)
    for other_id, other in found:
        if not other:  # a text too short to compare
            continue
        alike = neardup.similarity_to_stored(parts, other)
        if alike >= neardup.THRESHOLD and (
                best is None or (alike, -other_id) > (best[0], -best[1])):
            best = (alike, other_id)
    return best


def index_missing(session: Session, limit: int) -> int:
    """Signatures for up to `limit` items that have words and none yet (those that arrived
    before this index existed), oldest first so that each is compared with the ones before
    it; a pending one found to repeat an earlier item gets the duplicate flag. Returns how
    many were indexed."""
    missing = session.scalars(
        select(Submission).where(Submission.original_story.is_not(None),
                                 ~select(TextSignature.submission_id)
                                 .where(TextSignature.submission_id == Submission.id).exists())
        .order_by(Submission.id).limit(limit)).all()
    for submission in missing:
        if record(session, submission) is not None and submission.status is Status.PENDING \
                and not submission.has_flag(Flag.DUPLICATE):
            urgency.set_flags(session, submission, Flag(submission.flags) | Flag.DUPLICATE)
    return len(missing)


def earlier_of(session: Session, submission_id: int) -> tuple[int, int] | None:
    """(the earlier item's id, percent alike) for an item flagged as a near-duplicate."""
    row = session.execute(select(TextSignature.similar_to_id, TextSignature.similarity)
                          .where(TextSignature.submission_id == submission_id,
                                 TextSignature.similar_to_id.is_not(None))).first()
    if row is None or row[0] is None or row[1] is None:  # the two are written together
        return None
    return (row[0], row[1])


def forget(session: Session, submission_id: int) -> None:
    session.execute(delete(SignatureBand).where(SignatureBand.submission_id == submission_id))
    session.execute(delete(TextSignature).where(TextSignature.submission_id == submission_id))
