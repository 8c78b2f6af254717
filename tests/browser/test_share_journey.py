"""The patient's staged journey in a real browser on a 390 px phone (CSRF on, as in production):
by keyboard only, in English and Spanish, with an error and Back on every page, a crisis story,
axe-core on every page; then the receipt, the private page, the complaint and withdrawal.

Each page's height is printed (and, with WAITLINE_SCREENSHOTS=1, a screenshot saved under
test-artifacts/screenshots/)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser import axe_check
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

STORY = ("I asked for therapy in March and waited <3 months & cried while waiting. "
         "The clinic kept saying there were no openings with any therapist.")
PHONE_390 = {"width": 390, "height": 844}
SCREENS = 1.5  # a page of the journey (question, check, receipt) fits in about 1.5 screens
WORDS = {
    "en": {"continue": "Continue", "back": "Back", "problem": "There is a problem",
           "send": "Send my story", "thanks": "Thank you for your story", "start": "Start now"},
    "es": {"continue": "Continuar", "back": "Atrás", "problem": "Hay un problema",
           "send": "Enviar mi historia", "thanks": "Gracias por tu historia",
           "start": "Empezar ahora"},
}
# (page, a wrong answer that brings a message, the right answer): field id -> typed or ticked.
PAGES = [
    ("story", {"story": "Too short"}, {"story": STORY}),
    ("consent", {"consent_share": True}, {"consent_stats": True, "reporter-0": True}),
    ("where", {"month": "13", "year": "2025"}, {"month": "3", "year": "2025"}),
    ("care", None, {"care_types-0": True}),
    ("wait-intake", {"intake-state-1": True}, {"intake-amount": "3"}),
    ("wait-first_return", {"first_return-amount": "abc"}, {"first_return-amount": "6"}),
    ("wait-between_returns", None, {}),
    ("outcomes", None, {"outcomes-3": True}),
    ("about", None, {"display_name": "Ana"}),
]


def watch_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def on_a_phone(browser, language: str):  # type: ignore[no-untyped-def]
    """A 390 px touch phone's browser in `language`: its context, a page, and the page's
    errors as they come (see watch_errors)."""
    context = browser.new_context(viewport=PHONE_390, locale="es-MX" if language == "es"
                                  else "en-US", has_touch=True, is_mobile=True)
    page = context.new_page()
    return context, page, watch_errors(page)


def height(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollHeight"))


def to_the_button(page) -> int:  # type: ignore[no-untyped-def]
    """How far a patient scrolls to answer: from the top to the bottom of the main button."""
    return int(page.evaluate(
        "(() => { const b = document.querySelector('#send')"
        " || document.querySelector('main button');"
        " return b.getBoundingClientRect().bottom + window.scrollY; })()"))


def fill_by_keyboard(page, answers: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Each field reached by focus and answered with keys only (typing, Space)."""
    for field, value in answers.items():
        control = page.locator(f"#{field}")
        control.focus()
        if value is True:
            if not control.is_checked():
                page.keyboard.press("Space")
        else:
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            page.keyboard.type(str(value))
    if "intake-amount" in answers or "first_return-amount" in answers:
        kind = "intake" if "intake-amount" in answers else "first_return"
        page.locator(f"#{kind}-unit").select_option("weeks")


