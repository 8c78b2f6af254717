"""The story form: what it offers, what it stores, and what it refuses to store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from share_helpers import STORY, fresh, stored
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Facility, Submission
from testimonials.vocab import (
    CareType,
    Flag,
    Language,
    Outcome,
    Reporter,
    Status,
    Unit,
    WaitKind,
    WaitState,
)
from tests import builders


def count(session: Session) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Submission)) or 0


def test_form_groups_active_facilities_by_region(client: FlaskClient, session: Session,
                                                 place: Facility) -> None:
    retired = builders.facility(session, name="Closed Clinic", city="Hayward")
    retired.active = False
    merged = builders.facility(session, name="Old Name Clinic", city="Fremont")
    merged.merged_into_id = place.id
    builders.facility(session, name="Sacramento Clinic", city="Sacramento", region="Sacramento")
    session.commit()
    client.post("/share/start")
    response = client.get("/share/where")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert '<optgroup label="East Bay">' in page and '<optgroup label="Sacramento">' in page
    assert "Oakland Medical Center" in page
    assert "Closed Clinic" not in page and "Old Name Clinic" not in page
    assert 'value="other"' in page
    assert "call or text 988" in client.get("/share").get_data(as_text=True)  # always there


def test_honeypot_is_hidden_from_people_and_screen_readers(client: FlaskClient) -> None:
    client.post("/share/start")
    page = client.get("/share/story").get_data(as_text=True)
    start = page.index('class="share-trap"')
    trap = page[page.rindex("<div", 0, start):page.index("</div>", start)]
    assert 'aria-hidden="true"' in trap
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_story_is_stored_with_every_answer(client: FlaskClient, session: Session, share: Any,
                                           place: Facility) -> None:
    token = share()
    row = stored(session, token)
    assert row.status is Status.PENDING
    assert row.original_story == STORY  # exactly as typed: "<3" and "&" kept
    assert row.original_title == "Three months"
    assert row.public_story is None and row.public_title is None
    assert row.reporter is Reporter.PARENT
    assert (row.facility_id, row.region_id, row.facility_other) == (place.id, place.region_id, None)
    assert row.care_types == CareType.INDIVIDUAL | CareType.CHILD
    assert row.outcomes == Outcome.GOT_WORSE | Outcome.EMERGENCY_ROOM
    assert row.experience_month == dt.date(2025, 3, 1)
    assert (row.consent_publish, row.consent_stats, row.consent_share, row.consent_contact) == (
        True, True, False, True)
    assert (row.display_name, row.email) == ("Ana", "ana@example.org")
    assert row.language is Language.EN
    waits = {w.kind: (w.state, w.days, w.amount, w.unit) for w in row.waits}
    assert waits == {
        WaitKind.INTAKE: (WaitState.ENDED, 21, Decimal(3), Unit.WEEKS),
        WaitKind.FIRST_RETURN: (WaitState.WAITING, 61, Decimal(2), Unit.MONTHS),
        WaitKind.BETWEEN_RETURNS: (WaitState.GAVE_UP, None, None, None),
    }
    assert len(row.token_hash) == 64 and token not in row.token_hash


def test_receipt_shows_the_private_link_and_is_not_cached(client: FlaskClient, share: Any) -> None:
    token = share()
    response = client.get(f"/my/{token}/receipt")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert f"http://localhost/my/{token}" in page
    assert "Call 988" not in page  # no crisis language in this story


def test_crisis_story_is_urgent_and_receipt_shows_988(client: FlaskClient, session: Session,
                                                      share: Any) -> None:
    token = share({"story": STORY + " Some nights I want to kill myself."})
    row = stored(session, token)
    assert row.is_urgent and row.has_flag(Flag.CRISIS)
    page = client.get(f"/my/{token}/receipt").get_data(as_text=True)
    assert 'href="tel:988"' in page and 'href="sms:988"' in page
    assert "press 2" in page


def test_spanish_page_stores_spanish_and_speaks_it(client: FlaskClient, session: Session,
                                                   share: Any) -> None:
    token = share({"story": STORY + " Quería quitarme la vida."},
                  headers={"Accept-Language": "es-MX"})
    row = stored(session, token)
    assert row.language is Language.ES and row.is_urgent
    page = client.get(f"/my/{token}/receipt", headers={"Accept-Language": "es"}).get_data(
        as_text=True)
    assert "Línea 988 de Prevención del Suicidio y Crisis" in page
    assert "marca 2" in page


def test_markup_is_stripped_and_any_script_kept(share: Any, session: Session,
                                                client: FlaskClient) -> None:
    story = "<script>alert(1)</script><b>Esperé</b> 三个月 😔 — I waited <3 months & cried, again."
    token = share({"story": story, "title": "<i>Título</i> 😔"})
    row = stored(session, token)
    assert row.original_story == "alert(1)Esperé 三个月 😔 — I waited <3 months & cried, again."
    assert row.original_title == "Título 😔"
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "I waited &lt;3 months &amp; cried" in page and "<script>" not in page


def test_personal_data_is_flagged(share: Any, session: Session) -> None:
    token = share({"story": STORY + " Call me at 510-555-0142, ask for Maria Gonzalez."})
    assert stored(session, token).has_flag(Flag.PERSONAL_DATA)


def test_other_facility_keeps_its_name(share: Any, session: Session) -> None:
    token = share({"facility": "other", "facility_other": "Clínica del Valle"})
    row = stored(session, token)
    assert (row.facility_id, row.region_id, row.facility_other) == (None, None, "Clínica del Valle")


def test_empty_optional_answers_are_stored_as_nothing(share: Any, session: Session) -> None:
    token = share({"facility": "", "care_types": [], "outcomes": [], "month": "", "year": "",
                   "intake-state": "none", "intake-amount": "5", "first_return-state": "",
                   "first_return-amount": "", "between_returns-state": "",
                   "display_name": "  ", "email": "", "consent_contact": "", "title": ""})
    row = stored(session, token)
    assert row.waits == [] and row.experience_month is None and row.facility_id is None
    assert (row.display_name, row.email, row.original_title) == (None, None, None)


def test_honeypot_answers_like_success_and_stores_nothing(client: FlaskClient, session: Session,
                                                          form_data: dict[str, Any]) -> None:
    response = client.post("/share", data={**form_data, "website": "http://spam.example"})
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    assert count(session) == 0


def test_same_text_within_a_day_is_not_stored_twice(client: FlaskClient, session: Session,
                                                    share: Any, form_data: dict[str, Any]) -> None:
    share()
    again = {**form_data, "story": "  " + STORY.upper() + "\n", "title": "Another title"}
    response = client.post("/share", data=again)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/share/already-received")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We already have this story" in page
    assert count(session) == 1


def test_same_text_after_a_day_is_stored_and_flagged(share: Any, session: Session) -> None:
    first = stored(session, share())
    first.created_at -= dt.timedelta(hours=25)
    session.commit()
    second = stored(session, share())
    assert second.id != first.id and second.has_flag(Flag.DUPLICATE)
    assert not first.has_flag(Flag.DUPLICATE)


def test_submission_is_audited_without_its_words(share: Any, session: Session) -> None:
    row = stored(session, share())
    entries = session.scalars(select(AuditEntry).where(AuditEntry.submission_id == row.id)).all()
    assert [(e.action, e.actor_id, e.actor_label) for e in entries] == [
        ("submit", None, "patient")]
    assert "cried" not in repr(entries[0].after) and "ana@" not in repr(entries[0].after)


def test_spanish_form_speaks_spanish_with_its_messages(client: FlaskClient,
                                                      form_data: dict[str, Any]) -> None:
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    client.post("/share/start", headers=spanish)
    page = "".join(client.get(path, headers=spanish).get_data(as_text=True) for path in (
        "/share", "/share/story", "/share/consent", "/share/wait-intake", "/share/check"))
    for words in ("Cuéntanos qué pasó", "Primera cita (de admisión)", "Todavía estoy esperando",
                  "Publicar mi historia en este sitio", "Enviar mi historia",
                  "marca 2 para español"):
        assert words in page, words
    data = {**form_data, "story": "", "first_return-amount": "", "year": "1999",
            "consent_publish": "", "consent_stats": ""}
    page = client.post("/share", data=data, headers=spanish).get_data(as_text=True)
    for words in ("Hay un problema", "Cuéntanos qué pasó.", "cuánto tiempo llevas esperando",
                  "a partir del 2000", "Marca al menos una"):
        assert words in page, words
    assert "Tell us" not in page and "Enter " not in page


def test_an_email_without_contact_consent_is_not_stored(client: FlaskClient, share: Any,
                                                        session: Session,
                                                        form_data: dict[str, Any]) -> None:
    token = share({"email": "maria@example.org", "consent_contact": ""})
    assert stored(session, token).email is None
    # Nor when the patient unticks the box later: the address goes with the consent.
    token = share({"email": "rosa@example.org", "consent_contact": "y",
                   "story": STORY + " Another one."})
    assert stored(session, token).email == "rosa@example.org"
    changed = {**form_data, "story": STORY + " Another one.", "email": "rosa@example.org",
               "consent_contact": ""}
    assert client.post(f"/my/{token}/edit", data=changed).status_code == 303
    assert stored(session, token).email is None


def test_characters_xml_forbids_are_dropped_so_the_feed_still_parses(
        client: FlaskClient, share: Any, session: Session) -> None:
    from xml.etree import ElementTree

    from share_helpers import approve

    typed = "I waited \uffff three months\ufffe for \U0001fffe a first \x0b appointment\ufdd0."
    token = share({"story": typed + " " + STORY, "title": "Months\uffff"})
    row = stored(session, token)
    assert row.original_story.startswith("I waited  three months for  a first  appointment.")
    approve(session, row)
    session.commit()
    feed = client.get("/stories.atom")
    assert feed.status_code == 200
    root = ElementTree.fromstring(feed.get_data())  # raises on any character XML forbids
    assert any("three months for" in (node.text or "") for node in root.iter())
