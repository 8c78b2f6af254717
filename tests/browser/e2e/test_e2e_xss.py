"""150 XSS payloads in a real browser: sent through the real form (CSRF and all) into every
text field, typed again by a moderator as the public version, then opened where people read
them: the moderator's queue and review, the patient's private page, the story page, the story
list and the home page. A tripwire set before any page script (alert, confirm, prompt, print,
and Content-Security-Policy violation reports) and a dialog handler prove that none ran; each
page's text is compared with what was typed. The feed, the CSV and the API are read too."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from xml.etree import ElementTree as ET

import pytest
from e2e_support import Person, make_account, serve, sign_in, tripped
from playwright.sync_api import expect
from sqlalchemy import select

from testimonials.models import Submission
from testimonials.services.submissions import token_hash
from testimonials.text import clean
from tests.browser.conftest import LiveServer
from tests.browser.journey_walk import share_by_journey
from tests.integration.hostile.hostile_corpus import (
    expected,
    share_fields,
    story_text,
    xss_payloads,
)
from tests.load import logwatch

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNT = 150
ATOM = "{http://www.w3.org/2005/Atom}"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    yield from serve(tmp_path_factory.mktemp("xss") / "waitline.db", count=30, seed=4)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:300]
    return found.group(1)


def send_all(page, server: LiveServer, payloads: list[str]) -> dict[int, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Each payload through /share over HTTP with the browser's cookies; {id: (payload, token)}."""
    sent: dict[int, tuple[str, str]] = {}
    for number, payload in enumerate(payloads):
        form = share_fields(payload, number)
        if "refused" in {expected(form[name], name)
                         for name in ("title", "story", "display_name", "facility_other")}:
            continue  # refused with a message; the test-client suite checks those
        form["csrf_token"] = csrf_of(page.request.get(server.url + "/share").text())
        response = page.request.post(server.url + "/share", form=form, max_redirects=0)
        assert response.status == 303, (payload, response.status)
        token = response.headers["location"].rsplit("/", 2)[1]
        logwatch.remember(form["story"], token)
        with server.app.extensions["waitline.sessionmaker"]() as session:
            row_id = session.scalar(select(Submission.id)
                                    .where(Submission.token_hash == token_hash(token)))
        assert row_id is not None
        sent[row_id] = (payload, token)
    return sent


def approve(page, server: LiveServer, row_id: int, payload: str, number: int) -> None:  # type: ignore[no-untyped-def]
    """The moderator's public edit: the payload as the public title and story, posted with
    the token and version of the review page the browser shows (read once, not twice)."""
    form = page.evaluate("""() => ({
        csrf: document.querySelector('input[name=csrf_token]').value,
        version: document.querySelector('input[name=version]').value})""")
    title = payload if len(clean(payload)) <= 120 else "A long one"
    data = {"csrf_token": form["csrf"], "action": "approve", "version": form["version"],
            "public_title": title, "public_story": story_text(payload, number),
            "confirm_personal_data": "yes"}
    response = page.request.post(f"{server.url}/moderate/{row_id}/decide", form=data,
                                 max_redirects=0)
    assert response.status == 302, (payload, response.status)


