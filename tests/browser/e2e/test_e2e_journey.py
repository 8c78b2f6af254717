"""The whole life of two stories across the three audiences, in real browsers, with axe-core and
screenshots on every page at 360 and 1280 px.

A patient on a phone (English) shares a story that names a phone number and speaks of suicide;
a patient on a phone (Spanish) shares another. A moderator signs in with a TOTP code, works the
queue by keyboard, is asked about the phone number, redacts it, approves; rejects the Spanish
story with a reason. A reader finds the story by search, opens it, pages to the oldest stories
and back, and sees the statistics count it. The patient reports that a wait ended and
withdraws; the story leaves the site and the statistics.
"""

from __future__ import annotations

import re

import pytest
from e2e_support import Audit, Person, sign_in, tripped
from playwright.sync_api import expect
from sqlalchemy import func, select

from testimonials.models import Facility, Submission
from testimonials.services.submissions import token_hash
from testimonials.vocab import Status
from tests.browser.conftest import LiveServer
from tests.browser.journey_walk import click_on, start
from tests.load import logwatch

pytestmark = pytest.mark.browser

MARKER = "Tuolumnewaits"
PHONE_NUMBER = "415-555-0134"
STORY_EN = (f"My daughter asked for therapy in January. The intake came after six weeks and then "
            f"nothing: we waited <3 months & cried before a return visit. Call me on "
            f"{PHONE_NUMBER} if you need to check. Some nights she talks about suicide. {MARKER}")
REDACTED_EN = STORY_EN.replace(f"Call me on {PHONE_NUMBER} if you need to check. ", "")
STORY_ES = ("Pedí una cita de psiquiatría para mi mamá en marzo y nos la dieron para agosto. "
            "Mientras tanto dejó de tomar su medicamento. Ñandú Castañeda, Fresno.")
REASON = "Gracias. Por favor envíala de nuevo sin nombres completos."


def quiet_facility(server: LiveServer) -> tuple[int, str]:
    """An active clinic with nothing pending, so the moderator's filtered queue holds ours only."""
    with server.app.extensions["waitline.sessionmaker"]() as session:
        busy = select(Submission.facility_id).where(Submission.status == Status.PENDING,
                                                    Submission.facility_id.is_not(None))
        row = session.execute(select(Facility.id, Facility.name)
                              .where(Facility.active.is_(True), Facility.merged_into_id.is_(None),
                                     Facility.id.not_in(busy))
                              .order_by(Facility.id)).first()
    assert row is not None
    return row[0], row[1]


def submission_of(server: LiveServer, token: str) -> Submission:
    with server.app.extensions["waitline.sessionmaker"]() as session:
        found = session.scalars(select(Submission)
                                .where(Submission.token_hash == token_hash(token))).one()
        session.expunge(found)
        return found


def counted_stories(page, server: LiveServer) -> int:  # type: ignore[no-untyped-def]
    """The number the statistics page says it counts."""
    page.goto(server.url + "/stats")
    text = page.locator("main").inner_text()
    found = re.search(r"agreed to be counted: ([\d,]+) stor", text)
    assert found, text[:400]
    return int(found.group(1).replace(",", ""))


def cut_release(server: LiveServer) -> None:
    """What cron does: `flask stats release` on the server's database."""
    # Two stories apart: past the guard that waits for STATS_MIN_CELL new people (tested apart).
    result = server.app.test_cli_runner().invoke(
        args=["stats", "release", "--force", "--allow-few"])
    assert result.exit_code == 0, result.output


def published_count(server: LiveServer) -> int:
    with server.app.extensions["waitline.sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(Submission)
                              .where(Submission.published_at.is_not(None))) or 0


