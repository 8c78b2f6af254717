"""Every page the site serves is valid HTML by the Nu checker (0 errors), its headings go down
one level at a time, and nothing is marked aria-hidden that is already hidden.

One crawl (public pages in both languages and with filters, the share journey, the patient's
/my/ pages, the moderator and admin pages, error pages) saves each HTML answer to a folder;
one Java run of vnu.jar checks them all. Pages are the same on either database, so this runs
on SQLite only.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from testimonials.models import Submission, utcnow
from testimonials.services import audit
from testimonials.vocab import Language, Status, WaitKind, WaitState
from tests import builders, nu_checker
from tests.integration.security.security_helpers import (
    Arranged,
    arrange,
    csrf_of,
    sign_in,
    strict_app,
    urls_for,
)

EXTRA_PUBLIC = [
    "/stories?q=months", "/stories?q=nothing-matches-this", "/stories?care=individual",
    "/stories?lang=es", "/stories?q=months&lang=es", "/stats?lang=es", "/?lang=es",
    "/nowhere", "/stories/999999", "/stories?before=garbage", "/my/" + "x" * 43,
]
JOURNEY_STEPS = ["story", "consent", "where", "care", "wait-intake", "wait-first_return",
                 "wait-between_returns", "wait-psychiatry", "outcomes", "about"]


@dataclass
class Crawl:
    """The HTML pages seen: address -> body."""

    pages: dict[str, str] = field(default_factory=dict)

    def get(self, client: FlaskClient, url: str, label: str = "") -> None:
        response = client.get(url)
        try:
            if response.mimetype == "text/html" and response.status_code != 302:
                self.pages[f"{label}{url} ({response.status_code})"] = response.get_data(
                    as_text=True)
        finally:
            response.close()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory,
          sqlite_template: Path) -> Iterator[Crawl]:
    path = tmp_path_factory.mktemp("html") / "waitline.db"
    shutil.copyfile(sqlite_template, path)
    app = strict_app(f"sqlite:///{path}")
    things = arrange(app)
    _publish(app)
    builders.release(app)
    seen = Crawl()
    _walk(app, things, seen)
    yield seen
    app.extensions["waitline.engine"].dispose()


def _publish(app: Flask) -> None:
    """Approved stories in both languages, an edited one, and decisions in the audit log."""
    with app.extensions["waitline.sessionmaker"]() as session:
        place = builders.facility(session, name="Fremont Clinic", city="Fremont")
        for number in range(6):
            builders.submission(session, status=Status.APPROVED, place=place,
                                display_name="Ana" if number % 2 else None,
                                waits={WaitKind.INTAKE: (WaitState.ENDED, 20 + number)})
        builders.submission(session, status=Status.APPROVED, place=place,
                            language=Language.ES,
                            story="Esperé tres meses para una cita con mi terapeuta.")
        edited = builders.submission(session, status=Status.APPROVED, place=place,
                                     updated_at=builders.NOW + dt.timedelta(days=2))
        gone = builders.submission(session, status=Status.APPROVED, place=place)
        gone.published_at = None  # taken down: its address answers 410
        now = utcnow()
        audit.record(session, now, None, "approve", submission_id=edited.id,
                     reason="Clear and kind.", actor_label="test")
        audit.record(session, now, None, "edit_public", submission_id=edited.id,
                     before={"public_title": "a"}, after={"public_title": "b"},
                     actor_label="test")
        session.commit()


def _walk(app: Flask, things: Arranged, seen: Crawl) -> None:
    visitor = app.test_client()
    admin = app.test_client()
    sign_in(app, admin)
    rules = [rule for rule in app.url_map.iter_rules()
             if "GET" in (rule.methods or ()) and rule.endpoint != "static"]
    for rule in rules:
        for url in urls_for(rule, things):
            seen.get(visitor, url)
            seen.get(visitor, url + ("&" if "?" in url else "?") + "lang=es")
            if rule.rule.startswith(("/moderate", "/admin")):
                seen.get(admin, url, "admin ")
                seen.get(admin, url + "?lang=es", "admin ")
    for url in EXTRA_PUBLIC:
        seen.get(visitor, url)
    with app.extensions["waitline.sessionmaker"]() as session:
        gone_id = session.scalar(select(Submission.id).where(
            Submission.first_published_at.is_not(None), Submission.published_at.is_(None)))
    seen.get(visitor, f"/stories/{gone_id}")
    seen.get(visitor, f"/stories/{gone_id}?lang=es")
    _walk_journey(app, seen)


def _walk_journey(app: Flask, seen: Crawl) -> None:
    patient = app.test_client()
    token = csrf_of(patient.get("/share").get_data(as_text=True))
    response = patient.post("/share/start", data={"csrf_token": token})
    assert response.status_code == 303, response.status_code
    for step in JOURNEY_STEPS:
        seen.get(patient, f"/share/{step}", "journey ")
    # A page sent back with errors shows its error summary and keeps what was typed.
    token = csrf_of(patient.get("/share/story").get_data(as_text=True))
    response = patient.post("/share/story", data={"csrf_token": token, "story": "short"})
    if response.mimetype == "text/html":
        seen.pages["journey /share/story (errors)"] = response.get_data(as_text=True)
    seen.get(patient, "/share/check", "journey ")


def test_the_crawl_reaches_every_kind_of_page(crawl: Crawl) -> None:
    names = " ".join(crawl.pages)
    for expected in ("/stories (200)", "/stories?lang=es (200)", "/stats (200)",
                     "/stats/releases/1 (200)", "/about/privacy (200)", "admin /moderate/ (200)",
                     "admin /moderate/audit (200)", "admin /admin/settings (200)",
                     "/nowhere (404)", "/stories?before=garbage (400)", "journey /share/story",
                     "(410)",
                     "/moderate/login (200)"):
        assert expected in names, expected
    assert any(re.match(r"admin /moderate/\d+ \(200\)", name) for name in crawl.pages)
    assert any(re.match(r"/my/[\w-]{43} \(200\)", name) for name in crawl.pages)
    assert len(crawl.pages) >= 60


def test_every_page_is_valid_html(crawl: Crawl, tmp_path: Path) -> None:
    names = {}
    for number, (address, body) in enumerate(sorted(crawl.pages.items())):
        name = f"page{number:04d}.html"
        (tmp_path / name).write_text(body, encoding="utf-8")
        names[name] = address
    problems = nu_checker.check_folder(tmp_path, names)
    assert not problems, "\n".join(str(problem) for problem in problems[:40])


class _Outline(HTMLParser):
    """Heading levels in order, and elements both hidden and aria-hidden."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.doubly_hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if "hidden" in names and "aria-hidden" in names:
            self.doubly_hidden.append(self.get_starttag_text() or tag)


def test_headings_never_skip_a_level(crawl: Crawl) -> None:
    skipped = []
    for address, body in crawl.pages.items():
        outline = _Outline()
        outline.feed(body)
        # An error summary's h2 may come before the page's h1 (the GOV.UK pattern): no skip.
        levels = [1, *outline.levels]
        skipped += [f"{address}: h{before} then h{after}"
                    for before, after in itertools.pairwise(levels) if after > before + 1]
    assert not skipped, "\n".join(skipped[:20])


def test_nothing_hidden_is_also_aria_hidden(crawl: Crawl) -> None:
    found = []
    for address, body in crawl.pages.items():
        outline = _Outline()
        outline.feed(body)
        found += [f"{address}: {tag}" for tag in outline.doubly_hidden]
    assert not found, "\n".join(found[:20])
