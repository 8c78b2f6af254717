"""The skeleton in a real browser: the home page at phone and desktop widths, both languages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_home_page_renders_without_errors(live_server, page_at, size: str) -> None:  # type: ignore[no-untyped-def]
    page = page_at(size)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(live_server.url + "/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).is_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, f"home-{size}")
    assert problems == []


def test_language_switch_turns_the_page_spanish(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Comparte tu historia").first.is_visible()
    page.goto(live_server.url + "/")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "es"
    screenshot(page, "home-phone-es")


def test_skip_link_is_first_and_reaches_main(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
