"""The public site in a real browser: the three-tap journey on a phone, the pages at phone and
desktop widths in both languages, and the print style of a story."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from testimonials import db
from testimonials.models import Facility, Submission
from testimonials.vocab import CareType
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.browser


def busiest_group_clinic(live_server) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A clinic with published stories about group therapy (the visitor's own, say)."""
    with live_server.app.app_context():
        row = db.session().execute(
            select(Facility.id, Facility.name, func.count())
            .join(Submission, Submission.facility_id == Facility.id)
            .where(Submission.published_at.is_not(None),
                   Submission.care_types.bitwise_and(int(CareType.GROUP)) != 0)
            .group_by(Facility.id, Facility.name).order_by(func.count().desc()).limit(1)
        ).first()
    assert row is not None
    return row[0], row[1]


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A touch phone, 360 px wide."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_group_therapy_at_one_clinic_in_three_taps_on_a_phone(live_server, phone) -> None:  # type: ignore[no-untyped-def]
    facility_id, name = busiest_group_clinic(live_server)
    page = phone
    taps = 0

    def tap(locator) -> None:  # type: ignore[no-untyped-def]
        nonlocal taps
        locator.scroll_into_view_if_needed()
        box = locator.bounding_box()
        assert box and box["height"] >= 44, f"tap target under 44px: {box}"
        locator.tap()
        taps += 1

    page.goto(live_server.url + "/")
    tap(page.get_by_role("link", name="Group therapy", exact=True))
    page.wait_for_url(re.compile(r"/stories\?care=group$"))
    tap(page.locator("summary", has_text="Clinic"))
    tap(page.get_by_role("link", name=re.compile(re.escape(name))).first)
    page.wait_for_url(re.compile(rf"care=group.*facility={facility_id}|facility={facility_id}.*care=group"))
    assert taps == 3
    cards = page.locator(".story-list > li")
    assert cards.count() > 0
    for meta in cards.locator(".story-meta").all_inner_texts():
        assert name in meta
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "public-three-taps-phone")


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("locale", ["en-US", "es-MX"])
def test_public_pages_fit_the_screen_without_errors(live_server, page_at, size: str,  # type: ignore[no-untyped-def]
                                                    locale: str) -> None:
    page = page_at(size, locale=locale)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/stories")
    story_href = page.locator(".story-list .story-card-title a").first.get_attribute("href")
    language = locale[:2]
    for name, path in (("home", "/"), ("stories", "/stories?care=group"),
                       ("story", story_href), ("missing", "/stories/999999")):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_role("heading", level=1).is_visible()
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, path)
        screenshot(page, f"public-{name}-{size}-{language}")
    # The browser reports the missing page's own 404 status; nothing else may fail.
    assert [p for p in problems if "status of 404" not in p] == []


def test_focus_is_visible_on_the_filters(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.goto(live_server.url + "/stories")
    chip = page.get_by_role("link", name="Group therapy", exact=True)
    chip.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert outline == "rgb(255, 191, 71)"  # the focus colour, not the resting one


def test_a_story_prints_without_the_site_around_it(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.goto(live_server.url + "/stories")
    page.locator(".story-list .story-card-title a").first.click()
    # The button is added by the deferred story.js: wait for it rather than look once.
    expect(page.get_by_role("button", name="Print this story")).to_be_visible()
    page.emulate_media(media="print")
    assert page.locator(".site-footer").is_hidden()
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".story-text").is_visible()
    assert page.locator(".print-only").is_visible()
    screenshot(page, "public-story-print")
