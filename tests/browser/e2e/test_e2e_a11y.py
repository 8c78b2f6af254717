"""Accessibility beyond the journeys: axe-core on the pages they do not reach (admin, alerts,
enrolment, editing, Spanish public pages), focus that can be seen on every page, errors that are
announced and focused, and the faults found so far (xfail, strict: they flip when fixed)."""

from __future__ import annotations

import re

import pyotp
import pytest
from e2e_support import Audit, make_account, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from testimonials.models import Facility, Submission
from testimonials.vocab import Role, Status, WaitState
from tests.browser.journey_walk import share_by_journey

pytestmark = pytest.mark.browser

# For each focusable element met by pressing Tab: its style focused, then unfocused. Focus is
# visible when something a sighted user can see differs (outline, shadow, colours, underline).
REMEMBER_FOCUSED = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  window.__focused = window.__focused || [];
  window.__focused.push([el, [s.outlineStyle === 'none' ? '' : s.outlineStyle + s.outlineWidth
    + s.outlineColor, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine,
    s.borderColor].join('|')]);
  return el === document.body ? ''
    : (el.id || el.tagName + ':' + (el.textContent || '').trim().slice(0, 30));
}"""
UNFOCUSED_SAME = """() => {
  document.activeElement.blur();
  return window.__focused.filter(([el, focused]) => {
    const s = getComputedStyle(el);
    const now = [s.outlineStyle === 'none' ? '' : s.outlineStyle + s.outlineWidth + s.outlineColor,
      s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine, s.borderColor].join('|');
    return now === focused && el !== document.body;
  }).map(([el]) => el.id || el.tagName + ':' + (el.textContent || '').trim().slice(0, 30));
}"""
TABS = 25


def invisible_focus(page) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(what Tab reached, those whose focus looked no different) for the first TABS stops."""
    page.evaluate("() => { window.__focused = []; }")
    page.locator("body").click(position={"x": 1, "y": 1})
    reached = []
    for _ in range(TABS):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(REMEMBER_FOCUSED))
    return reached, page.evaluate(UNFOCUSED_SAME)


def first_story(server) -> int:  # type: ignore[no-untyped-def]
    with server.app.extensions["waitline.sessionmaker"]() as session:
        return session.scalar(select(Submission.id).where(Submission.published_at.is_not(None))
                              .order_by(Submission.id.desc()).limit(1)) or 0


@pytest.mark.parametrize("path", ["/", "/stories", "story", "/stats", "/share",
                                  "/moderate/login"])