def serious(page) -> list[str]:  # type: ignore[no-untyped-def]
    found = axe_check.violations(page)
    return [f"{v['id']} ({v['impact']})" for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_journey_on_a_phone_by_keyboard_with_an_error_and_back_on_every_page(  # type: ignore[no-untyped-def]
        live_server, browser, language: str) -> None:
    words = WORDS[language]
    context, page, problems = on_a_phone(browser, language)
    heights: dict[str, int] = {}
    answered: dict[str, int] = {}
    violations: dict[str, list[str]] = {}
    began = time.perf_counter()
    page.goto(live_server.url + "/share")
    heights["start"] = height(page)
    violations["start"] = serious(page)
    screenshot(page, f"journey-{language}-start")
    page.get_by_role("button", name=words["start"]).focus()
    page.keyboard.press("Enter")
    for step, wrong, right in PAGES:
        if step == "story":  # each run its own story, so that it is not a duplicate
            right = {"story": f"{STORY} ({language}, by keyboard)"}
        page.wait_for_url(re.compile(f"/share/{step}$"))
        heights[step] = height(page)
        answered[step] = to_the_button(page)
        violations[step] = serious(page)
        screenshot(page, f"journey-{language}-{step}")
        if wrong is not None:
            fill_by_keyboard(page, wrong)
            page.locator("#send").focus()
            page.keyboard.press("Enter")
            summary = page.locator(".error-summary")
            expect(summary).to_be_visible()
            expect(summary).to_be_focused()
            assert words["problem"] in summary.inner_text()
            heights[f"{step} (error)"] = height(page)
            violations[f"{step} (error)"] = serious(page)
            screenshot(page, f"journey-{language}-{step}-error")
        fill_by_keyboard(page, right)
        page.locator("#send").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, step=step: not url.endswith(f"/share/{step}"))
        # Back from the next page returns here with the answers kept; forward again.
        here = page.url
        page.get_by_role("link", name=words["back"], exact=True).click()
        page.wait_for_url(re.compile(f"/share/{step}$"))
        for field, value in right.items():
            control = page.locator(f"#{field}")
            assert control.is_checked() if value is True else control.input_value() == value
        page.goto(here)
    page.wait_for_url(re.compile("/share/check$"))
    heights["check"] = height(page)
    violations["check"] = serious(page)
    screenshot(page, f"journey-{language}-check")
    expect(page.get_by_text("waited <3 months & cried", exact=False)).to_be_visible()
    assert page.locator(".share-change a").count() >= 8  # a "Change" link per question page
    page.get_by_role("button", name=words["send"]).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=words["thanks"])).to_be_visible()
    elapsed = time.perf_counter() - began
    heights["receipt"] = height(page)
    violations["receipt"] = serious(page)
    screenshot(page, f"journey-{language}-receipt")
    print(f"\njourney {language}: {elapsed:.1f} s; page heights at 390 px: {heights}; "
          f"top to the Continue button: {answered}")
    assert {name: found for name, found in violations.items() if found} == {}
    too_tall = {name: tall for name, tall in heights.items()
                if "(error)" not in name and tall > SCREENS * PHONE_390["height"]}
    assert too_tall == {}  # every page at 390 px in about one and a half screens
    assert problems == []
    context.close()


CRISIS = {"en": ("I want to kill myself", " Some nights I want to kill myself."),
          "es": ("Quiero morirme", " Algunas noches quiero morirme.")}
SKIP = re.compile("Skip this question|Saltar esta pregunta")
HELP_FIRST = """(() => {
  const help = document.querySelector('.share-crisis');
  const rest = document.querySelector('.error-summary') || document.querySelector('main h1');
  return !!help && !!rest
    && !!(help.compareDocumentPosition(rest) & Node.DOCUMENT_POSITION_FOLLOWING);
})()"""


def crisis_help_first(page, first: bool = True) -> None:  # type: ignore[no-untyped-def]
    """The 988 box is on the page (before any message and the question), with both links."""
    assert page.evaluate(HELP_FIRST) or not first
    expect(page.locator(".share-crisis a[href='tel:988']")).to_be_visible()
    expect(page.locator(".share-crisis a[href='sms:988']")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "es"])
def test_crisis_story_shows_988_first_on_every_page_and_the_receipt(  # type: ignore[no-untyped-def]
        live_server, browser, language: str) -> None:
    """Every page after a story that mentions suicide, at 390 px, in about 1.5 screens."""
    words, (short, sentence) = WORDS[language], CRISIS[language]
    context, page, problems = on_a_phone(browser, language)
    heights: dict[str, int] = {}
    violations: dict[str, list[str]] = {}

    def look(name: str) -> None:
        page.wait_for_load_state()  # a click's navigation may have committed, not yet parsed
        crisis_help_first(page, first=name != "status")  # the status page says it first
        heights[name] = height(page)
        violations[name] = serious(page)
        screenshot(page, f"journey-{language}-crisis-{name}")

    page.goto(live_server.url + "/share")
    page.get_by_role("button", name=words["start"]).click()
    page.locator("#story").fill(short)
    page.locator("#send").click()
    expect(page.locator(".share-crisis")).to_be_focused()  # read out before the problem
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("#story").input_value() == short  # never lost
    look("story (error)")
    page.locator("#story").fill(f"{STORY} Crisis test, {language}.{sentence}")
    page.locator("#send").click()
    page.wait_for_url(re.compile("/share/consent$"))
    look("consent")
    page.get_by_role("link", name=words["back"], exact=True).click()
    page.wait_for_url(re.compile("/share/story$"))
    look("story")
    page.locator("#send").click()
    page.locator("#send").click()  # nothing ticked: the help still comes first
    expect(page.locator(".error-summary")).to_be_visible()
    look("consent (error)")
    page.locator("#consent_stats").check()
    page.locator("#reporter-0").check()
    page.locator("#send").click()
    for step in ("where", "care"):
        page.wait_for_url(re.compile(f"/share/{step}$"))
        look(step)
        if step == "care":
            page.locator("input[name=care_types][value=individual]").check()
            page.locator("#send").click()
            page.wait_for_url(lambda url: not url.endswith("/share/care"))
        else:
            page.get_by_role("link", name=SKIP).click()
    while "/share/check" not in page.url:
        step = page.url.rsplit("/share/", 1)[1]
        look(step)
        page.locator("#send").click()
        page.wait_for_url(lambda url, step=step: not url.endswith(f"/share/{step}"))
    look("check")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("heading", name=words["thanks"])).to_be_visible()
    look("receipt")
    page.locator(".share-next a").click()
    look("status")
    print(f"\ncrisis journey {language}: page heights at 390 px: {heights}")
    assert {name: found for name, found in violations.items() if found} == {}
    too_tall = {name: tall for name, tall in heights.items()
                if "(error)" not in name and tall > SCREENS * PHONE_390["height"]}
    assert too_tall == {}  # the 988 help costs no page its 1.5 screens
    assert problems == []
    context.close()


