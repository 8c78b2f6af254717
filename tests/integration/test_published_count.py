"""The home page's count of published stories: counted once by the commit that moves the
generation (an approval, a withdrawal), read from one row by every worker afterwards."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Account, ContentVersion
from testimonials.vocab import Role, Status
from tests import builders


def _figure(app: Flask) -> str:
    page = app.test_client().get("/").get_data(as_text=True)
    found = re.search(r'<span class="figure-number">([^<]*)</span>\s*'
                      r'<span class="figure-label">stor', page)
    assert found, page
    return found.group(1)


def _counted(session: Session) -> int | None:
    session.expire_all()
    return session.scalar(select(ContentVersion.published_stories))


def test_an_approval_counts_the_published_stories_in_its_own_commit(
        app: Flask, session: Session) -> None:
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    for _ in range(2):
        builders.submission(session, status=Status.APPROVED)
    pending = builders.submission(session, status=Status.PENDING)
    session.commit()
    assert _figure(app) == "2"
    builders.approve(session, pending, moderator)
    assert _counted(session) == 3  # the approved story itself included
    assert _figure(app) == "3"


def test_the_home_page_reads_the_counted_figure_rather_than_counting(
        database_url: str, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    # A figure no count gives: the page shows what the row holds (a transaction that does not
    # move the generation counts nothing).
    session.execute(update(ContentVersion).where(ContentVersion.id == 1)
                    .values(published_stories=41))
    session.commit()
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    try:
        assert _figure(app) == "41"
    finally:
        app.extensions["waitline.engine"].dispose()


def test_before_any_change_is_counted_the_home_page_counts_itself(
        app: Flask, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED)
    session.commit()
    session.execute(update(ContentVersion).where(ContentVersion.id == 1)
                    .values(published_stories=None))  # as just after the migration
    session.commit()
    assert _figure(app) == "1"
