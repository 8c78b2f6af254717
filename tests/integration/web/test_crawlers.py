"""What search engines and browsers look for: robots.txt, sitemap.xml, noindex on search
results, the icons, and a canonical address with its language versions on every public page."""

from __future__ import annotations

import datetime as dt
import html
import re
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.public import sitemap
from testimonials.vocab import Status
from tests import builders

SITE = "http://localhost"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def test_robots_txt_keeps_crawlers_out_of_private_and_staff_pages(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    for private in ("/my/", "/moderate/", "/admin/", "/share/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /" not in lines  # the public site stays open
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_search_results_and_later_pages_are_noindex(client: FlaskClient,
                                                   session: Session) -> None:
    builders.submission(session, status=Status.APPROVED, place=builders.facility(session))
    session.commit()
    plain = client.get("/stories")
    assert "X-Robots-Tag" not in plain.headers
    assert 'name="robots"' not in plain.get_data(as_text=True)
    for path in ("/stories?q=months", "/stories?q=months&care=individual"):
        response = client.get(path)
        assert response.headers["X-Robots-Tag"] == "noindex, follow", path
        assert '<meta name="robots" content="noindex, follow">' in response.get_data(
            as_text=True), path


def _published(session: Session, count: int) -> list[int]:
    place = builders.facility(session)
    made = [builders.submission(session, status=Status.APPROVED, place=place,
                                published_at=builders.NOW + dt.timedelta(hours=number))
            for number in range(count)]
    builders.submission(session, status=Status.PENDING, place=place)
    session.commit()
    return [row.id for row in made]


def _locations(body: bytes, tag: str) -> dict[str, str | None]:
    root = ET.fromstring(body)
    return {element.findtext(f"{S}loc") or "": element.findtext(f"{S}lastmod")
            for element in root.findall(f"{S}{tag}")}


def test_the_sitemap_lists_pages_releases_and_every_published_story(
        app: Flask, client: FlaskClient, session: Session) -> None:
    published = _published(session, 3)
    number = builders.release(app)
    files = _locations(client.get("/sitemap.xml").data, "sitemap")
    assert set(files) == {f"{SITE}/sitemap-pages.xml", f"{SITE}/sitemap-stories-1.xml"}
    pages = _locations(client.get("/sitemap-pages.xml").data, "url")
    for path in ("/", "/stories", "/stats", "/stats/releases", f"/stats/releases/{number}",
                 "/share", "/about/privacy"):
        assert SITE + path in pages, path
    assert pages[f"{SITE}/stats/releases/{number}"] is not None
    stories = _locations(client.get("/sitemap-stories-1.xml").data, "url")
    assert stories == {f"{SITE}/stories/{story_id}": f"2026-11-01T{12 + hour}:00:00Z"
                       for hour, story_id in enumerate(published)}
    response = client.get("/sitemap-stories-1.xml")
    assert response.mimetype == "application/xml"
    assert client.get("/sitemap-stories-2.xml").status_code == 404


def test_a_large_sitemap_is_split_into_files(client: FlaskClient, session: Session,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    published = _published(session, 5)
    monkeypatch.setattr(sitemap, "PER_FILE", 2)
    files = _locations(client.get("/sitemap.xml").data, "sitemap")
    assert sorted(files)[1:] == [f"{SITE}/sitemap-stories-{n}.xml" for n in (1, 2, 3)]
    seen = []
    for n in (1, 2, 3):
        seen += list(_locations(client.get(f"/sitemap-stories-{n}.xml").data, "url"))
    assert seen == [f"{SITE}/stories/{story_id}" for story_id in published]
    assert client.get("/sitemap-stories-4.xml").status_code == 404


def test_an_edited_story_has_a_new_lastmod(client: FlaskClient, session: Session) -> None:
    (story_id,) = _published(session, 1)
    story = session.get(builders.Submission, story_id)
    assert story is not None
    story.moderated_at = builders.NOW + dt.timedelta(days=5)
    session.commit()
    stories = _locations(client.get("/sitemap-stories-1.xml").data, "url")
    assert stories[f"{SITE}/stories/{story_id}"] == "2026-11-06T12:00:00Z"


def test_icons_answer_where_browsers_and_phones_look(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200 and touch.data[:8] == b"\x89PNG\r\n\x1a\n"
    icon.close()
    touch.close()
    page = client.get("/about/privacy").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.[0-9a-f.]*ico[^"]*" '
                     r'sizes="48x48">', page)
    assert re.search(r'<link rel="icon" href="[^"]+svg[^"]*" type="image/svg\+xml">', page)
    assert re.search(r'<link rel="apple-touch-icon" href="[^"]+apple-touch-icon[^"]+">', page)


PUBLIC = ["/", "/stories", "/stories?care=individual", "/stats", "/stats/releases",
          "/about/privacy", "/share", "/stories/{story}"]


def test_every_public_page_names_its_canonical_address_and_language_versions(
        app: Flask, client: FlaskClient, session: Session) -> None:
    (story,) = _published(session, 1)
    builders.release(app)
    for template in PUBLIC:
        path = template.format(story=story)
        for asked, canonical_lang in (("", None), ("lang=es", "es"), ("lang=en", "en")):
            url = path + (("&" if "?" in path else "?") + asked if asked else "")
            page = html.unescape(client.get(url).get_data(as_text=True))
            bare = SITE + path
            with_lang = bare + ("&" if "?" in path else "?") + "lang="
            assert CANONICAL.findall(page) == [
                with_lang + canonical_lang if canonical_lang else bare], url
            assert ALTERNATE.findall(page) == [("en", with_lang + "en"), ("es", with_lang + "es"),
                                               ("x-default", bare)], url


def test_private_staff_and_error_pages_have_no_canonical_address(client: FlaskClient) -> None:
    for path in ("/moderate/login", "/nowhere", "/stories/999999"):
        page = client.get(path).get_data(as_text=True)
        assert not CANONICAL.search(page) and not ALTERNATE.search(page), path
