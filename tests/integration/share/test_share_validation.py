"""Bad answers: each is refused with a kind message at its field, nothing typed is lost, no 500.

A whole story sent in one POST that cannot be taken becomes a draft on the journey's check
page, each message linked to the question page that changes it, which shows it at its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from share_helpers import error_hrefs, error_links, fresh
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import Submission

NEXT_MONTH = (dt.date.today().replace(day=1) + dt.timedelta(days=32))

# (what is wrong, fields changed, field the message is linked to, words of the message)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("no story", {"story": ""}, "story", "Tell us what happened"),
    ("story of spaces and markup", {"story": "  <p> </p>  "}, "story", "Tell us what happened"),
    ("story too short", {"story": "Too short."}, "story", "at least 50 characters"),
    ("story too long", {"story": "a" * 10_001}, "story", "at most 10,000 characters"),
    ("title too long", {"title": "t" * 121}, "title", "at most 120 characters"),
    ("no reporter", {"reporter": ""}, "reporter-0", "who is telling"),
    ("unknown reporter", {"reporter": "robot"}, "reporter-0", "who is telling"),
    ("unknown facility id", {"facility": "999999"}, "facility", "Choose a clinic"),
    ("facility not a number", {"facility": "1 OR 1=1"}, "facility", "Choose a clinic"),
    ("other name too long", {"facility": "other", "facility_other": "x" * 201},
     "facility_other", "at most 200"),
    ("unknown care type", {"care_types": ["individual", "astrology"]}, "care_types-0",
     "Choose from the list"),
    ("unknown outcome", {"outcomes": ["won_lottery"]}, "outcomes-0", "Choose from the list"),
    ("future month", {"month": str(NEXT_MONTH.month), "year": str(NEXT_MONTH.year)}, "year",
     "cannot be in the future"),
    ("before 2000", {"month": "5", "year": "1999"}, "year", "from 2000 on"),
    ("month 13", {"month": "13", "year": "2024"}, "month", "from 1 to 12"),
    ("month not a number", {"month": "May", "year": "2024"}, "month", "from 1 to 12"),
    ("month without year", {"month": "5", "year": ""}, "year", "Enter the year too"),
    ("year without month", {"month": "", "year": "2024"}, "month", "Enter the month too"),
    ("year in words", {"month": "5", "year": "twenty"}, "year", "four digits"),
    ("wait of 101 years", {"intake-amount": "1300", "intake-unit": "months"}, "intake-amount",
     "more than a hundred years"),
    ("absurd wait", {"intake-amount": "9" * 40, "intake-unit": "days"}, "intake-amount",
     "more than a hundred years"),
    ("negative wait", {"intake-amount": "-3"}, "intake-amount", "less than zero"),
    ("wait in words", {"intake-amount": "three"}, "intake-amount", "as a number"),
    ("wait without unit", {"intake-unit": ""}, "intake-unit", "days, weeks or months"),
    ("unknown unit", {"intake-unit": "fortnights"}, "intake-unit", "days, weeks or months"),
    ("unknown wait state", {"intake-state": "teleported"}, "intake-state-0",
     "Choose one of the answers"),
    ("still waiting without time so far",
     {"first_return-state": "waiting", "first_return-amount": ""}, "first_return-amount",
     "how long you have been waiting so far"),
    ("got it, but how long", {"intake-state": "ended", "intake-amount": ""}, "intake-amount",
     "how long you waited"),
    ("neither publish nor statistics", {"consent_publish": "", "consent_stats": ""},
     "consent_publish", "Tick at least one"),
    ("contact without e-mail", {"consent_contact": "y", "email": ""}, "email",
     "so that we can contact you"),
    ("bad e-mail", {"email": "ana at example"}, "email", "like name@example.com"),
    ("e-mail too long", {"email": "a" * 250 + "@example.org"}, "email", "like name@example.com"),
    ("display name too long", {"display_name": "n" * 81}, "display_name", "at most 80"),
]


def stored_count(session: Session) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Submission)) or 0


@pytest.mark.parametrize(("changes", "target", "words"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_answer_is_refused_with_its_message(client: FlaskClient, session: Session,
                                                form_data: dict[str, Any], changes: dict[str, Any],
                                                target: str, words: str) -> None:
    response = client.post("/share", data={**form_data, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Check your answers" in page
    links = error_links(page)
    assert any(t == target and words in message for t, message in links), links
    href = next(href for href, message in error_hrefs(page) if href.endswith(f"#{target}"))
    question = client.get(href.split("#")[0]).get_data(as_text=True)
    assert f'id="{target}"' in question  # the summary links to a real field
    assert 'class="field-error"' in question and words in question
    assert stored_count(session) == 0


def test_every_value_comes_back_after_an_error(client: FlaskClient,
                                               form_data: dict[str, Any]) -> None:
    data = {**form_data, "consent_publish": "", "consent_stats": "",
            "story": form_data["story"] + " \"quoted\" 😔", "facility_other": "Clínica"}
    check = client.post("/share", data=data).get_data(as_text=True)
    assert "I waited &lt;3 months &amp; cried" in check and "Tick at least one" in check
    # Every answer kept, on the question page that asks it (the draft the refusal made).
    page = "".join(client.get(f"/share/{step}").get_data(as_text=True) for step in (
        "story", "consent", "where", "care", "wait-intake", "wait-first_return", "outcomes",
        "about"))
    assert "&#34;quoted&#34; 😔" in page
    assert 'value="Three months"' in page and 'value="Clínica"' in page
    assert f'value="{form_data["facility"]}" selected' in page
    for name, value in [("reporter", "parent"), ("care_types", "individual"),
                        ("care_types", "child"), ("outcomes", "got_worse"),
                        ("intake-state", "ended"), ("first_return-state", "waiting")]:
        assert f'name="{name}" value="{value}" checked' in page, (name, value)
    assert 'name="intake-amount" value="3"' in page
    assert '<option value="months" selected>' in page
    assert 'name="month" value="3"' in page and 'name="year" value="2025"' in page
    assert 'name="consent_contact" value="y" checked' in page
    assert 'value="Ana"' in page and 'value="ana@example.org"' in page


@pytest.mark.parametrize("data", [
    {},  # nothing at all
    {"story": ["one", "two"], "care_types": "individual", "consent_publish": "banana"},
    {"story": "\x00\ufffe\u200b" * 40, "reporter": "patient", "consent_stats": "y"},
    {"intake-amount": "１０", "intake-unit": "days"},  # full-width digits
    {"intake-amount": "NaN", "first_return-amount": "1e9", "psychiatry-amount": "inf"},
    {"month": "٣", "year": "٢٠٢٤"},  # Arabic-Indic digits
])
def test_malformed_posts_never_fail(client: FlaskClient, data: dict[str, Any]) -> None:
    response = client.post("/share", data=data)
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_malformed_bytes_are_answered_not_crashed(client: FlaskClient) -> None:
    body = b"story=%FF%FE%ED%A0%80" + b"x" * 60 + b"&reporter=%C0%AF&consent_stats=y"
    response = client.post("/share", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 303)


def test_oversized_request_is_refused_kindly(client: FlaskClient) -> None:
    response = client.post("/share", data={"story": "x" * 300_000})
    assert response.status_code == 413


def test_a_wait_of_730_days_and_a_half_week_are_fine(client: FlaskClient, session: Session,
                                                     form_data: dict[str, Any]) -> None:
    response = client.post("/share", data={**form_data, "intake-amount": "24",
                                           "intake-unit": "months",
                                           "first_return-amount": "2,5",
                                           "first_return-unit": "weeks"})
    assert response.status_code == 303
    assert stored_count(session) == 1
