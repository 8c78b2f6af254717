"""150 XSS payloads in a real browser: sent through the real form (CSRF and all) into every
text field, typed again by a moderator as the public version, then opened where people read
them: the moderator's queue and review, the patient's private page, the story page, the story
list and the home page. A tripwire set before any page script (alert, confirm, prompt, print,
and Content-Security-Policy violation reports) and a dialog handler prove that none ran; each
page's text is compared with what was typed. The feed, the CSV and the API are read too.

Payloads travel a few to a story (side by side in every field, as `payload_groups` packs them),
not one: a page load is most of this module's cost (some 0.17 s of Chromium's CPU each), and
each payload is still checked on every page, in every field, as it would be alone."""

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
FIELDS = ("title", "story", "display_name", "facility_other")
# Between payloads sharing a field: a space (a field's text is what each alone would store).
JOIN = " "
TITLE_BOX = 120  # characters the title's box takes as typed
ATOM = "{http://www.w3.org/2005/Atom}"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    yield from serve(tmp_path_factory.mktemp("xss") / "waitline.db", count=30, seed=4)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:300]
    return found.group(1)


def payload_groups(payloads: list[str], fields: tuple[str, ...] = FIELDS,
                   typed: int | None = None) -> list[list[str]]:
    """The payloads the form takes in `fields` (not refused: the test-client suite checks
    those), each packed into the first group whose JOIN-ed text, with it, every field still
    takes (and that fits `typed` characters as typed, for a box that takes no more).

    A payload joins a group only when cleaning the joined text gives the payloads' own
    cleaned texts side by side: the markup stripper treats each exactly as it would alone
    (no payload's open tag swallows its neighbour), so each page shows each payload's own
    stored text, and escaping that is wrong for one payload is wrong in its group too."""
    def refused(value: str) -> bool:
        form = share_fields(value, 0)
        return "refused" in {expected(form[name], name) for name in fields}

    def fits(group: list[str]) -> bool:
        joined = JOIN.join(group)
        alone = clean(JOIN.join(clean(payload) for payload in group))
        return (clean(joined) == alone and not refused(joined)
                and (typed is None or len(joined) <= typed))

    groups: list[list[str]] = []
    for payload in payloads:
        if refused(payload):
            continue
        home = next((group for group in groups if fits([*group, payload])), None)
        if home is None:
            groups.append([payload])
        else:
            home.append(payload)
    return groups


def send_all(page, server: LiveServer, groups: list[list[str]]) -> dict[int, tuple[list[str], str]]:  # type: ignore[no-untyped-def]
    """Each group through /share over HTTP with the browser's cookies; {id: (group, token)}.

    One form's CSRF token serves every post (it belongs to the browser's session, as when a
    patient sends a second story); each post is still checked against it."""
    sent: dict[int, tuple[list[str], str]] = {}
    csrf_token = csrf_of(page.request.get(server.url + "/share").text())
    for number, group in enumerate(groups):
        form = share_fields(JOIN.join(group), number)
        form["csrf_token"] = csrf_token
        response = page.request.post(server.url + "/share", form=form, max_redirects=0)
        assert response.status == 303, (group, response.status)
        token = response.headers["location"].rsplit("/", 2)[1]
        logwatch.remember(form["story"], token)
        with server.app.extensions["waitline.sessionmaker"]() as session:
            row_id = session.scalar(select(Submission.id)
                                    .where(Submission.token_hash == token_hash(token)))
        assert row_id is not None
        sent[row_id] = (group, token)
    return sent


def each_shown(group: list[str], shown: str | None) -> None:
    """Each payload's own cleaned text is on the page, whole (its own check in the group)."""
    for payload in group:
        assert clean(payload) in (shown or ""), (payload, shown)


