"""The statistics page in a real browser: readable on a phone, filters that work, both languages."""

from __future__ import annotations

import pytest

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
    assert charts.count() >= 5
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
    region = page.get_by_label("Region", exact=True)
    region.select_option(index=1)
    chosen = region.evaluate("select => select.options[select.selectedIndex].text")
    page.get_by_label("Care type", exact=True).select_option("group")
    page.get_by_role("button", name="Show statistics").click()
    assert "region=" in page.url and "care=group" in page.url
    assert page.get_by_text(f"Showing: {chosen} · Group therapy").is_visible()
    assert page.get_by_role("link", name="CSV file").get_attribute("href").startswith("/stats.csv?")
    screenshot(page, "stats-filtered-desktop")


def test_stats_page_speaks_spanish(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone", locale="es-MX")
    page.goto(live_server.url + "/stats")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1, name="Estadísticas de tiempos de espera").is_visible()
    assert page.get_by_role("heading", name="Cómo se calculan estas cifras").is_visible()
    screenshot(page, "stats-phone-es")


def test_wide_tables_can_be_scrolled_from_the_keyboard(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone")
    page.goto(live_server.url + "/stats")
    region = page.locator(".table-scroll").first
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    assert region.get_attribute("aria-label")