def test_receipt_private_page_complaint_and_withdrawal(  # type: ignore[no-untyped-def]
        live_server, page_at) -> None:
    page = page_at("phone")
    problems = watch_errors(page)
    page.goto(live_server.url + "/share")
    page.get_by_role("button", name="Start now").click()
    page.locator("#story").fill(STORY + " The private page test.")
    page.locator("#send").click()
    page.locator("#consent_stats").check()
    page.locator("#reporter-0").check()
    page.locator("#send").click()
    page.get_by_role("link", name="Skip this question").click()  # where
    page.locator("#care_types-0").check()
    page.locator("#send").click()
    page.locator("#intake-state-1").check()
    page.locator("#intake-amount").fill("6")
    page.locator("#intake-unit").select_option("weeks")
    page.locator("#send").click()
    page.goto(live_server.url + "/share/check")
    page.get_by_role("button", name="Send my story").click()
    link = page.locator("#private-link").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/my/[A-Za-z0-9_-]{43}", link)
    page.goto(link)
    expect(page.get_by_text("Waiting for a moderator")).to_be_visible()
    page.get_by_role("link", name="Tell us that a wait has ended").click()
    page.locator("#intake-amount").fill("2")
    page.locator("#intake-unit").select_option("months")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(
        "The statistics will count your wait as ended from their next release.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Take your story back")).click()
    page.get_by_role("button", name="Withdraw and erase my story").click()
    expect(page.get_by_text("Withdrawn and erased")).to_be_visible()
    assert problems == []


def test_clinic_search_narrows_the_grouped_list(live_server, page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone")
    page.goto(live_server.url + "/share")
    page.get_by_role("button", name="Start now").click()
    page.goto(live_server.url + "/share/where")
    before = page.locator("#facility option").count()
    page.get_by_label("Search for the clinic by name or city").fill("oakland")
    after = page.locator("#facility option").count()
    assert 2 < after < before  # "Choose" and "Other" stay
    expect(page.locator("[role=status]")).to_contain_text("match")


def test_story_page_counts_characters_and_notes_personal_details(  # type: ignore[no-untyped-def]
        live_server, page_at) -> None:
    page = page_at("phone")
    page.goto(live_server.url + "/share")
    page.get_by_role("button", name="Start now").click()
    counter = page.locator("[data-count-for=story]")
    expect(counter).to_have_text(re.compile(r"^0 characters"))
    page.locator("#story").fill("Twelve chars")
    expect(counter).to_have_text(re.compile(r"^12 characters"))
    note = page.locator("[data-pii-note]")
    expect(note).to_be_hidden()
    page.locator("#story").fill(STORY + " Call me on 415-555-0134.")
    expect(note).to_be_visible()
    screenshot(page, "journey-story-personal-note")


def test_an_edit_changes_one_answer_on_its_question_page_and_saves(  # type: ignore[no-untyped-def]
        live_server, browser) -> None:
    context = browser.new_context(viewport=PHONE_390, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = watch_errors(page)
    page.goto(live_server.url + "/share")
    page.get_by_role("button", name="Start now").click()
    page.locator("#story").fill(STORY + " The edit test.")
    page.locator("#send").click()
    page.locator("#consent_stats").check()
    page.locator("#reporter-0").check()
    page.locator("#send").click()
    page.goto(live_server.url + "/share/check")
    page.get_by_role("button", name="Send my story").click()
    page.get_by_role("link", name="See your story now").click()
    page.get_by_role("link", name="Change your story or your answers").click()
    expect(page.get_by_role("heading", name="Check your changes")).to_be_visible()
    assert height(page) <= SCREENS * PHONE_390["height"]
    page.get_by_role("link", name="Change first appointment").click()
    page.get_by_label("I was never offered one").check()
    page.locator("#send").click()
    expect(page.get_by_text("Never offered one")).to_be_visible()
    screenshot(page, "journey-edit-check")
    page.get_by_role("button", name="Save my changes").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    page.get_by_text("Show your story and answers").click()
    expect(page.get_by_text("Never offered an appointment")).to_be_visible()
    assert problems == []
    context.close()
