"""Statements compiled once per database and run with the driver's parameters
(testimonials/prebuilt.py) give what SQLAlchemy's own execution of them gives."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import neardup
from testimonials.models import SignatureBand
from testimonials.services import duplicates
from tests import builders

TEMPLATE = ("We waited five months for a first appointment for our son at the clinic and were "
            "told the waiting list was closed for new patients until next year, so we paid.")


def test_the_near_duplicate_statements_read_and_write_what_sqlalchemy_would(
        app: Flask, session: Session) -> None:
    items = [builders.submission(session, story=story, original_title=None) for story in (
        TEMPLATE, TEMPLATE.replace("five", "six"), TEMPLATE.replace("our son", "my daughter"),
        "A different story altogether: nobody called us back about the referral, for weeks.")]
    for item in items:
        duplicates.record(session, item)
    # Every band stored (written by one prebuilt insert), as the signature gives them.
    for item in items:
        stored = set(map(tuple, session.execute(select(SignatureBand.band, SignatureBand.bucket)
                                     .where(SignatureBand.submission_id == item.id)).all()))
        sig = neardup.signature(item.original_story or "")
        assert sig is not None and stored == set(neardup.bands(sig))
    # The candidates' statement, in each of its shapes, reads what SQLAlchemy reads with it.
    sig = neardup.signature(TEMPLATE.replace("paid", "paid ourselves"))
    assert sig is not None
    buckets = {f"bucket{band}": bucket for band, bucket in neardup.bands(sig)}
    shapes = {(False, False): {}, (True, False): {"below": items[2].id},
              (False, True): {"above": items[0].id}, (True, True): {"below": items[2].id,
                                                                    "above": items[0].id}}
    connection = session.connection()
    for (below, above), bounds in shapes.items():
        params = {**buckets, **bounds}
        prebuilt = duplicates._SHARING[below, above].execute(connection, params).all()
        direct = connection.execute(duplicates._sharing(below=below, above=above),
                                    params).all()
        assert sorted(map(tuple, prebuilt)) == sorted(map(tuple, direct)), (below, above)
        assert prebuilt or (below and above)  # the texts share bands: something is read
    # One band at a time (the others asking for no bucket): each band's own constants.
    second = neardup.signature(items[1].original_story or "")
    assert second is not None
    for band, bucket in neardup.bands(second):
        params = {**{name: "none" for name in buckets}, f"bucket{band}": bucket}
        prebuilt = duplicates._SHARING[False, False].execute(connection, params).all()
        direct = connection.execute(duplicates._sharing(below=False, above=False),
                                    params).all()
        assert (items[1].id, neardup.encode(second)) in map(tuple, prebuilt), band
        assert sorted(map(tuple, prebuilt)) == sorted(map(tuple, direct)), band
    session.rollback()
