"""A patient's journey in a real browser: the form at phone and desktop widths, errors, the
receipt, the private page, the complaint summary and withdrawal (CSRF on, as in production)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

STORY = ("I asked for therapy in March and waited <3 months & cried while waiting. "
         "The clinic kept saying there were no openings with any therapist.")


def watch_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_form_shows_errors_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
        live_server, page_at, size: str) -> None:
    page = page_at(size)
    problems = watch_errors(page)
    response = page.goto(live_server.url + "/share")
    assert response is not None and response.status == 200
    assert fits_the_screen(page)
    screenshot(page, f"share-form-{size}")

    page.get_by_label("Tell us what happened").fill("Too short <b>really</b>")
    page.locator("#intake-state-1").check()  # still waiting, but no time so far
    page.get_by_role("button", name="Send my story").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert "Enter how long you have been waiting so far." in summary.inner_text()
    assert page.get_by_label("Tell us what happened").input_value() == "Too short <b>really</b>"
    assert page.locator("#intake-state-1").is_checked()
    assert fits_the_screen(page)
    screenshot(page, f"share-form-errors-{size}")
    summary.get_by_role("link", name=re.compile("at least 50 characters")).click()
    assert page.evaluate("document.activeElement.id") == "story"
    assert problems == []


def test_patient_shares_checks_and_withdraws(  # type: ignore[no-untyped-def]
        live_server, page_at) -> None:
    page = page_at("phone")
    problems = watch_errors(page)
    page.goto(live_server.url + "/share")
    page.get_by_label("Tell us what happened").fill(STORY + " I thought about suicide.")
    page.get_by_label("I am the patient", exact=True).check()
    page.locator("#facility").select_option(index=1)
    page.get_by_label("Individual therapy").check()
    page.locator("#intake-state-0").check()
    page.locator("#intake-amount").fill("3")
    page.locator("#intake-unit").select_option("months")
    page.locator("#first_return-state-1").check()
    page.locator("#first_return-amount").fill("6")
    page.locator("#first_return-unit").select_option("weeks")
    page.get_by_role("textbox", name="Month").fill("3")
    page.get_by_role("textbox", name="Year").fill("2025")
    page.get_by_label("Count my answers in the anonymous statistics").check()
    page.get_by_role("button", name="Send my story").click()

    expect(page.get_by_role("heading", name="Thank you for your story")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()  # crisis language
    link = page.locator("#private-link").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/my/[A-Za-z0-9_-]{43}", link)
    assert fits_the_screen(page)
    screenshot(page, "share-receipt-phone")

    page.goto(link)
    expect(page.get_by_text("Waiting for a moderator")).to_be_visible()
    expect(page.get_by_text("waited <3 months & cried", exact=False)).to_be_visible()
    screenshot(page, "share-status-phone")

    page.get_by_role("link", name="Tell us that a wait has ended").click()
    page.locator("#first_return-amount").fill("2")
    page.locator("#first_return-unit").select_option("months")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The statistics will count your wait as ended from their next release.")).to_be_visible()

    page.get_by_role("link", name=re.compile("Print a summary")).click()
    expect(page.get_by_role("heading", name=re.compile("summary for a complaint"))).to_be_visible()
    expect(page.get_by_text("1-888-466-2219").first).to_be_visible()
    screenshot(page, "share-complaint-phone")
    page.get_by_role("link", name="Back to your story").click()

    page.get_by_role("link", name=re.compile("Take your story back")).click()
    page.get_by_role("button", name="Withdraw and erase my story").click()
    expect(page.get_by_text("Withdrawn and erased")).to_be_visible()
    expect(page.get_by_text("waited <3 months", exact=False)).to_have_count(0)
    assert problems == []


def test_spanish_form_and_receipt(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone", locale="es-MX")
    page.goto(live_server.url + "/share")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label("Cuéntanos qué pasó").fill(
        "Esperé casi cuatro meses para mi primera cita de terapia y nadie me llamó. 😔 ñandú")
    page.get_by_label("Soy el/la paciente").check()
    page.get_by_label("Publicar mi historia en este sitio").check()
    page.get_by_role("button", name="Enviar mi historia").click()
    expect(page.get_by_role("heading", name="Gracias por tu historia")).to_be_visible()
    screenshot(page, "share-receipt-phone-es")
    page.get_by_role("link", name="Ver tu historia ahora").click()
    expect(page.get_by_text("😔 ñandú", exact=False)).to_be_visible()


UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(el => el.type !== 'hidden' && !el.closest('[aria-hidden="true"]'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name)"""
SMALL_TARGETS = """() => [...document.querySelectorAll('main .choice')]
  .filter(el => el.getBoundingClientRect().height < 44).length"""


def test_every_control_has_a_label_and_a_big_target(  # type: ignore[no-untyped-def]
        live_server, page_at) -> None:
    page = page_at("phone")
    page.goto(live_server.url + "/share")
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(SMALL_TARGETS) == 0
    assert page.locator("fieldset legend").count() >= 8  # every group of choices is named
    # The honeypot is out of reach for keyboards and screen readers.
    trap = page.locator("#website")
    assert trap.get_attribute("tabindex") == "-1"
    assert page.locator(".share-trap").get_attribute("aria-hidden") == "true"
    assert not trap.is_visible() or trap.bounding_box()["x"] < 0  # type: ignore[index]


def test_form_works_by_keyboard_alone(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.goto(live_server.url + "/share")
    page.locator("#story").focus()
    page.keyboard.type("I waited four months for my first therapy appointment, by keyboard only.")
    page.keyboard.press("Tab")  # title
    page.keyboard.press("Tab")  # first radio of "who is telling"
    page.keyboard.press("Space")
    assert page.locator("#reporter-0").is_checked()
    page.locator("#consent_stats").focus()
    page.keyboard.press("Space")
    page.locator("#send").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/receipt$"))
    expect(page.get_by_role("heading", name="Thank you for your story")).to_be_visible()
