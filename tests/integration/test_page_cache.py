"""The public page cache: served while nothing public changes, renewed the moment it does."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Account, ContentVersion, Submission
from testimonials.services import moderation, submissions
from testimonials.vocab import Role, Status, Unit, WaitKind, WaitState
from testimonials.waits import WaitAnswer
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
    assert len(cached_app.extensions["waitline.caching"].pages) == 1
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
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    row = builders.submission(session, status=Status.APPROVED)
    session.commit()
    client = cached_app.test_client()
    assert client.get(f"/stories/{row.id}").status_code == 200
    story = session.get(Submission, row.id)
    assert story is not None
    moderation.unpublish(session, story, moderator, builders.NOW, version=story.version)
    session.commit()
    assert client.get(f"/stories/{row.id}").status_code == 410


def test_other_workers_see_a_change_within_the_recheck_interval(
        database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    import types

    from testimonials.caching import invalidation

    # The recheck's clock, moved past the interval below instead of sleeping through it
    # (issue 19): before that the kept page is served, after it the change.
    ahead = [0.0]
    monkeypatch.setattr(invalidation, "time",
                        types.SimpleNamespace(monotonic=lambda: time.monotonic() + ahead[0]))
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "PAGE_CACHE": True,
                      "PAGE_CACHE_RECHECK_SECONDS": 30})
    client = app.test_client()
    client.get("/stories")
    row = builders.submission(session, status=Status.APPROVED)
    row.public_title = "Seen within the interval"
    session.commit()  # committed elsewhere: this app's process did not make the change
    assert "Seen within the interval" not in client.get("/stories").get_data(as_text=True)
    ahead[0] += 30.5
    assert "Seen within the interval" in client.get("/stories").get_data(as_text=True)
    app.extensions["waitline.engine"].dispose()


def _cached_app(database_url: str, **config: object) -> Flask:
    return create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "PAGE_CACHE": True,
                       "PAGE_CACHE_RECHECK_SECONDS": 0, **config})


@pytest.mark.parametrize("consent_stats", [True, False])
def test_a_wait_ended_through_the_patient_page_renews_the_story_and_figures(
        database_url: str, session: Session, consent_stats: bool) -> None:
    # A published story whose first return is still going on; ended through /my/<token>.
    app = _cached_app(database_url, STATS_MIN_CELL=1)
    client = app.test_client()
    token = "wait-ended-cache-token"
    row = builders.submission(
        session, status=Status.APPROVED, consent_stats=consent_stats,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        waits={WaitKind.FIRST_RETURN: (WaitState.WAITING, 20)})
    session.commit()
    story_path, api_path = f"/stories/{row.id}", f"/api/v1/stories/{row.id}"
    assert "still waiting" in client.get(story_path).get_data(as_text=True)
    assert "waiting" in json.dumps(client.get(api_path).get_json())
    home = client.get("/").get_data(as_text=True)
    response = client.post(f"/my/{token}/wait-ended",
                           data={"first_return-amount": "40", "first_return-unit": "days"})
    assert response.status_code == 303
    assert "still waiting" not in client.get(story_path).get_data(as_text=True)
    assert "waiting" not in json.dumps(client.get(api_path).get_json())
    # The home page's figures are a release's: they count the wait as ended at the next one.
    builders.release(app)
    assert client.get("/").get_data(as_text=True) != home
    app.extensions["waitline.engine"].dispose()


def test_a_statistics_only_change_moves_no_public_page_until_a_release(
        database_url: str, session: Session) -> None:
    # Counted but never published (no consent to publish): nothing public may move, not even
    # the version behind the ETags, else a reader learns that someone counted-only changed.
    app = _cached_app(database_url, STATS_MIN_CELL=1)
    client = app.test_client()
    row = builders.submission(session, status=Status.APPROVED, published_at=None,
                              consent_publish=False,
                              waits={WaitKind.INTAKE: (WaitState.WAITING, 20)})
    session.commit()
    home = client.get("/").get_data(as_text=True)
    before = _version(session)
    submissions.report_waits_ended(session, session.get(Submission, row.id),
                                   {WaitKind.INTAKE: WaitAnswer(WaitKind.INTAKE, WaitState.ENDED, 200, 200, Unit.DAYS)},  # noqa: E501
                                   builders.NOW)
    session.commit()
    assert _version(session) == before
    assert client.get("/").get_data(as_text=True) == home
    builders.release(app)
    session.rollback()  # a new snapshot: the release was committed by another connection
    assert _version(session) > before
    assert client.get("/").get_data(as_text=True) != home
    app.extensions["waitline.engine"].dispose()


def test_the_published_count_on_the_home_page_follows_an_approval_at_once(
        database_url: str, session: Session) -> None:
    app = _cached_app(database_url)
    client = app.test_client()
    moderator = Account(email="mod@example.org", password_hash="-", role=Role.MODERATOR)
    session.add(moderator)
    for _ in range(2):
        builders.submission(session, status=Status.APPROVED)
    pending = builders.submission(session, status=Status.PENDING)
    session.commit()
    assert _published_figure(client.get("/").get_data(as_text=True)) == "2"
    builders.approve(session, pending, moderator)
    assert _published_figure(client.get("/").get_data(as_text=True)) == "3"
    app.extensions["waitline.engine"].dispose()


def _published_figure(page: str) -> str:
    found = re.search(r'<span class="figure-number">([^<]*)</span>\s*'
                      r'<span class="figure-label">stor', page)
    assert found, page
    return found.group(1)


def test_the_cache_holds_a_bounded_weight_of_pages(database_url: str, session: Session,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader paging deep must not grow every worker by the whole list of stories."""
    from testimonials.caching import invalidation

    monkeypatch.setattr(invalidation, "MAX_BYTES", 30_000)
    app = _cached_app(database_url)
    for _ in range(3):
        builders.submission(session, status=Status.APPROVED)
    session.commit()
    client = app.test_client()
    for number in range(40):
        assert client.get(f"/stories/{number % 3 + 1}?n={number}").status_code == 200
    pages = app.extensions["waitline.caching"].pages
    assert 0 < len(pages) < 40 and pages.weight <= 30_000
    paths = [key[1] for key in _keys(pages)]
    assert "/stories/1?n=39" in paths and "/stories/1?n=0" not in paths  # the newest are kept
    app.extensions["waitline.engine"].dispose()


def test_a_failed_answer_is_not_kept(cached_app: Flask) -> None:
    client = cached_app.test_client()
    assert client.get("/stories/999999").status_code in (404, 410)
    kept = cached_app.extensions["waitline.caching"].pages
    assert all(key[1] != "/stories/999999?" for key in _keys(kept))
    assert client.get("/stories").status_code == 200
    assert any(key[1] == "/stories?" for key in _keys(kept))


def _keys(pages: object) -> list[tuple[int, str, str]]:
    return list(pages._entries)  # type: ignore[attr-defined]  # noqa: SLF001


def test_the_statistics_page_is_kept_and_revalidates_like_every_public_page(
        cached_app: Flask) -> None:
    client = cached_app.test_client()
    first = client.get("/stats")
    assert first.status_code == 200 and first.headers["ETag"]
    assert client.get("/stats").get_data() == first.get_data()
    revalidated = client.get("/stats", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