def share_in_english(page, server: LiveServer, audit: Audit, facility_id: int) -> str:  # type: ignore[no-untyped-def]
    """The English patient's form, a first try with a mistake, then the receipt; the token."""
    start(page, server.url)
    audit.page(page, "share-story")
    page.get_by_label("Tell us what happened").fill(STORY_EN)
    click_on(page)
    page.get_by_label("I am the patient's parent or guardian").check()
    page.locator("#send").click()
    # No consent ticked: the summary is announced and nothing ticked is lost; the story speaks
    # of suicide, so the 988 help comes first and takes the focus.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator(".share-crisis")).to_be_focused()
    assert summary.get_attribute("role") == "alert"
    expect(page.get_by_label("I am the patient's parent or guardian")).to_be_checked()
    audit.page(page, "share-consent-errors")
    page.get_by_label("Publish my story on this site").check()
    page.get_by_label("Count my answers in the anonymous statistics").check()
    click_on(page)
    page.locator("#facility").select_option(str(facility_id))
    page.get_by_role("textbox", name="Month").fill("1")
    page.get_by_role("textbox", name="Year").fill("2026")
    audit.page(page, "share-where")
    click_on(page)
    page.get_by_label("Individual therapy").check()
    click_on(page)
    page.locator("#intake-state-0").check()
    page.locator("#intake-amount").fill("6")
    page.locator("#intake-unit").select_option("weeks")
    audit.page(page, "share-wait")
    click_on(page)
    page.locator("#first_return-state-1").check()  # still waiting
    page.locator("#first_return-amount").fill("3")
    page.locator("#first_return-unit").select_option("months")
    click_on(page)
    for _page in ("between_returns", "outcomes", "about"):
        click_on(page)
    audit.page(page, "share-check")
    expect(page.get_by_text("My daughter asked for therapy in January.", exact=False)
           ).to_be_visible()
    click_on(page)
    expect(page.get_by_role("heading", name="Thank you for your story")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    audit.page(page, "receipt")
    link = page.locator("#private-link").inner_text().strip()
    token = link.rsplit("/", 1)[1]
    logwatch.remember(STORY_EN, token)
    page.goto(link)
    expect(page.get_by_text("Waiting for a moderator")).to_be_visible()
    page.get_by_text("Show your story and answers").click()
    expect(page.get_by_text("we waited <3 months & cried", exact=False)).to_be_visible()
    audit.page(page, "status-pending")
    return token


def share_in_spanish(page, server: LiveServer, audit: Audit) -> str:  # type: ignore[no-untyped-def]
    start(page, server.url)
    assert page.locator("html").get_attribute("lang") == "es"
    audit.page(page, "share-story-es")
    page.get_by_label("Cuéntanos qué pasó").fill(STORY_ES)
    click_on(page)
    page.get_by_label("Soy el/la paciente").check()
    page.get_by_label("Publicar mi historia en este sitio").check()
    click_on(page)
    for _page in ("where", "care", "wait-intake", "outcomes", "about"):
        click_on(page)
    audit.page(page, "share-check-es")
    click_on(page)
    expect(page.get_by_role("heading", name="Gracias por tu historia")).to_be_visible()
    expect(page.locator("#crisis-heading")).to_have_count(0)  # nothing in it calls for the notice
    audit.page(page, "receipt-es")
    token = page.locator("#private-link").inner_text().strip().rsplit("/", 1)[1]
    logwatch.remember(STORY_ES, token)
    page.get_by_role("link", name="Ver tu historia ahora").click()
    page.get_by_text("Ver tu historia y tus respuestas").click()
    expect(page.get_by_text("Ñandú Castañeda", exact=False)).to_be_visible()
    audit.page(page, "status-pending-es")
    return token


def moderate(page, server: LiveServer, audit: Audit, person: Person,  # type: ignore[no-untyped-def]
             english_id: int, spanish_id: int, facility_id: int) -> None:
    sign_in(page, server, person, audit=audit)
    expect(page.get_by_role("heading", name="Queue", level=1)).to_be_visible()
    audit.page(page, "queue")
    page.goto(f"{server.url}/moderate/?facility={facility_id}")
    page.keyboard.press("j")  # the first (and only) item of this clinic
    expect(page.locator(".queue-link").first).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0].endswith(f"/moderate/{english_id}"), page.url
    expect(page.locator("mark").filter(has_text=PHONE_NUMBER).first).to_be_visible()
    audit.page(page, "review")
    with page.expect_navigation():  # approve (a twice: WCAG 2.1.4); the phone number is still there
        page.keyboard.press("a")
        page.keyboard.press("a")
    expect(page.get_by_text("still looks like it has personal data")).to_be_visible()
    audit.page(page, "review-confirm")
    # Redact by keyboard: into the public story, replace it, leave the box, approve.
    page.locator("#public_story").focus()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(REDACTED_EN)
    page.keyboard.press("Escape")
    page.locator("#approve").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"Approved #{english_id}.")).to_be_visible()

    page.goto(f"{server.url}/moderate/{spanish_id}")
    page.keyboard.press("r")
    expect(page.locator("#reason")).to_be_focused()
    page.keyboard.insert_text(REASON)
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    expect(page.get_by_text(f"Rejected #{spanish_id}.")).to_be_visible()
    page.goto(server.url + "/moderate/audit")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.page(page, "audit-log")