def test_focus_is_visible_everywhere(e2e_server, open_page, path: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop")
    if path == "story":
        path = f"/stories/{first_story(e2e_server)}"
    page.goto(e2e_server.url + path)
    reached, unseen = invisible_focus(page)
    assert len([r for r in reached if r]) >= 5, reached  # the keyboard gets somewhere
    assert unseen == [], f"focus not visible on {path}: {unseen}"


def test_focus_is_visible_for_moderators(e2e_server, moderator_cookies, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop", signed_in=moderator_cookies)
    for path in ("/moderate/", "/moderate/audit"):
        page.goto(e2e_server.url + path)
        _reached, unseen = invisible_focus(page)
        assert unseen == [], f"focus not visible on {path}: {unseen}"


def test_errors_are_announced_and_focused(  # type: ignore[no-untyped-def]
        e2e_server, moderator, moderator_cookies, open_page) -> None:
    server = e2e_server
    audit = Audit("errors")
    page = open_page("phone")
    page.goto(server.url + "/moderate/login")
    page.locator("#email").fill(moderator.email)
    page.locator("#password").fill("not the password")
    page.locator("#password").press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert"
    expect(page.locator("#email")).to_have_value(moderator.email)
    audit.page(page, "moderate-login")

    # A patient's wait-ended form, answered with something that is not a number.
    share_by_journey(
        page, server.url,
        "I was told to wait for a call back about therapy and I am still waiting for it today.",
        waits={"intake": ("waiting", "5", "weeks")})
    page.get_by_role("link", name="See your story now").click()
    page.get_by_role("link", name="Tell us that a wait has ended").click()
    page.locator("#intake-amount").fill("soon")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert"
    expect(page.locator("#intake-amount")).to_have_attribute("aria-invalid", "true")
    audit.page(page, "wait-ended")

    # A moderator who rejects without a reason.
    desk = open_page("desktop", signed_in=moderator_cookies)
    desk.goto(server.url + "/moderate/")
    desk.get_by_role("link", name="Review the first item").click()
    desk.locator("#reason").focus()
    with desk.expect_navigation():
        desk.keyboard.press("Control+Enter")
    expect(desk.locator(".error-summary")).to_be_focused()
    expect(desk.locator(".error-summary")).to_contain_text("Enter the reason the patient will read.")  # noqa: E501
    audit.page(desk, "reject-without-reason")
    audit.save()
    assert audit.serious() == {}


def test_pages_the_journeys_do_not_reach_have_no_serious_violations(  # type: ignore[no-untyped-def]
        e2e_server, second_moderator, open_page) -> None:
    server = e2e_server
    audit = Audit("more")
    page = open_page("desktop")
    sign_in(page, server, second_moderator)  # an admin
    with server.app.extensions["waitline.sessionmaker"]() as session:
        facility_id = session.scalar(select(Facility.id).limit(1))
    for name, path in (("admin", "/admin/"), ("admin-accounts", "/admin/accounts"),
                       ("admin-facilities", "/admin/facilities"),
                       ("admin-facility", f"/admin/facilities/{facility_id}"),
                       ("admin-settings", "/admin/settings"), ("alerts", "/moderate/alerts"),
                       ("queue-urgent", "/moderate/?flag=crisis")):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        audit.page(page, name)

    fresh = make_account(server, "e2e-new@example.org", Role.MODERATOR, enrolled=False)
    newcomer = open_page("phone")
    newcomer.goto(server.url + "/moderate/login")
    newcomer.locator("#email").fill(fresh.email)
    newcomer.locator("#password").fill(fresh.password)
    newcomer.locator("#password").press("Enter")
    newcomer.wait_for_url(re.compile(r"/moderate/login/enrol$"))
    audit.page(newcomer, "enrol")
    secret = "".join(newcomer.locator("code.secret span").all_inner_texts())
    newcomer.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    newcomer.keyboard.press("Enter")
    expect(newcomer.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    audit.page(newcomer, "recovery-codes")

    patient = open_page("phone", locale="es-MX")
    share_by_journey(
        patient, server.url,
        "Mi hijo esperó tres meses para ver a un psiquiatra y nadie nos llamó para cancelar.",
        reporter="parent")
    patient.get_by_role("link", name="Ver tu historia ahora").click()
    patient.get_by_role("link", name=re.compile("Cambiar tu historia")).click()
    expect(patient.get_by_role("heading", level=1)).to_be_visible()
    audit.page(patient, "edit-es")
    patient.goto(server.url + "/share/already-received")
    audit.page(patient, "duplicate-es")
    patient.goto(server.url + "/share/received")
    audit.page(patient, "received-es")
    story = first_story(server)
    for name, path in (("home-es", "/"), ("stories-es", "/stories?care=group"),
                       ("story-es", f"/stories/{story}"), ("missing-es", "/stories/999999")):
        patient.goto(server.url + path)
        audit.page(patient, name)
    audit.save()
    assert audit.serious() == {}


def test_stats_page_has_no_serious_violations_on_a_phone(e2e_server, open_page) -> None:  # type: ignore[no-untyped-def]
    audit = Audit("stats")
    page = open_page("phone")
    page.goto(e2e_server.url + "/stats")
    audit.page(page, "stats", widths=("phone",))
    assert audit.serious() == {}


def test_stats_page_has_no_serious_violations_on_a_desktop(e2e_server, open_page) -> None:  # type: ignore[no-untyped-def]
    audit = Audit("stats")
    page = open_page("desktop")
    for path in ("/stats", "/stats?care=group", "/stats?lang=es"):
        page.goto(e2e_server.url + path)
        audit.page(page, "stats" + path.replace("/stats", "").replace("?", "-"),
                   widths=("desktop",))
    assert audit.serious() == {}


def test_a_waiting_patient_can_do_everything_by_keyboard(e2e_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """Wait ended and withdrawal, from the status page, with Tab, Space and Enter only."""
    page = open_page("phone")
    # (The journey's own pages by keyboard: tests/browser/test_share_journey.py.)
    share_by_journey(page, e2e_server.url,
                     "Three months so far for a first return visit, and nobody calls back.",
                     care=["individual"], waits={"first_return": ("waiting", "3", "months")})
    link = page.get_by_role("link", name="See your story now")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Tell us that a wait has ended").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#first_return-amount").focus()
    page.keyboard.type("14")
    page.keyboard.press("Tab")
    page.keyboard.press("w")  # weeks
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "send"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("The statistics will count your wait as ended from their next release.")).to_be_visible()  # noqa: E501
    page.get_by_role("link", name=re.compile("Take your story back")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Withdraw and erase my story").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Withdrawn and erased")).to_be_visible()
    with e2e_server.app.extensions["waitline.sessionmaker"]() as session:
        waits = session.scalars(select(Submission).where(Submission.status == Status.WITHDRAWN)
                                .order_by(Submission.id.desc()).limit(1)).one().waits
        assert [(w.state, w.days) for w in waits] == [(WaitState.ENDED, 98)]
