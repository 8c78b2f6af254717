"""The staged journey at /share: pages one topic each, the draft on the server, Back, Skip,
Change, check your answers and Send; errors kept per page; the draft erased when it is done."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from journey_helpers import CRISIS, REQUIRED, answer, send, start
from share_helpers import STORY, TOKEN_IN_LOCATION, error_links, fresh, stored
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import create_app, db
from testimonials.models import Draft, Facility, Submission
from testimonials.vocab import CareType, Reporter, WaitKind, WaitState


def drafts_stored(session: Session) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Draft)) or 0


def test_start_page_says_what_happens_and_links_the_trust_pages(client: FlaskClient) -> None:
    response = client.get("/share")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "one question at a time" in page and "A moderator reads every story" in page
    assert "5 to 10 minutes" in page
    assert 'href="/about/privacy"' in page and 'href="/about/moderation"' in page
    assert 'action="/share/start"' in page


def test_required_answers_alone_make_a_story_and_the_draft_is_erased(
        client: FlaskClient, session: Session) -> None:
    start(client)
    assert drafts_stored(session) == 1
    for step, data in REQUIRED:
        assert answer(client, step, data).status_code == 303
    # Every optional page can be skipped: its "Skip" link leads on.
    page = client.get("/share/where").get_data(as_text=True)
    assert 'href="/share/care">Skip this question' in page
    sent = send(client)
    assert sent.status_code == 303
    found = TOKEN_IN_LOCATION.search(sent.headers["Location"])
    assert found
    row = stored(session, found.group(1))
    assert row.original_story == STORY and row.reporter is Reporter.PATIENT
    assert row.consent_stats and not row.consent_publish and row.email is None
    assert drafts_stored(session) == 0
    assert "waitline_draft=;" in sent.headers["Set-Cookie"]


def test_each_page_keeps_what_was_typed_with_a_message_and_saves_nothing(
        client: FlaskClient, session: Session) -> None:
    start(client)
    bad = {
        "story": {"story": "Too short <b>really</b>"},
        "consent": {"consent_share": "y"},
        "where": {"month": "13", "year": "2025", "facility": "999999"},
        "care": {"care_types": ["individual", "made-up"]},
        "wait-intake": {"intake-state": "waiting", "intake-amount": "", "intake-unit": "weeks"},
        "outcomes": {"outcomes": ["nonsense"]},
    }
    for step, data in bad.items():
        response = answer(client, step, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, step
        assert response.headers["Cache-Control"] == "no-store"
        assert "There is a problem" in page and error_links(page), step
    page = answer(client, "story", {"story": "Too short <b>really</b>"}).get_data(as_text=True)
    assert "Too short &lt;b&gt;really&lt;/b&gt;" in page
    assert "at least 50 characters" in page
    fresh(session)
    draft = session.scalars(select(Draft)).one()
    assert "story" not in draft.answers  # nothing of a page with a problem was saved


def test_email_is_asked_only_with_contact_me_and_then_required(client: FlaskClient) -> None:
    start(client)
    answer(client, "story", {"story": STORY})
    answer(client, "consent", {"consent_stats": "y", "reporter": "patient"})
    assert 'name="email"' not in client.get("/share/about").get_data(as_text=True)
    answer(client, "consent", {"consent_stats": "y", "consent_contact": "y",
                               "reporter": "patient"})
    response = answer(client, "about", {"display_name": "Ana", "email": ""})
    assert "Enter your e-mail address" in response.get_data(as_text=True)
    assert 'value="Ana"' in response.get_data(as_text=True)


def test_waits_are_asked_only_for_the_care_chosen(client: FlaskClient) -> None:
    start(client)
    answer(client, "story", {"story": STORY})
    answer(client, "consent", {"consent_stats": "y", "reporter": "patient"})
    answer(client, "where", {})
    assert answer(client, "care", {"care_types": ["psychiatry"]}).headers["Location"] == \
        "/share/wait-intake"
    assert answer(client, "wait-intake", {}).headers["Location"] == "/share/wait-psychiatry"
    assert client.get("/share/wait-first_return").headers["Location"] == "/share/check"
    check = client.get("/share/check").get_data(as_text=True)
    assert "Psychiatry appointment" in check and "First appointment" in check
    assert "First follow-up" not in check


def test_back_on_every_page_shows_the_saved_answers(client: FlaskClient, place: Facility) -> None:
    start(client)
    answers = [
        ("story", {"story": STORY, "title": "Three months"}),
        ("consent", {"consent_publish": "y", "reporter": "parent"}),
        ("where", {"facility": str(place.id), "month": "3", "year": "2025"}),
        ("care", {"care_types": ["individual"]}),
        ("wait-intake", {"intake-state": "ended", "intake-amount": "3", "intake-unit": "weeks"}),
        ("wait-first_return", {"first_return-state": "never_offered"}),
        ("wait-between_returns", {}),
        ("outcomes", {"outcomes": ["got_worse"]}),
        ("about", {"display_name": "Ana"}),
    ]
    for step, data in answers:
        assert answer(client, step, data).status_code == 303, step
    # Back from each page is a link to the page before, which shows what was saved.
    expected = {
        "story": "Three months", "consent": 'value="parent" checked',
        "where": f'value="{place.id}" selected', "care": 'value="individual" checked',
        "wait-intake": 'value="3"', "wait-first_return": 'value="never_offered" checked',
        "outcomes": 'value="got_worse" checked', "about": 'value="Ana"',
    }
    order = [step for step, _data in answers]
    for earlier, later in zip(order, order[1:], strict=False):
        page = client.get(f"/share/{later}").get_data(as_text=True)
        assert f'href="/share/{earlier}" class="back-link"' in page, later
        if earlier in expected:
            assert expected[earlier] in client.get(f"/share/{earlier}").get_data(as_text=True)
    assert 'href="/share" class="back-link"' in client.get("/share/story").get_data(as_text=True)


def test_change_returns_to_the_check_page_after_saving(client: FlaskClient,
                                                      session: Session) -> None:
    start(client)
    for step, data in REQUIRED:
        answer(client, step, data)
    check = client.get("/share/check").get_data(as_text=True)
    assert 'href="/share/consent?change=1#consent_publish"' in check
    response = answer(client, "consent", {"consent_stats": "y", "reporter": "family"},
                      query="?change=1")
    assert response.headers["Location"] == "/share/check"
    assert "I am another family member or carer" in client.get("/share/check").get_data(
        as_text=True)
    token = TOKEN_IN_LOCATION.search(send(client).headers["Location"])
    assert token and stored(session, token.group(1)).reporter is Reporter.FAMILY


def test_every_answer_reaches_the_stored_story(client: FlaskClient, session: Session,
                                               place: Facility) -> None:
    start(client)
    for step, data in [
        ("story", {"story": STORY}), ("consent", {"consent_stats": "y", "reporter": "patient"}),
        ("where", {"facility": str(place.id), "month": "3", "year": "2025"}),
        ("care", {"care_types": ["individual"]}),
        ("wait-intake", {"intake-state": "waiting", "intake-amount": "2",
                         "intake-unit": "months"}),
        ("wait-first_return", {"first_return-state": "never_offered"}),
        ("wait-between_returns", {}), ("outcomes", {}), ("about", {}),
    ]:
        assert answer(client, step, data).status_code == 303, step
    token = TOKEN_IN_LOCATION.search(send(client).headers["Location"])
    assert token
    row = stored(session, token.group(1))
    assert row.care_types == CareType.INDIVIDUAL and row.facility_id == place.id
    assert row.experience_month == dt.date(2025, 3, 1)
    waits = {wait.kind: wait for wait in row.waits}
    assert (waits[WaitKind.INTAKE].state, waits[WaitKind.INTAKE].days) == (WaitState.WAITING, 61)
    assert (waits[WaitKind.FIRST_RETURN].state, waits[WaitKind.FIRST_RETURN].days) == (
        WaitState.NEVER_OFFERED, None)


def test_crisis_help_comes_first_on_every_page_after_the_story(client: FlaskClient,
                                                               session: Session) -> None:
    start(client)
    short = answer(client, "story", {"story": "I want to kill myself"}).get_data(as_text=True)
    assert 'href="tel:988"' in short and 'href="sms:988"' in short
    assert short.index('href="tel:988"') < short.index("There is a problem")
    assert "I want to kill myself" in short  # never lost
    answer(client, "story", {"story": STORY + CRISIS})
    for path in ("/share/consent", "/share/where", "/share/care", "/share/wait-intake",
                 "/share/outcomes", "/share/about", "/share/check"):
        assert 'href="tel:988"' in client.get(path).get_data(as_text=True), path
    answer(client, "consent", {"consent_stats": "y", "reporter": "patient"})
    receipt = client.get(send(client).headers["Location"]).get_data(as_text=True)
    assert receipt.index('href="tel:988"') < receipt.index("Your private link")


def test_crisis_help_in_spanish(client: FlaskClient) -> None:
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    start(client, headers=spanish)
    page = answer(client, "story", {"story": "Quiero morirme"},
                  headers=spanish).get_data(as_text=True)
    assert 'href="tel:988"' in page and "Hay un problema" in page
    assert page.index('href="tel:988"') < page.index("Hay un problema")


def test_discard_erases_the_draft(client: FlaskClient, session: Session) -> None:
    start(client)
    answer(client, "story", {"story": STORY})
    assert drafts_stored(session) == 1
    assert "Continue where you left off" in client.get("/share").get_data(as_text=True)
    response = client.post("/share/discard")
    assert response.status_code == 303 and drafts_stored(session) == 0
    assert client.get("/share/consent").headers["Location"] == "/share"


def test_draft_cookie_holds_only_a_random_id_and_the_table_only_its_hash(
        client: FlaskClient, session: Session) -> None:
    response = client.post("/share/start")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/share" in cookie
    raw = cookie.split("=", 1)[1].split(";", 1)[0]
    assert len(raw) >= 43  # 256 bits, base64
    answer(client, "story", {"story": STORY})
    fresh(session)
    draft = session.scalars(select(Draft)).one()
    assert draft.id_hash != raw and raw not in str(draft.answers)
    assert STORY == draft.answers["story"] and "ip" not in {c.name for c in Draft.__table__.c}


def test_double_tap_on_send_leads_to_one_story_and_one_receipt(client: FlaskClient,
                                                               session: Session) -> None:
    start(client)
    for step, data in REQUIRED:
        answer(client, step, data)
    page = client.get("/share/check").get_data(as_text=True)
    nonce = page.split('name="nonce" value="', 1)[1].split('"', 1)[0]
    first = client.post("/share/check", data={"nonce": nonce})
    second = client.post("/share/check", data={"nonce": nonce})  # the draft is gone by now
    assert first.headers["Location"] == second.headers["Location"]
    fresh(session)
    assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_same_story_sent_again_soon_is_a_duplicate(client: FlaskClient, share: Any) -> None:
    share()
    start(client)
    for step, data in REQUIRED:
        answer(client, step, data)
    assert send(client).headers["Location"] == "/share/already-received"


def test_honeypot_on_a_page_stores_nothing(client: FlaskClient, session: Session) -> None:
    start(client)
    response = answer(client, "story", {"story": STORY, "website": "http://spam.example"})
    assert response.headers["Location"] == "/share/received"
    fresh(session)
    assert "story" not in session.scalars(select(Draft)).one().answers


def test_send_without_story_points_to_the_page_that_needs_it(client: FlaskClient) -> None:
    start(client)
    page = send(client).get_data(as_text=True)
    assert 'href="/share/story?change=1#story"' in page
    assert 'href="/share/consent?change=1#reporter-0"' in page


def test_mistyped_receipt_link_explains_what_a_link_looks_like(client: FlaskClient) -> None:
    response = client.get("/my/not-a-real-link")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"  # a page a browser shows, not its source
    assert "43 letters" in page and 'href="/about/contact"' in page


def test_trust_pages_exist_in_both_languages_and_every_footer_links_them(
        client: FlaskClient) -> None:
    for page_name in ("who", "privacy", "moderation", "accessibility", "contact"):
        assert client.get(f"/about/{page_name}").status_code == 200
        spanish = client.get(f"/about/{page_name}?lang=es").get_data(as_text=True)
        assert "Sobre este sitio" in spanish
    for path in ("/", "/stories", "/stats", "/share"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/about/privacy"' in page and 'href="/about/accessibility"' in page, path


def test_receipt_mails_the_link_once_without_keeping_the_address(
        client: FlaskClient, session: Session, app: Flask, caplog: Any) -> None:
    start(client)
    for step, data in REQUIRED:
        answer(client, step, data)
    receipt = send(client).headers["Location"]
    token = receipt.split("/")[2]
    bad = client.post(f"/my/{token}/send-link", data={"email": "not an address"})
    assert bad.status_code == 400 and 'value="not an address"' in bad.get_data(as_text=True)
    with client.post(f"/my/{token}/send-link", data={"email": "me@example.org"}) as sent:
        assert sent.status_code == 303
    assert "me@example.org" not in caplog.text and token not in caplog.text
    row = stored(session, token)
    assert row.email is None


@pytest.fixture
def strict(database_url: str) -> Iterator[Flask]:
    """The app with CSRF and the limiter on, 1 story an hour."""
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True,
                      "SUBMIT_RATE_LIMIT": "1 per hour"})
    yield app
    app.extensions["waitline.engine"].dispose()


def test_stale_token_on_a_page_answers_400_with_everything_kept(strict: Flask) -> None:
    client = strict.test_client()
    start(client)
    response = client.post("/share/story", data={"story": STORY + " Kept.", "csrf_token": "old"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in page
    assert "Kept." in page and 'name="csrf_token"' in page
    with strict.app_context():
        assert "story" not in db.session().scalars(select(Draft)).one().answers
    assert answer(client, "story", {"story": STORY}).status_code == 303  # the new token works


def test_send_is_rate_limited_and_the_answers_wait(strict: Flask) -> None:
    client = strict.test_client()
    for number in (1, 2):
        start(client)
        answer(client, "story", {"story": f"{STORY} Story number {number}."})
        answer(client, "consent", {"consent_stats": "y", "reporter": "patient"})
        response = send(client)
        if number == 1:
            assert response.status_code == 303
    assert response.status_code == 429
    assert "Please wait a little before sending" in response.get_data(as_text=True)
    assert "Story number 2." in client.get("/share/story").get_data(as_text=True)  # kept whole


def test_check_page_notes_personal_details_before_send(client: FlaskClient) -> None:
    start(client)
    answer(client, "story", {"story": STORY + " Call me on 415-555-0134 any day."})
    page = client.get("/share/check").get_data(as_text=True)
    assert "you can remove them now" in page and 'href="/share/story?change=1#story"' in page
    plain = client.application.test_client()  # another patient, another draft
    start(plain)
    answer(plain, "story", {"story": STORY})
    assert "you can remove them now" not in plain.get("/share/check").get_data(as_text=True)


def test_stale_token_on_send_answers_400_and_keeps_the_draft(strict: Flask) -> None:
    client = strict.test_client()
    start(client)
    for step, data in REQUIRED:
        answer(client, step, data)
    page = client.get("/share/check").get_data(as_text=True)
    nonce = page.split('name="nonce" value="', 1)[1].split('"', 1)[0]
    response = client.post("/share/check", data={"nonce": nonce, "csrf_token": "stale"})
    assert response.status_code == 400
    assert "Your session expired" in response.get_data(as_text=True)
    assert send(client).status_code == 303  # the answers were all still there


def test_error_summary_follows_the_page_order(client: FlaskClient) -> None:
    start(client)
    page = answer(client, "consent", {}).get_data(as_text=True)
    assert [target for target, _message in error_links(page)] == ["consent_publish", "reporter-0"]


def test_no_draft_text_or_id_reaches_the_logs(client: FlaskClient, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    raw = client.post("/share/start").headers["Set-Cookie"].split("=", 1)[1].split(";", 1)[0]
    answer(client, "story", {"story": STORY + CRISIS})
    answer(client, "consent", {"consent_stats": "y", "consent_contact": "y",
                               "reporter": "patient"})
    answer(client, "about", {"email": "secret-address@example.org"})
    answer(client, "story", {"story": "short but private"})
    send(client)
    for secret in ("waited", "kill myself", "secret-address", "short but private", raw):
        assert secret not in caplog.text, secret
