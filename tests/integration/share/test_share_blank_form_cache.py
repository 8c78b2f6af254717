"""The empty story form, kept whole per language and content version: each patient still gets
a CSRF token and a nonce of their own, and the page is the page as rendered afresh."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from share_helpers import STORY, TOKEN_IN_LOCATION, fresh
from testimonials import create_app, db
from testimonials.models import Facility, Submission
from tests import builders

ONE_TIME = re.compile(r'(name="(?:csrf_token|nonce)"[^>]*value=")[^"]*')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')


def page(app: Flask, language: str, path: str = "/share") -> str:
    body = app.test_client().get(path, headers={"Accept-Language": language})
    return ONE_TIME.sub(r"\1", body.get_data(as_text=True))


def keep_pages(app: Flask) -> None:
    app.config.update(PUBLIC_CACHE_SECONDS=60, PAGE_CACHE_RECHECK_SECONDS=0)
    app.extensions["waitline.page_cache"].recheck_seconds = 0


def test_kept_page_matches_a_fresh_rendering_and_follows_the_facilities(
        app: Flask, session: Session, place: Facility) -> None:
    fresh_pages = {language: page(app, language) for language in ("en", "es")}
    keep_pages(app)
    for language in ("en", "es"):
        assert page(app, language) == page(app, language) == fresh_pages[language]
    # A language chosen in the address is rendered as asked, not taken from the kept page.
    assert 'lang="es"' in page(app, "en", "/share?lang=es").split(">", 2)[1]
    builders.facility(session, name="Brand New Clinic", city="Oakland")
    session.commit()
    fresh(session)
    assert "Brand New Clinic" in page(app, "en")


@pytest.fixture
def guarded(database_url: str) -> Iterator[Flask]:
    """CSRF on, the blank page kept, no rate limit in the way."""
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True, "PUBLIC_CACHE_SECONDS": 60})
    with app.app_context():
        builders.facility(db.session())
        db.session().commit()
    yield app
    app.extensions["waitline.engine"].dispose()


def test_each_patient_gets_a_token_and_nonce_of_their_own_from_the_kept_page(
        guarded: Flask) -> None:
    clients = [guarded.test_client() for _ in range(3)]
    pages = [client.get("/share").get_data(as_text=True) for client in clients]
    nonces = {NONCE.search(body).group(1) for body in pages}  # type: ignore[union-attr]
    assert len(nonces) == 3 and not any("slot-" in body for body in pages)
    for number, (client, body) in enumerate(zip(clients, pages, strict=True)):
        csrf = CSRF.search(body)
        assert csrf is not None
        reply = client.post("/share", data={
            "csrf_token": csrf.group(1), "nonce": NONCE.search(body).group(1),  # type: ignore[union-attr]
            "story": f"{STORY} Number {number}.", "reporter": "patient", "consent_stats": "y"})
        assert reply.status_code == 303 and TOKEN_IN_LOCATION.search(reply.headers["Location"])
    # Another patient's token is refused: the kept page carries no one's token.
    stranger = guarded.test_client()
    stranger.get("/share")
    refused = stranger.post("/share", data={"csrf_token": CSRF.search(pages[0]).group(1),  # type: ignore[union-attr]
                                            "story": f"{STORY} Stranger.", "reporter": "patient",
                                            "consent_stats": "y"})
    assert refused.status_code == 400
    with guarded.app_context():
        assert db.session().scalar(select(func.count()).select_from(Submission)) == 3


def test_head_of_the_form_is_answered_like_get(guarded: Flask) -> None:
    response = guarded.test_client().head("/share")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
