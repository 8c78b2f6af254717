"""Likely near-duplicates among stories, found at arrival (testimonials/neardup.py).

A new story's signature and bands are stored; the items sharing a band are the only ones
compared. The most alike earlier item at or above neardup.THRESHOLD is linked (the review
page shows it). Withdrawal deletes both: a signature would still confirm a guess of the text.

A patient's new story is compared before its write (`nearest`), and again in the write with
the items stored since (`record`). An earlier item whose patient edits its words between
the two is compared as it read before: the same as if the edit had come a moment later.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, delete, insert, select, tuple_
from sqlalchemy.orm import Session

from testimonials import neardup
from testimonials.models import SignatureBand, Submission, TextSignature
from testimonials.services import urgency
from testimonials.vocab import Flag, Status

Best = tuple[float, int]  # (similarity, the earlier item's id)


@dataclass(frozen=True, slots=True)
class Nearest:
    """A text compared, before its write, with the earlier items stored then: its signature,
    the most alike of them at or above the threshold (None: none), and which were compared."""

    signature: neardup.Signature
    best: Best | None
    compared: frozenset[int]


def text_of(title: str | None, story: str | None) -> str:
    """The words an item is compared by: its title and story as the patient sent them."""
    return "\n".join(part for part in (title, story) if part)


def nearest(session: Session, title: str | None, story: str | None) -> Nearest | None:
    """The text compared with every earlier item sharing a band, as stored now (None: too
    short to compare). Done before the write (a campaign template sent a thousand times
    means a thousand comparisons), so that `record` in the write compares only the items
    stored since, and holds SQLite's write lock that much less long."""
    sig = neardup.signature(text_of(title, story))
    if sig is None:
        return None
    found = _signatures(session, _sharing(neardup.bands(sig)))
    return Nearest(sig, _most_alike(sig, found, None), frozenset(other for other, _ in found))


def record(session: Session, submission: Submission, before: Nearest | None = None) -> int | None:
    """Store the item's signature; the id of the earlier item it nearly repeats, if any.

    `before` is `nearest` of the item's own text, taken before this transaction: only the
    items stored since (or all of them, if its best has gone meanwhile) are compared now.
    """
    sig = before.signature if before is not None else neardup.signature(
        text_of(submission.original_title, submission.original_story))
    if sig is None:  # too short to compare: marked as seen, with no bands
        session.add(TextSignature(submission_id=submission.id, signature=""))
        session.flush()
        return None
    buckets = neardup.bands(sig)
    sharing = _sharing(buckets, below=submission.id)
    if before is None:
        best = _most_alike(sig, _signatures(session, sharing), None)
    else:
        now = set(session.scalars(sharing))
        if before.best is None or before.best[1] in now:  # still the best of those compared
            since = now - before.compared
            best = _most_alike(sig, _signatures(session, sorted(since)), before.best) \
                if since else before.best
        else:  # withdrawn meanwhile: all of them again
            best = _most_alike(sig, _signatures(session, sharing), None)
    session.add(TextSignature(submission_id=submission.id, signature=neardup.encode(sig),
                              similar_to_id=best[1] if best else None,
                              similarity=round(best[0] * 100) if best else None))
    session.flush()
    # One statement for the sixteen bands (executemany), not a flush per row.
    session.execute(insert(SignatureBand), [
        {"band": band, "bucket": bucket, "submission_id": submission.id}
        for band, bucket in buckets])
    return best[1] if best else None


def _sharing(buckets: list[tuple[int, str]], below: int | None = None) -> Select[int]:
    """The ids of the items sharing one of these bands (and older than `below`)."""
    query = select(SignatureBand.submission_id).where(
        tuple_(SignatureBand.band, SignatureBand.bucket).in_(buckets)).distinct()
    return query.where(SignatureBand.submission_id < below) if below is not None else query


def _signatures(session: Session,
                ids: Select[int] | list[int]) -> list[tuple[int, str]]:
    """(id, stored signature) of these items, in one statement (a campaign template has
    thousands: a query of the ids, not a list of them, goes back to the database)."""
    rows = session.execute(select(TextSignature.submission_id, TextSignature.signature)
                           .where(TextSignature.submission_id.in_(ids)))
    return [(other_id, other) for other_id, other in rows]


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
