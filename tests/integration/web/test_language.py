"""Languages: `?lang=` remembered only by pages, `Content-Language` on every answer written in
a language, and a story's own language beside the interface's it was sent from."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.vocab import Status
from tests import builders

NOT_PAGES = ["/api/v1/stories", "/api/v1/stats", "/api/openapi.json", "/stats.csv",
             "/stats.json", "/stats/releases/1.csv", "/stats/releases/1.json", "/stories.atom",
             "/healthz", "/static/css/site.css"]


def test_lang_on_an_api_csv_json_or_feed_address_sets_no_cookie(app: Flask, client: FlaskClient,
                                                                 session: Session) -> None:
    builders.submission(session, status=Status.APPROVED, place=builders.facility(session))
    session.commit()
    builders.release(app)
    for path in NOT_PAGES:
        response = client.get(f"{path}?lang=es")
        response.close()
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
    assert "lang=es" in client.get("/stories?lang=es").headers["Set-Cookie"]


def test_every_answer_in_a_language_says_which(client: FlaskClient, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED, place=builders.facility(session))
    session.commit()
    assert client.get("/stories").headers["Content-Language"] == "en"
    assert client.get("/stories?lang=es").headers["Content-Language"] == "es"
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    assert client.get("/stories.atom", headers=spanish).headers["Content-Language"] == "es"
    assert client.get("/nowhere", headers=spanish).headers["Content-Language"] == "es"
    assert client.get("/share", headers=spanish).headers["Content-Language"] == "es"
    # English by design, whatever the reader's language: no claim to be in theirs.
    assert "Content-Language" not in client.get("/api/v1/stories", headers=spanish).headers
