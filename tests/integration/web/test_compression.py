"""Compressed answers when the app serves directly, and none for a page that holds a secret
(BREACH: a CSRF token, a receipt link, a moderator's page)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import brotli
import pytest
from flask import Flask

from testimonials.vocab import Status
from tests import builders
from tests.integration.security.security_helpers import Arranged, arrange, sign_in, strict_app

BR = {"Accept-Encoding": "br, gzip"}
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def strict(database_url: str) -> Iterator[Flask]:
    application = strict_app(database_url)
    yield application
    application.extensions["waitline.engine"].dispose()


@pytest.fixture
def things(strict: Flask) -> Arranged:
    arranged = arrange(strict)
    with strict.extensions["waitline.sessionmaker"]() as session:
        place = builders.facility(session, name="Fremont Clinic", city="Fremont")
        for _ in range(5):
            builders.submission(session, status=Status.APPROVED, place=place)
        session.commit()
    return arranged


def test_public_answers_come_compressed_with_brotli_or_gzip(strict: Flask,
                                                            things: Arranged) -> None:
    builders.release(strict)
    client = strict.test_client()
    for path in ("/stories", "/stories?q=months", "/", "/stats", "/stories.atom",
                 "/api/v1/stories", "/stats.csv", "/sitemap-pages.xml"):
        plain = client.get(path)
        assert "Content-Encoding" not in plain.headers, path
        squeezed = client.get(path, headers=BR)
        assert squeezed.headers["Content-Encoding"] == "br", path
        assert "Accept-Encoding" in squeezed.headers["Vary"], path
        assert brotli.decompress(squeezed.data) == plain.data, path
        zipped = client.get(path, headers=GZIP)
        assert zipped.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(zipped.data) == plain.data, path
        assert len(zipped.data) < len(plain.data), path


def test_pages_that_hold_a_secret_are_never_compressed(strict: Flask, things: Arranged) -> None:
    visitor = strict.test_client()
    staff = strict.test_client()
    sign_in(strict, staff)
    secret_pages = [(visitor, "/share"), (visitor, "/moderate/login"),
                    (visitor, f"/my/{things.token}"), (visitor, f"/my/{things.token}/edit"),
                    (staff, "/moderate/"), (staff, f"/moderate/{things.submission_id}"),
                    (staff, "/moderate/audit"), (staff, "/admin/settings")]
    for client, path in secret_pages:
        response = client.get(path, headers=BR)
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response.headers, path


def test_a_search_page_reflects_the_search_but_holds_no_secret(strict: Flask,
                                                               things: Arranged) -> None:
    response = strict.test_client().get("/stories?q=reflected-words", headers=BR)
    page = brotli.decompress(response.data).decode()
    assert "reflected-words" in page
    assert "csrf_token" not in page and "Set-Cookie" not in response.headers


def test_a_compressed_page_still_revalidates_with_its_etag(database_url: str) -> None:
    app = strict_app(database_url, PAGE_CACHE=True)
    client = app.test_client()
    first = client.get("/stories", headers=BR)
    etag = first.headers["ETag"]
    again = client.get("/stories", headers={**BR, "If-None-Match": etag})
    assert again.status_code == 304
    app.extensions["waitline.engine"].dispose()


def test_a_kept_page_is_compressed_once_per_algorithm_and_kept_beside_it(
        database_url: str) -> None:
    app = strict_app(database_url, PAGE_CACHE=True)
    client = app.test_client()
    pages = app.extensions["waitline.caching"].pages
    plain = client.get("/stories").data
    assert len(pages) == 1
    squeezed = client.get("/stories", headers=BR)
    assert len(pages) == 2  # the page, and its Brotli copy
    again = client.get("/stories", headers=BR)
    assert len(pages) == 2 and again.data == squeezed.data
    assert brotli.decompress(again.data) == plain
    assert again.headers["ETag"] == squeezed.headers["ETag"]
    zipped = client.get("/stories", headers=GZIP)
    assert len(pages) == 3 and gzip.decompress(zipped.data) == plain
    # An answer that is no kept page is compressed each time, and nothing of it is kept.
    assert client.get("/about/privacy", headers=BR).headers["Content-Encoding"] == "br"
    assert len(pages) == 3
    app.extensions["waitline.engine"].dispose()
