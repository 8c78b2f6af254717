"""Likely near-duplicates among stories, found at arrival (testimonials/neardup.py).

A new story's signature and bands are stored; the items sharing a band are the only ones
compared. The most alike earlier item at or above neardup.THRESHOLD is linked (the review
page shows it). Withdrawal deletes both: a signature would still confirm a guess of the text.
"""

from __future__ import annotations

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from testimonials import neardup
from testimonials.models import SignatureBand, Submission, TextSignature
from testimonials.services import urgency
from testimonials.vocab import Flag, Status


def record(session: Session, submission: Submission) -> int | None:
    """Store the item's signature; the id of the earlier item it nearly repeats, if any."""
    text = "\n".join(part for part in (submission.original_title, submission.original_story)
                     if part)
    sig = neardup.signature(text)
    if sig is None:  # too short to compare: marked as seen, with no bands
        session.add(TextSignature(submission_id=submission.id, signature=""))
        session.flush()
        return None
    buckets = neardup.bands(sig)
    # The earlier items sharing a band, with their signatures, in one statement (a campaign
    # template has thousands: no list of their ids goes back to the database).
    sharing = (select(SignatureBand.submission_id)
               .where(tuple_(SignatureBand.band, SignatureBand.bucket).in_(buckets),
                      SignatureBand.submission_id < submission.id))
    parts = neardup.stored_parts(sig)
    best: tuple[float, int] | None = None
    for other_id, other in session.execute(
            select(TextSignature.submission_id, TextSignature.signature)
            .where(TextSignature.submission_id.in_(sharing))):
        alike = neardup.similarity_to_stored(parts, other)
        # The most alike; of equals, the earliest.
        if alike >= neardup.THRESHOLD and (
                best is None or (alike, -other_id) > (best[0], -best[1])):
            best = (alike, other_id)
    session.add(TextSignature(submission_id=submission.id, signature=neardup.encode(sig),
                              similar_to_id=best[1] if best else None,
                              similarity=round(best[0] * 100) if best else None))
    session.add_all(SignatureBand(band=band, bucket=bucket, submission_id=submission.id)
                    for band, bucket in buckets)
    session.flush()
    return best[1] if best else None


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
