"""The report for officials and press in a real browser: whole on a phone, no serious axe
finding, and printed by Chromium ("Save as PDF") into a tidy page set, A4 and Letter."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from testimonials.models import Account, Submission, utcnow
from testimonials.services import report_picks
from testimonials.stats.place_report import Place
from testimonials.vocab import Role, Status
from tests.browser import axe_check
from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser
SERIOUS = ("serious", "critical")


def _busiest_facility(app) -> int:  # type: ignore[no-untyped-def]
    with app.extensions["waitline.sessionmaker"]() as session:
        return session.execute(
            select(Submission.facility_id).where(Submission.status == Status.APPROVED,
                                                 Submission.facility_id.is_not(None))
            .group_by(Submission.facility_id).order_by(func.count().desc()).limit(1)).scalar_one()


@pytest.fixture(scope="module")
def facility_id(live_server) -> int:  # type: ignore[no-untyped-def]
    """The facility with most stories, with three shared stories picked for its report and
    the site's."""
    app = live_server.app
    found = _busiest_facility(app)
    with app.extensions["waitline.sessionmaker"]() as session:
        picker = session.scalar(select(Account).where(Account.role == Role.MODERATOR)) \
            or Account(email="picker@example.org", role=Role.MODERATOR, password_hash="x",
                       active=True)
        session.add(picker)
        session.flush()
        for place in (Place("facility", found), Place("site")):
            for story in report_picks.candidates(session, place)[:3]:
                report_picks.pick(session, place, story.submission_id, picker, utcnow())
        session.commit()
    return found


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("place", ["site", "facility"])
def test_the_report_is_whole_at_every_width(live_server, page_at, facility_id,  # type: ignore[no-untyped-def]
                                            size: str, place: str) -> None:
    page = page_at(size)
    query = "" if place == "site" else f"?facility={facility_id}"
    response = page.goto(f"{live_server.url}/stats/report{query}")
    assert response is not None and response.status == 200
    # Nothing cut off: the page never scrolls sideways, and no figure is wider than the screen.
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '.key-figures tr, .key-figures td, .within, .story, .headline')].map(e => e.getBoundingClientRect().right))""")  # noqa: E501
    assert widest <= width
    assert page.locator(".story").count() == 3
    screenshot(page, f"report-{place}-{size}")
    serious = [(v["id"], v["help"]) for v in axe_check.violations(page)
               if v["impact"] in SERIOUS]
    assert serious == []


def test_the_report_speaks_spanish_on_a_phone(live_server, page_at, facility_id) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone", locale="es-MX")
    page.goto(f"{live_server.url}/stats/report?facility={facility_id}")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_text("Informe para autoridades y prensa").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "report-facility-phone-es")


@pytest.mark.parametrize("place", ["site", "facility"])
def test_the_report_prints_as_a_tidy_page_set(live_server, page_at, facility_id,  # type: ignore[no-untyped-def]
                                              place: str) -> None:
    page = page_at("desktop")
    query = "" if place == "site" else f"?facility={facility_id}"
    page.goto(f"{live_server.url}/stats/report{query}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counts = {}
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        (ARTIFACTS / f"report-{place}-{paper}.pdf").write_bytes(pdf)
        counts[paper] = _pages(pdf)
        assert 1 <= counts[paper] <= 4, counts
    (ARTIFACTS / f"report-{place}-pages.txt").write_text(repr(counts))
    page.emulate_media(media="print")
    # The screen's bar and the print command hint are not printed; the figures are.
    assert not page.locator(".report-bar").is_visible()
    assert page.locator(".key-figures").is_visible() or page.locator(".hidden-line").count()
    screenshot(page, f"report-{place}-print")


def test_the_release_page_links_to_its_report(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.goto(live_server.url + "/stats")
    link = page.get_by_role("link", name="A printable report of this place for officials and press")
    link.click()
    assert re.search(r"/stats/releases/\d+/report$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "All places"