def text_of(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(f"() => document.querySelector({selector!r}).textContent")


def texts_of(page, *selectors: str) -> list[str | None]:  # type: ignore[no-untyped-def]
    """Each selector's textContent (a field's value for a textarea), in one call."""
    return page.evaluate("""(selectors) => selectors.map((selector) => {
        const found = document.querySelector(selector);
        return found === null ? null
            : ['TEXTAREA', 'INPUT'].includes(found.tagName) ? found.value : found.textContent;
    })""",
                         list(selectors))


def visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    caught = tripped(page)
    assert caught == {"xss": [], "csp": []}, (url, caught)
    assert page.dialogs == [] and page.problems == [], url


def test_no_payload_runs_anywhere(xss_server, open_page, capsys) -> None:  # type: ignore[no-untyped-def]
    server = xss_server
    payloads = xss_payloads(COUNT, seed=8)
    moderator: Person = make_account(server, "xss-moderator@example.org")
    patient = open_page("desktop")
    sent = send_all(patient, server, payloads)
    assert len(sent) >= 100
    numbers = {row_id: payloads.index(payload) for row_id, (payload, _t) in sent.items()}

    desk = open_page("desktop")
    sign_in(desk, server, moderator)
    visit(desk, server.url + "/moderate/")
    while desk.locator("a[rel=next]").count():  # the whole queue, page by page
        visit(desk, server.url + desk.locator("a[rel=next]").first.get_attribute("href"))
    for row_id, (payload, _token) in sent.items():
        visit(desk, f"{server.url}/moderate/{row_id}")
        with server.app.extensions["waitline.sessionmaker"]() as session:
            row = session.get(Submission, row_id)
            assert row is not None
            original = row.original_story
        # Wait for the original rather than look once (a loaded CI machine is slow to render).
        expect(desk.locator(".story-text[data-original]")).to_be_attached()
        shown, public = texts_of(desk, ".story-text[data-original]", "#public_story")
        assert shown == original, payload
        assert public == original, payload
        approve(desk, server, row_id, payload, numbers[row_id])

    with server.app.extensions["waitline.sessionmaker"]() as session:
        rows = {row.id: (row.public_title, row.public_story, row.display_name)
                for row in session.scalars(select(Submission)
                                           .where(Submission.id.in_(list(sent))))}
    reader = open_page("phone")
    for row_id, (title, story, name) in rows.items():
        visit(reader, f"{server.url}/stories/{row_id}")
        shown, shown_title, meta = texts_of(reader, ".story-text", "#story-title", ".story-meta")
        assert shown == story
        assert shown_title == (title or "Untitled story")
        assert name is None or name in (meta or "")
    visit(reader, server.url + "/")
    visit(reader, server.url + "/stories")
    while reader.locator("a.pager-older").count():
        visit(reader, server.url + reader.locator("a.pager-older").get_attribute("href"))

    feed = patient.request.get(server.url + "/stories.atom")
    for entry in ET.fromstring(feed.body()).findall(f"{ATOM}entry"):
        row_id = int(entry.findtext(f"{ATOM}id", "").rsplit("/", 1)[1])
        if row_id in rows:
            assert entry.findtext(f"{ATOM}content") == rows[row_id][1]
    for row_id, (title, story, _name) in list(rows.items())[:40]:
        data = patient.request.get(f"{server.url}/api/v1/stories/{row_id}").json()["data"]
        assert (data["title"], data["story"]) == (title, story)
    table = patient.request.get(server.url + "/stats.csv").text()
    for cells in csv.reader(io.StringIO(table)):
        for cell in cells:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell[:1] == "-" and \
                cell[1:2].isdigit(), cell

    for row_id, (_payload, token) in list(sent.items())[:30]:  # the patient's own page
        visit(patient, f"{server.url}/my/{token}")  # the original, folded away, ran nothing
        assert patient.locator(f"a[href='/stories/{row_id}']").count() == 1  # the public one
    with capsys.disabled():
        print(f"\n  {len(sent)} XSS payloads stored, approved and shown; none ran")


def test_the_patients_page_shows_payloads_inert(xss_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """Typed into the real form in the browser (not over HTTP), shown on the private page."""
    server = xss_server
    page = open_page("phone")
    for number, payload in enumerate(xss_payloads(12, seed=21)):
        form = share_fields(payload, 1000 + number)
        if "refused" in {expected(form[name], name) for name in ("title", "story")}:
            continue
        share_by_journey(page, server.url, form["story"], title=payload[:120])
        page.get_by_role("link", name="See your story now").click()
        # The click starts a navigation; wait for the status page before reading it.
        expect(page.locator(".share-original")).to_be_attached()
        assert tripped(page) == {"xss": [], "csp": []}, payload
        assert text_of(page, ".share-original") == clean(form["story"])
        logwatch.remember(form["story"], page.url.rsplit("/", 1)[1])
    assert page.dialogs == [] and page.problems == []


def test_the_tripwire_catches_a_payload_that_runs(open_page) -> None:  # type: ignore[no-untyped-def]
    """The control: on a page without our escaping and CSP, the same kind of payload is caught."""
    page = open_page("desktop")
    page.set_content('<img src="x" onerror="alert(1)"><script>confirm(2)</script>')
    page.wait_for_function("() => window.__xss.length >= 2")
    assert sorted(tripped(page)["xss"]) == ["alert:1", "confirm:2"]
