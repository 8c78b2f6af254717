"""The Atom feed by the rules the W3C feed validator applies (its package is not on PyPI for
Python 3, so its rules are written here): one id per entry and feed, `updated` on the feed and
on every entry, a self link equal to the address fetched, alternate links to HTML pages, an
author, RFC 3339 dates; and what the issue found: an edit moves `updated`, the id does not
follow the request's host, the Spanish feed's self link is its own address."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Account, Submission
from testimonials.services import accounts, moderation
from testimonials.vocab import Role, Status
from tests import builders

A = "{http://www.w3.org/2005/Atom}"
SITE = "http://localhost"  # SITE_URL under test
# RFC 3339 date-time (section 5.6), as Atom's Date construct requires.
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def feed_problems(body: bytes, fetched: str) -> list[str]:
    """What the feed validator would report as errors or warnings, in plain words."""
    problems: list[str] = []
    root = ET.fromstring(body)
    if root.tag != f"{A}feed":
        return ["not an Atom feed"]
    ids = [root.findtext(f"{A}id")]

    def check_dates(element: ET.Element, where: str) -> None:
        for tag in ("updated", "published"):
            for date in element.findall(f"{A}{tag}"):
                if not RFC3339.match(date.text or ""):
                    problems.append(f"{where}: {tag} {date.text!r} is not RFC 3339")

    for required in ("id", "title", "updated"):
        if len(root.findall(f"{A}{required}")) != 1:
            problems.append(f"feed: needs exactly one {required}")
    selfs = [link.get("href") for link in root.findall(f"{A}link[@rel='self']")]
    if selfs != [fetched]:
        problems.append(f"feed: self link {selfs} is not the address fetched, {fetched}")
    if root.find(f"{A}link[@rel='alternate'][@type='text/html']") is None:
        problems.append("feed: no alternate link to an HTML page")
    check_dates(root, "feed")
    feed_has_author = root.find(f"{A}author/{A}name") is not None
    entry_updates = []
    for number, entry in enumerate(root.findall(f"{A}entry")):
        where = f"entry {number}"
        for required in ("id", "title", "updated"):
            if len(entry.findall(f"{A}{required}")) != 1:
                problems.append(f"{where}: needs exactly one {required}")
        ids.append(entry.findtext(f"{A}id"))
        if not feed_has_author and entry.find(f"{A}author/{A}name") is None:
            problems.append(f"{where}: no author")
        if entry.find(f"{A}link[@rel='alternate']") is None and entry.find(f"{A}content") is None:
            problems.append(f"{where}: neither an alternate link nor content")
        check_dates(entry, where)
        entry_updates.append(entry.findtext(f"{A}updated") or "")
    if len(set(ids)) != len(ids):
        problems.append("ids are not unique")
    if any(not (value or "").startswith(("http://", "https://", "tag:", "urn:"))
           for value in ids):
        problems.append("an id is not an IRI")
    if entry_updates and (root.findtext(f"{A}updated") or "") < max(entry_updates):
        problems.append("the feed's updated is older than an entry's")
    return problems


def _stories(session: Session, count: int = 3) -> list[int]:
    place = builders.facility(session)
    made = [builders.submission(session, status=Status.APPROVED, place=place,
                                published_at=builders.NOW + dt.timedelta(hours=number))
            for number in range(count)]
    session.commit()
    return [story.id for story in made]


def test_the_english_and_spanish_feeds_pass_the_validators_rules(client: FlaskClient,
                                                                 session: Session) -> None:
    _stories(session)
    for path in ("/stories.atom", "/stories.atom?lang=es", "/stories.atom?lang=en",
                 "/stories.atom?care=individual", "/stories.atom?care=individual&lang=es"):
        response = client.get(path)
        assert response.status_code == 200
        assert feed_problems(response.data, SITE + path) == [], path


def test_an_empty_feed_passes_the_validators_rules(client: FlaskClient) -> None:
    assert feed_problems(client.get("/stories.atom").data, f"{SITE}/stories.atom") == []


def test_the_spanish_feed_links_to_itself_and_the_spanish_page(client: FlaskClient,
                                                               session: Session) -> None:
    _stories(session, 1)
    root = ET.fromstring(client.get("/stories.atom?lang=es").data)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert root.find(f"{A}link[@rel='self']").get("href") == f"{SITE}/stories.atom?lang=es"  # type: ignore[union-attr]
    assert root.find(f"{A}link[@rel='alternate']").get("href") == f"{SITE}/stories?lang=es"  # type: ignore[union-attr]


def test_the_feed_id_names_its_language_and_never_the_requests_host(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "SITE_URL": "https://waitline.example.org",
                      "TRUSTED_HOSTS": ["localhost", "mirror.example"]})
    with app.extensions["waitline.sessionmaker"]() as session:
        _stories(session, 1)
    ids = set()
    for host in ("waitline.example.org", "localhost", "mirror.example"):
        response = app.test_client().get("/stories.atom", base_url=f"http://{host}")
        ids.add(ET.fromstring(response.data).findtext(f"{A}id"))
    assert ids == {"https://waitline.example.org/stories.atom?lang=en"}
    spanish = ET.fromstring(app.test_client().get("/stories.atom?lang=es").data)
    assert spanish.findtext(f"{A}id") == "https://waitline.example.org/stories.atom?lang=es"
    app.extensions["waitline.engine"].dispose()


def test_an_edited_story_gets_a_new_updated(app: Flask, client: FlaskClient,
                                            session: Session) -> None:
    (first, edited) = _stories(session, 2)
    moderator = accounts.create_account(session, "editor@example.org", "a long password here",
                                        Role.MODERATOR, builders.NOW)
    session.commit()

    def updates() -> dict[str, str]:
        root = ET.fromstring(client.get("/stories.atom").data)
        found = {entry.findtext(f"{A}id") or "": entry.findtext(f"{A}updated") or ""
                 for entry in root.findall(f"{A}entry")}
        return {**found, "feed": root.findtext(f"{A}updated") or ""}

    before = updates()
    later = builders.NOW + dt.timedelta(days=3)
    story = session.get(Submission, edited)
    assert story is not None
    moderation.edit_public(session, story, session.get(Account, moderator.id), later,  # type: ignore[arg-type]
                           version=story.version, title="A new title",
                           story="The moderator took a name out of this story.")
    session.commit()
    after = updates()
    assert after[f"{SITE}/stories/{edited}"] == "2026-11-04T12:00:00Z"
    assert after[f"{SITE}/stories/{edited}"] > before[f"{SITE}/stories/{edited}"]
    assert after[f"{SITE}/stories/{first}"] == before[f"{SITE}/stories/{first}"]
    assert after["feed"] == "2026-11-04T12:00:00Z"
