"""The statistics page in a real browser: readable on a phone, filters that work, both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import axe_check
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def errors_of(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_stats_page_is_readable_at_every_width(live_server, page_at, size: str) -> None:  # type: ignore[no-untyped-def]
    page = page_at(size)
    problems = errors_of(page)
    response = page.goto(live_server.url + "/stats")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1, name="Wait-time statistics").is_visible()
    # Charts and wide tables scroll inside their own boxes; the page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    charts = page.locator("svg[role=img]")
    # The 200-person demo draws 4 or more: a wait histogram whose withheld small bands are not
    # side by side has no chart (its table marks them), since no bar could be drawn truly.
    assert charts.count() >= 4
    names = page.evaluate("""() => [...document.querySelectorAll('svg[role=img]')].map(svg =>
        svg.getAttribute('aria-labelledby').split(' ')
           .map(id => document.getElementById(id)?.textContent || '').join(' ').trim())""")
    assert all(len(name) > 20 for name in names)
    assert page.locator("table caption").count() == page.locator("table").count()
    screenshot(page, f"stats-{size}")
    assert problems == []


def test_filters_narrow_the_statistics(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.goto(live_server.url + "/stats")
    page.get_by_text("Show a region, a facility or a care type").click()
    region = page.get_by_label("Region", exact=True)
    region.select_option(index=1)
    chosen = region.evaluate("select => select.options[select.selectedIndex].text")
    page.get_by_label("Care type", exact=True).select_option("group")
    page.get_by_role("button", name="Show statistics").click()
    assert "region=" in page.url and "care=group" in page.url
    # The address changes when the navigation commits, before the new page is drawn: wait for
    # the label instead of looking once (this raced, and failed, on a loaded machine).
    expect(page.get_by_text(f"Showing: {chosen} · Group therapy")).to_be_visible()
    assert page.get_by_role("link", name="CSV file").get_attribute("href").startswith("/stats.csv?")
    screenshot(page, "stats-filtered-desktop")


def test_stats_page_speaks_spanish(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone", locale="es-MX")
    page.goto(live_server.url + "/stats")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1,
                            name="Estadísticas de tiempos de espera").is_visible()
    assert page.get_by_role("heading", name="Cómo se calculan estas cifras").is_visible()
    screenshot(page, "stats-phone-es")


def test_wide_tables_can_be_scrolled_from_the_keyboard(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone")
    page.goto(live_server.url + "/stats")
    page.locator("details.numbers > summary").first.click()  # a chart's numbers, folded
    region = page.locator("details.numbers .table-scroll").first
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    assert region.get_attribute("aria-label")


OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => d.open = true)"
# Anything drawn beyond the viewport's right edge (the page itself never scrolls sideways).
CUT_OFF = """() => [
  ...document.querySelectorAll('main svg, main h1, main h2, main h3, main p, main li')]
  .filter(el => el.closest('.table-scroll') === null)
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(el => el.tagName + ':' + (el.textContent || '').trim().slice(0, 40))"""


@pytest.mark.parametrize(("path", "locale"), [("/stats", "en-US"), ("/stats", "es-MX"),
                                              ("/stats?care=group", "en-US")])
def test_the_release_page_on_a_small_phone_leads_with_findings_cuts_nothing_and_passes_axe(  # type: ignore[no-untyped-def]
        live_server, browser, path: str, locale: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale=locale,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = errors_of(page)
    page.goto(live_server.url + path)
    first = page.locator(".headlines li").first
    assert first.is_visible() and first.bounding_box()["y"] < 740  # a finding on the first screen
    page.evaluate(OPEN_ALL)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(CUT_OFF) == []
    # Tables too wide for the phone scroll in their own box, which says so and takes the keyboard.
    for box in page.locator(".table-scroll").all():
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
    found = axe_check.violations(page)
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
    screenshot(page, f"stats-360-{locale}-{path.count('=')}")
    context.close()
    assert problems == []
