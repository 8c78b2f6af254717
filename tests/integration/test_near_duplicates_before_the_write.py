"""On SQLite a new story is compared with the earlier ones before its write, and in the write
only with those stored since: the link it gets is the one a comparison with all of them in
the write gives. PostgreSQL compares them all in the write."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from testimonials.models import Submission, TextSignature
from testimonials.services import duplicates
from tests import builders

TEMPLATE = ("We waited five months for a first appointment for our son at the clinic and were "
            "told the waiting list was closed for new patients until next year, so we paid.")
COPY = TEMPLATE.replace("five", "six")


def _sqlite_only(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        assert duplicates.nearest(session, None, TEMPLATE) is None  # compared in the write
        pytest.skip("PostgreSQL compares in the write")


def _signed(session: Session, story: str) -> int:
    item = builders.submission(session, story=story, original_title=None)
    duplicates.record(session, item)
    session.commit()
    return item.id


def _link(session: Session, item_id: int) -> int | None:
    found = session.get(TextSignature, item_id)
    assert found is not None
    return found.similar_to_id


def test_an_item_stored_after_the_comparison_is_compared_in_the_write(
        app: Flask, session: Session) -> None:
    _sqlite_only(session)
    first = _signed(session, TEMPLATE)
    before = duplicates.nearest(session, None, COPY)
    assert before is not None and before.best is not None and before.best[1] == first
    session.rollback()
    same = _signed(session, COPY)  # stored meanwhile, and more alike (the very words)
    item = builders.submission(session, story=COPY, original_title=None)
    assert duplicates.record(session, item, before) == same
    session.commit()
    assert _link(session, item.id) == same


def test_the_best_item_withdrawn_meanwhile_is_not_linked(app: Flask,
                                                         session: Session) -> None:
    _sqlite_only(session)
    first = _signed(session, TEMPLATE)
    second = _signed(session, TEMPLATE.replace("son", "daughter"))
    before = duplicates.nearest(session, None, TEMPLATE)
    assert before is not None and before.best is not None and before.best[1] == first
    session.rollback()
    duplicates.forget(session, first)  # what a withdrawal does
    session.commit()
    item = builders.submission(session, story=TEMPLATE, original_title=None)
    assert duplicates.record(session, item, before) == second
    session.commit()


def test_nothing_alike_before_and_nothing_since_links_nothing(app: Flask,
                                                              session: Session) -> None:
    _sqlite_only(session)
    _signed(session, "The psychiatrist left in March and nobody refilled my prescription for "
                     "weeks, so I went without my medication until the emergency room.")
    before = duplicates.nearest(session, None, TEMPLATE)
    assert before is not None and before.best is None
    session.rollback()
    item = builders.submission(session, story=TEMPLATE, original_title=None)
    assert duplicates.record(session, item, before) is None
    session.commit()
    assert _link(session, item.id) is None


def test_an_earlier_item_edited_meanwhile_into_the_best_match_is_compared_again(
        app: Flask, session: Session) -> None:
    _sqlite_only(session)
    first = _signed(session, TEMPLATE)
    other = _signed(session, TEMPLATE.replace("son", "daughter"))
    before = duplicates.nearest(session, None, TEMPLATE)
    assert before is not None and before.best is not None and before.best[1] == first
    session.rollback()
    # The best one's words change meanwhile (its patient's edit): everything is compared again.
    edited = session.get(Submission, first)
    assert edited is not None
    edited.original_story = ("Nothing like it: the psychiatrist moved away and the clinic "
                             "closed its doors to new people.")
    duplicates.forget(session, first)
    duplicates.record(session, edited)  # as submissions.edit does
    session.commit()
    item = builders.submission(session, story=TEMPLATE, original_title=None)
    assert duplicates.record(session, item, before) == other
    session.commit()