def read(page, server: LiveServer, audit: Audit, english_id: int) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")
    audit.page(page, "home")
    page.goto(server.url + "/stories")
    audit.page(page, "stories")
    page.get_by_label("Search the stories").fill(MARKER)
    page.get_by_role("button", name="Search", exact=True).click()
    cards = page.locator(".story-list > li")
    expect(cards).to_have_count(1)
    audit.page(page, "stories-search")
    cards.first.locator(".story-card-title a").click()
    page.wait_for_url(re.compile(rf"/stories/{english_id}$"))
    story = page.locator(".story-text")
    expect(story).to_have_text(REDACTED_EN)  # as typed, minus what the moderator removed
    assert PHONE_NUMBER not in page.content()
    audit.page(page, "story")
    page.goto(server.url + "/stories")
    page.get_by_role("link", name="Individual therapy", exact=True).first.click()
    page.wait_for_url(re.compile(r"care=individual"))
    audit.page(page, "stories-filtered")
    page.goto(server.url + "/stories")
    pages = 1
    while page.locator("a.pager-older").count():
        page.locator("a.pager-older").click()
        page.wait_for_load_state()
        pages += 1
        assert pages < 50
    assert pages >= 5, pages
    audit.page(page, "stories-oldest")
    page.get_by_role("link", name=re.compile("Newer stories")).click()
    expect(page.locator(".story-list > li")).to_have_count(20)


def test_a_story_goes_from_patient_to_moderator_to_reader(  # type: ignore[no-untyped-def]
        e2e_server, moderator, open_page) -> None:
    server = e2e_server
    audit = Audit("journey")
    facility_id, _name = quiet_facility(server)
    reader = open_page("desktop")
    before = counted_stories(reader, server)
    published_before = published_count(server)
    audit.page(reader, "stats")

    patient = open_page("phone")
    token = share_in_english(patient, server, audit, facility_id)
    paciente = open_page("phone", locale="es-MX")
    token_es = share_in_spanish(paciente, server, audit)
    english, spanish = submission_of(server, token), submission_of(server, token_es)
    assert english.is_urgent and spanish.status is Status.PENDING

    desk = open_page("desktop")
    moderate(desk, server, audit, moderator, english.id, spanish.id, facility_id)
    # Figures move only with a release, never with a decision.
    assert counted_stories(reader, server) == before
    cut_release(server)
    assert counted_stories(reader, server) == before + 1
    assert published_count(server) == published_before + 1
    read(reader, server, audit, english.id)

    paciente.reload()
    expect(paciente.get_by_text("No publicada").first).to_be_visible()
    expect(paciente.get_by_text(REASON)).to_be_visible()
    audit.page(paciente, "status-rejected-es")

    patient.reload()
    audit.page(patient, "status-approved")
    patient.get_by_role("link", name="Read your published story").click()
    expect(patient.get_by_text(REDACTED_EN)).to_be_visible()  # the version everyone reads
    patient.go_back()
    patient.get_by_role("link", name="Tell us that a wait has ended").click()
    audit.page(patient, "wait-ended")
    patient.locator("#first_return-amount").fill("4")
    patient.locator("#first_return-unit").select_option("months")
    patient.get_by_role("button", name="Save").click()
    expect(patient.get_by_text(
        "The statistics will count your wait as ended from their next release.")).to_be_visible()
    patient.get_by_role("link", name=re.compile("Print a summary")).click()
    audit.page(patient, "complaint")
    patient.get_by_role("link", name="Back to your story").click()
    patient.get_by_role("link", name=re.compile("Take your story back")).click()
    audit.page(patient, "withdraw")
    patient.get_by_role("button", name="Withdraw and erase my story").click()
    expect(patient.get_by_text("Withdrawn and erased")).to_be_visible()
    audit.page(patient, "status-withdrawn")

    response = reader.goto(f"{server.url}/stories/{english.id}")
    assert response is not None and response.status == 410
    audit.page(reader, "story-gone")
    assert counted_stories(reader, server) == before + 1  # until the next release
    cut_release(server)
    assert counted_stories(reader, server) == before  # out of the statistics again

    desk.get_by_role("button", name="Sign out").click()
    expect(desk.get_by_text("You are signed out.")).to_be_visible()
    audit.page(desk, "signed-out")

    audit.save()
    for page in (reader, patient, paciente, desk):
        assert tripped(page) == {"xss": [], "csp": []}
        assert page.dialogs == [] and page.problems == []
    assert audit.serious() == {}
