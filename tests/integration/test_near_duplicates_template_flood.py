"""A campaign template sent thousands of times: a new copy is compared with a bounded number
of the earlier ones, not with every copy, and is still linked to one of them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from testimonials import neardup
from testimonials.models import SignatureBand, Submission, TextSignature
from testimonials.models.base import table_of
from testimonials.services import duplicates
from tests import builders

TEMPLATE = ("We waited five months for a first appointment for our son at the clinic and were "
            "told the waiting list was closed for new patients until next year, so we paid.")
COPIES = 2000


def _flood(session: Session) -> list[int]:
    """COPIES stored copies of TEMPLATE, signed, written in bulk (the first one through
    `record`; the others as the same rows)."""
    first = builders.submission(session, story=TEMPLATE, original_title=None)
    duplicates.record(session, first)
    table = table_of(Submission)
    row = dict(session.execute(select(table).where(table.c.id == first.id)).mappings().one())
    del row["id"]
    session.execute(insert(table), [{**row, "token_hash": f"flood-{n:058d}"}
                                    for n in range(1, COPIES)])
    ids = list(session.scalars(select(table.c.id).where(table.c.id != first.id,
                                                        table.c.original_story == TEMPLATE)))
    sig = neardup.signature(TEMPLATE)
    assert sig is not None and len(ids) == COPIES - 1
    session.execute(insert(table_of(TextSignature)), [
        {"submission_id": item, "signature": neardup.encode(sig)} for item in ids])
    session.execute(insert(table_of(SignatureBand)), [
        {"band": band, "bucket": bucket, "submission_id": item}
        for item in ids for band, bucket in neardup.bands(sig)])
    session.commit()
    return [first.id, *ids]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every stored signature the check compares with, in order."""
    compared: list[str] = []
    real = neardup.similarity_to_stored

    def similarity_to_stored(parts: list[str], stored: str) -> float:
        compared.append(stored)
        return real(parts, stored)

    monkeypatch.setattr(neardup, "similarity_to_stored", similarity_to_stored)
    return compared


def test_the_next_copy_of_a_template_is_compared_with_a_bounded_number(
        app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    copies = _flood(session)
    compared = _counting(monkeypatch)
    item = builders.submission(session, story=TEMPLATE, original_title=None)
    linked = duplicates.record(session, item)  # compared with them all in the write (no before)
    session.commit()
    assert linked in copies  # flagged as a near-duplicate of an earlier copy, as before
    assert duplicates.earlier_of(session, item.id) == (linked, 100)
    assert 0 < len(compared) <= duplicates.CANDIDATES * neardup.BANDS < COPIES


def test_the_check_before_the_write_is_bounded_too(
        app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL compares in the write")
    copies = _flood(session)
    compared = _counting(monkeypatch)
    before = duplicates.nearest(session, None, TEMPLATE)
    assert before is not None and before.best is not None and before.best[1] in copies
    assert 0 < len(compared) <= duplicates.CANDIDATES * neardup.BANDS < COPIES
