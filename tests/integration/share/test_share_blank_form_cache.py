"""The empty story form's fields, kept per language and content version, are the fields as rendered."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy.orm import Session

from share_helpers import fresh
from testimonials.models import Facility
from tests import builders

ONE_TIME = re.compile(r'(name="(?:csrf_token|nonce)"[^>]*value=")[^"]*')


def page(app: Flask, language: str) -> str:
    body = app.test_client().get("/share", headers={"Accept-Language": language})
    return ONE_TIME.sub(r"\1", body.get_data(as_text=True))


def test_kept_fields_match_a_fresh_rendering_and_follow_the_facilities(
        app: Flask, session: Session, place: Facility) -> None:
    fresh_pages = {language: page(app, language) for language in ("en", "es")}
    app.config.update(PUBLIC_CACHE_SECONDS=60, PAGE_CACHE_RECHECK_SECONDS=0)
    app.extensions["waitline.page_cache"].recheck_seconds = 0
    for language in ("en", "es"):
        assert page(app, language) == page(app, language) == fresh_pages[language]
    builders.facility(session, name="Brand New Clinic", city="Oakland")
    session.commit()
    fresh(session)
    assert "Brand New Clinic" in page(app, "en")
