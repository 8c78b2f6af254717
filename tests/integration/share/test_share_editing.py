"""The patient's edit on the journey's pages: /my/<token>/edit shows the story as stored to
check, each question page is prefilled, the first change starts a draft, then Save; never
offered and waits longer than two years read back as they were given."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from journey_helpers import answer, token_of
from share_helpers import STORY, error_links, fresh, stored
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Draft
from testimonials.vocab import WaitKind, WaitState


def drafts_stored(session: Session) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Draft)) or 0


def save(client: FlaskClient, token: str) -> Any:
    page = client.get(f"/my/{token}/edit/check").get_data(as_text=True)
    body = {"csrf_token": token_of(page)} if 'name="csrf_token"' in page else {}
    return client.post(f"/my/{token}/edit/check", data=body)


def test_an_edit_walks_the_question_pages_then_saves(client: FlaskClient, session: Session,
                                                     share: Any) -> None:
    token = share()
    check = client.get(f"/my/{token}/edit").get_data(as_text=True)
    assert "Check your changes" in check and drafts_stored(session) == 0  # a GET writes nothing
    assert f'href="/my/{token}/edit/wait-intake?change=1#intake-state-0"' in check
    page = client.get(f"/my/{token}/edit/wait-intake?change=1").get_data(as_text=True)
    assert 'name="intake-state" value="ended" checked' in page
    assert f'href="/my/{token}/edit/check" class="back-link"' in page
    changed = answer(client, "wait-intake", {"intake-state": "never_offered"},
                     query="?change=1", base=f"/my/{token}/edit")
    assert changed.headers["Location"] == f"/my/{token}/edit/check"
    assert "Never offered one" in client.get(f"/my/{token}/edit/check").get_data(as_text=True)
    before = {wait.kind: wait.state for wait in stored(session, token).waits}
    assert before[WaitKind.INTAKE] is WaitState.ENDED  # nothing saved yet
    saved = save(client, token)
    assert saved.status_code == 303 and saved.headers["Location"] == f"/my/{token}"
    waits = {wait.kind: wait for wait in stored(session, token).waits}
    assert (waits[WaitKind.INTAKE].state, waits[WaitKind.INTAKE].days) == (
        WaitState.NEVER_OFFERED, None)
    assert drafts_stored(session) == 0  # the edit's draft erased on Save
    status = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Your changes are saved" in status and "Never offered an appointment" in status
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert set(entry.after) == {"waits"}


def test_an_edit_with_a_problem_is_not_saved_and_says_where(client: FlaskClient,
                                                            session: Session, share: Any) -> None:
    token = share()
    answer(client, "story", {"story": STORY + " Edited."}, base=f"/my/{token}/edit")
    draft = drafts_stored(session)
    with session.begin_nested():
        row = session.scalars(select(Draft)).one()
        row.answers = {**row.answers, "story": "Short now"}
    session.commit()
    refused = save(client, token)
    assert refused.status_code == 200 and draft == 1
    assert ("story", "Please tell us a little more: at least 50 characters (you wrote 9).") in \
        error_links(refused.get_data(as_text=True))
    assert stored(session, token).original_story == STORY


def test_an_edit_can_be_cancelled_and_its_draft_is_erased(client: FlaskClient,
                                                          session: Session, share: Any) -> None:
    token = share()
    answer(client, "about", {"display_name": "Bea", "email": "ana@example.org"},
           base=f"/my/{token}/edit")
    assert drafts_stored(session) == 1
    page = client.get(f"/my/{token}/edit/check").get_data(as_text=True)
    assert "Cancel, and keep my story as it was" in page
    body = {"csrf_token": token_of(page)} if 'name="csrf_token"' in page else {}
    response = client.post(f"/my/{token}/edit/discard", data=body)
    assert response.headers["Location"] == f"/my/{token}" and drafts_stored(session) == 0


def test_an_edits_draft_opens_no_other_story(client: FlaskClient, share: Any) -> None:
    first, second = share(), share({"story": "Another one. " + STORY})
    answer(client, "about", {"display_name": "Bea", "email": "ana@example.org"},
           base=f"/my/{first}/edit")
    cookie = client.get_cookie("waitline_edit", path=f"/my/{first}/edit")
    assert cookie is not None
    client.set_cookie("waitline_edit", cookie.value, path=f"/my/{second}/edit")
    page = client.get(f"/my/{second}/edit/check").get_data(as_text=True)
    assert "Another one." in page and "Bea" not in page  # the second story, as stored


def test_a_wait_longer_than_two_years_is_kept_as_typed_and_counted_as_730_days(
        client: FlaskClient, session: Session, share: Any) -> None:
    token = share({"intake-state": "waiting", "intake-amount": "36", "intake-unit": "months"})
    intake = {wait.kind: wait for wait in stored(session, token).waits}[WaitKind.INTAKE]
    assert (intake.days, int(intake.amount or 0), intake.unit.value if intake.unit else None) == (
        730, 36, "months")
    status = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Still waiting: 36 months (730 days or more) so far" in status
    check = client.get(f"/my/{token}/edit").get_data(as_text=True)
    assert "36 months (730 days or more)" in check
    spanish = client.get(f"/my/{token}", headers={"Accept-Language": "es"}).get_data(
        as_text=True)
    assert "730 días o más" in spanish


def test_a_single_post_edit_that_is_refused_becomes_a_draft_of_the_edit(
        client: FlaskClient, session: Session, share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    response = client.post(f"/my/{token}/edit", data={**form_data, "month": "13"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Check your changes" in page
    assert ("month", "Enter the month as a number from 1 to 12.") in error_links(page)
    assert f'href="/my/{token}/edit/where?change=1#month"' in page
    where = client.get(f"/my/{token}/edit/where?change=1").get_data(as_text=True)
    assert 'value="13"' in where and "from 1 to 12" in where
