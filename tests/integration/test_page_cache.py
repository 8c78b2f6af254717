"""The public page cache: served while nothing public changes, renewed the moment it does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import ContentVersion, Submission
from testimonials.vocab import Status
from tests import builders


@pytest.fixture
def cached_app(database_url: str) -> Iterator[Flask]:
    # Recheck on every request: the test's own session plays the part of another worker.
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "PAGE_CACHE": True,
                      "PAGE_CACHE_RECHECK_SECONDS": 0})
    yield app
    app.extensions["waitline.engine"].dispose()


def _version(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(ContentVersion.value)) or 0


def test_a_repeat_request_is_served_from_the_cache(cached_app: Flask) -> None:
    client = cached_app.test_client()
    first = client.get("/stories")
    assert first.status_code == 200 and first.headers["ETag"]
    assert len(cached_app.extensions["waitline.page_cache"].entries) == 1
    again = client.get("/stories")
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Security-Policy"]  # headers are added again on the way out
    revalidated = client.get("/stories", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304


def test_languages_are_cached_apart(cached_app: Flask) -> None:
    client = cached_app.test_client()
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    spanish = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="es"' in spanish


def test_a_pending_submission_keeps_the_cache(cached_app: Flask, session: Session) -> None:
    before = _version(session)
    builders.submission(session, status=Status.PENDING)
    session.commit()
    assert _version(session) == before


def test_publishing_renews_every_page_at_once(cached_app: Flask, session: Session) -> None:
    client = cached_app.test_client()
    assert "Published for the cache test" not in client.get("/stories").get_data(as_text=True)
    before = _version(session)
    row = builders.submission(session, status=Status.APPROVED)
    row.public_title = "Published for the cache test"
    session.commit()
    assert _version(session) > before
    assert "Published for the cache test" in client.get("/stories").get_data(as_text=True)


def test_unpublishing_renews_the_story_page(cached_app: Flask, session: Session) -> None:
    row = builders.submission(session, status=Status.APPROVED)
    session.commit()
    client = cached_app.test_client()
    assert client.get(f"/stories/{row.id}").status_code == 200
    story = session.get(Submission, row.id)
    assert story is not None
    story.published_at = None
    session.commit()
    assert client.get(f"/stories/{row.id}").status_code == 410


def test_other_workers_see_a_change_within_the_recheck_interval(database_url: str,
                                                                session: Session) -> None:
    import time

    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "PAGE_CACHE": True,
                      "PAGE_CACHE_RECHECK_SECONDS": 0.3})
    client = app.test_client()
    client.get("/stories")
    row = builders.submission(session, status=Status.APPROVED)
    row.public_title = "Seen within the interval"
    session.commit()  # committed elsewhere: this app's process did not make the change
    time.sleep(0.35)
    assert "Seen within the interval" in client.get("/stories").get_data(as_text=True)
    app.extensions["waitline.engine"].dispose()