def approve(page, server: LiveServer, row_id: int, payload: str, number: int) -> None:  # type: ignore[no-untyped-def]
    """The moderator's public edit: the payload as the public title and story, posted with
    the token and version of the review page the browser shows (read once, not twice)."""
    form = page.evaluate("""() => ({
        csrf: document.querySelector('input[name=csrf_token]').value,
        version: document.querySelector('input[name=version]').value})""")
    title = payload if len(clean(payload)) <= 120 else "A long one"  # groups are shorter
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
    groups = payload_groups(xss_payloads(COUNT, seed=8))
    moderator: Person = make_account(server, "xss-moderator@example.org")
    patient = open_page("desktop")
    sent = send_all(patient, server, groups)
    assert sum(len(group) for group, _token in sent.values()) >= 100
    numbers = {row_id: groups.index(group) for row_id, (group, _t) in sent.items()}

    desk = open_page("desktop")
    sign_in(desk, server, moderator)
    visit(desk, server.url + "/moderate/")
    while desk.locator("a[rel=next]").count():  # the whole queue, page by page
        visit(desk, server.url + desk.locator("a[rel=next]").first.get_attribute("href"))
    for row_id, (group, _token) in sent.items():
        visit(desk, f"{server.url}/moderate/{row_id}")
        with server.app.extensions["waitline.sessionmaker"]() as session:
            row = session.get(Submission, row_id)
            assert row is not None
            original = row.original_story
        # Wait for the original rather than look once (a loaded CI machine is slow to render).
        expect(desk.locator(".story-text[data-original]")).to_be_attached()
        shown, public = texts_of(desk, ".story-text[data-original]", "#public_story")
        assert shown == original, group
        assert public == original, group
        each_shown(group, shown)
        approve(desk, server, row_id, JOIN.join(group), numbers[row_id])

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
        for stored, on_page in ((story, shown), (title, shown_title), (name, meta)):
            if stored:  # (a field of markup alone is stored empty, and shows nothing)
                each_shown(sent[row_id][0], on_page)
    visit(reader, server.url + "/")
    visit(reader, server.url + "/stories")
    while reader.locator("a.pager-older").count():
        visit(reader, server.url + reader.locator("a.pager-older").get_attribute("href"))

    feed = patient.request.get(server.url + "/stories.atom")
    for entry in ET.fromstring(feed.body()).findall(f"{ATOM}entry"):
        row_id = int(entry.findtext(f"{ATOM}id", "").rsplit("/", 1)[1])
        if row_id in rows:
            assert entry.findtext(f"{ATOM}content") == rows[row_id][1]
    for row_id, (title, story, _name) in rows.items():
        data = patient.request.get(f"{server.url}/api/v1/stories/{row_id}").json()["data"]
        assert (data["title"], data["story"]) == (title, story)
    table = patient.request.get(server.url + "/stats.csv").text()
    for cells in csv.reader(io.StringIO(table)):
        for cell in cells:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell[:1] == "-" and \
                cell[1:2].isdigit(), cell

    for row_id, (_group, token) in sent.items():  # the patient's own page
        visit(patient, f"{server.url}/my/{token}")  # the original, folded away, ran nothing
        assert patient.locator(f"a[href='/stories/{row_id}']").count() == 1  # the public one
    with capsys.disabled():
        print(f"\n  {sum(len(group) for group, _t in sent.values())} XSS payloads in "
              f"{len(sent)} stories stored, approved and shown; none ran")


def test_the_patients_page_shows_payloads_inert(xss_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """Typed into the real form in the browser (not over HTTP), shown on the private page."""
    server = xss_server
    page = open_page("phone")
    # A group fits the title box whole (a longer payload, alone, is cut there as typed).
    groups = payload_groups(xss_payloads(12, seed=21), ("title", "story"), typed=TITLE_BOX)
    for number, group in enumerate(groups):
        form = share_fields(JOIN.join(group), 1000 + number)
        share_by_journey(page, server.url, form["story"], title=form["title"][:TITLE_BOX])
        page.get_by_role("link", name="See your story now").click()
        # The click starts a navigation; wait for the status page before reading it.
        expect(page.locator(".share-original")).to_be_attached()
        assert tripped(page) == {"xss": [], "csp": []}, group
        assert text_of(page, ".share-original") == clean(form["story"])
        each_shown(group, text_of(page, ".share-original"))
        logwatch.remember(form["story"], page.url.rsplit("/", 1)[1])
    assert page.dialogs == [] and page.problems == []


def test_the_tripwire_catches_a_payload_that_runs(open_page) -> None:  # type: ignore[no-untyped-def]
    """The control: on a page without our escaping and CSP, the same kind of payload is caught."""
    page = open_page("desktop")
    page.set_content('<img src="x" onerror="alert(1)"><script>confirm(2)</script>')
    page.wait_for_function("() => window.__xss.length >= 2")
    assert sorted(tripped(page)["xss"]) == ["alert:1", "confirm:2"]
