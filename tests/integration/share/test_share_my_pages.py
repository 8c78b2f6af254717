"""The private pages under /my/<token>: status, edit, wait ended, complaint, withdraw."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from share_helpers import STORY, approve, error_links, fresh, stats_are_exact, stored
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Facility, StatCell
from testimonials.vocab import Flag, Status, WaitKind, WaitState


def counted_respondents(session: Session) -> int:
    fresh(session)
    cell = session.get(StatCell, ("all", "respondents", -1))
    return cell.count if cell else 0


def test_unknown_token_is_a_plain_404(client: FlaskClient) -> None:
    for path in ("/my/nope", "/my/" + "A" * 43, "/my/" + "A" * 43 + "/edit",
                 "/my/" + "A" * 500 + "/complaint"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["", "/receipt", "/edit", "/edit/where", "/wait-ended",
                                  "/complaint", "/withdraw"])
def test_every_private_page_is_not_cached(client: FlaskClient, share: Any, path: str) -> None:
    response = client.get(f"/my/{share()}{path}", follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["", "/receipt", "/edit", "/edit/where", "/wait-ended",
                                  "/complaint", "/withdraw"])
def test_every_private_page_asks_not_to_be_indexed(client: FlaskClient, share: Any,
                                                   path: str) -> None:
    response = client.get(f"/my/{share()}{path}", follow_redirects=True)
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)


def test_unknown_private_pages_ask_not_to_be_indexed(client: FlaskClient) -> None:
    response = client.get("/my/" + "A" * 43)
    assert response.status_code == 404
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_public_form_may_be_indexed(client: FlaskClient) -> None:
    response = client.get("/share")
    assert "X-Robots-Tag" not in response.headers
    assert 'name="robots"' not in response.get_data(as_text=True)


def test_pending_status_shows_the_story_as_typed(client: FlaskClient, share: Any) -> None:
    page = client.get(f"/my/{share()}").get_data(as_text=True)
    assert "Waiting for a moderator" in page
    assert "I waited &lt;3 months &amp; cried" in page
    assert "Still waiting: 2 months (61 days) so far" in page and "3 weeks (21 days)" in page


def test_approved_status_links_to_the_published_story_without_repeating_it(
        client: FlaskClient, session: Session, share: Any) -> None:
    token = share()
    row = stored(session, token)
    approve(session, row)
    row.public_story = "The edited public version."
    session.commit()
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Approved" in page and f'href="/stories/{row.id}"' in page
    assert "The edited public version." not in page


def test_rejected_status_shows_the_reason(client: FlaskClient, session: Session,
                                          share: Any) -> None:
    token = share()
    row = stored(session, token)
    row.status, row.decision_reason = Status.REJECTED, "It names a staff member <twice>."
    session.commit()
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Not published" in page and "It names a staff member &lt;twice&gt;." in page
    assert f"/my/{token}/edit" not in page


def test_edit_while_pending_changes_the_answers(client: FlaskClient, session: Session,
                                                share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    page = client.get(f"/my/{token}/edit").get_data(as_text=True)
    assert "I waited &lt;3 months &amp; cried" in page and "ana@example.org" in page
    assert "Check your changes" in page and "Save my changes" in page
    wait = client.get(f"/my/{token}/edit/wait-first_return").get_data(as_text=True)
    assert 'name="first_return-state" value="waiting" checked' in wait
    changed = {**form_data, "story": STORY + " I want to end my life.", "intake-amount": "5"}
    response = client.post(f"/my/{token}/edit", data=changed)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/my/{token}")
    row = stored(session, token)
    assert row.original_story.endswith("end my life.") and row.is_urgent
    assert {w.kind: w.days for w in row.waits}[WaitKind.INTAKE] == 35
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert set(entry.after) == {"story", "waits"} and entry.actor_label == "patient"
    assert "Your changes are saved" in client.get(f"/my/{token}").get_data(as_text=True)


def test_edit_of_an_approved_story_sends_it_back_to_the_queue(
        client: FlaskClient, session: Session, share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    approve(session, stored(session, token))
    assert counted_respondents(session) == 1
    response = client.post(f"/my/{token}/edit", data={**form_data, "title": "New title"})
    assert response.status_code == 303
    row = stored(session, token)
    assert row.status is Status.PENDING and row.published_at is None
    assert row.public_title is None and not row.counted_in_stats
    assert counted_respondents(session) == 0 and stats_are_exact(session)


def test_invalid_edit_keeps_what_was_typed(client: FlaskClient, session: Session, share: Any,
                                           form_data: dict[str, Any]) -> None:
    token = share()
    response = client.post(f"/my/{token}/edit", data={**form_data, "story": "Now too short",
                                                     "title": "Typed"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and ("story", "Please tell us a little more: at least 50 "
                                            "characters (you wrote 13).") in error_links(page)
    assert "Now too short" in page and "Typed" in page  # kept, as a draft of the edit
    story = client.get(f"/my/{token}/edit/story?change=1").get_data(as_text=True)
    assert "Now too short" in story and 'value="Typed"' in story
    assert stored(session, token).original_story == STORY


def test_wait_ended_updates_the_statistics_at_once(client: FlaskClient, session: Session,
                                                   share: Any) -> None:
    token = share()
    approve(session, stored(session, token))
    assert session.get(StatCell, ("all", "first_return:waiting", 61)) is not None
    response = client.post(f"/my/{token}/wait-ended",
                           data={"first_return-amount": "3", "first_return-unit": "months"})
    assert response.status_code == 303
    row = stored(session, token)
    wait = {w.kind: w for w in row.waits}[WaitKind.FIRST_RETURN]
    assert (wait.state, wait.days, wait.ended_reported_at is not None) == (
        WaitState.ENDED, 91, True)
    assert stats_are_exact(session)
    assert session.get(StatCell, ("all", "first_return:ended", 91)).count == 1
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "wait_ended")).one()
    assert entry.before == {"first_return": ["waiting", 61]}


@pytest.mark.parametrize(("amount", "unit", "words"), [
    ("1", "months", "shorter than the time you had already waited"),
    ("1300", "months", "more than a hundred years"),
    ("", "", "at least one of the waits"),
    ("soon", "weeks", "as a number"),
])
def test_wait_ended_refuses_impossible_totals(client: FlaskClient, session: Session, share: Any,
                                              amount: str, unit: str, words: str) -> None:
    token = share()
    response = client.post(f"/my/{token}/wait-ended",
                           data={"first_return-amount": amount, "first_return-unit": unit})
    assert response.status_code == 200
    assert any(words in message for _t, message in error_links(response.get_data(as_text=True)))
    assert {w.kind: w.state for w in stored(session, token).waits}[WaitKind.FIRST_RETURN] is \
        WaitState.WAITING


def test_complaint_summary_has_standards_and_regulator(client: FlaskClient, share: Any) -> None:
    page = client.get(f"/my/{share()}/complaint").get_data(as_text=True)
    assert "DMHC Help Center" in page and "1-888-466-2219" in page
    assert "https://www.healthhelp.ca.gov" in page
    assert "28 CCR 1300.67.2.2" in page and "1367.03" in page
    assert "10 business days" in page and "15 business days" in page and "48 hours" in page
    assert "Longer than the standard" in page  # 21 days for intake > 10 business days
    assert "Oakland Medical Center" in page and "March 2025" in page


def test_withdraw_asks_first_then_erases_everything(client: FlaskClient, session: Session,
                                                    share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    approve(session, stored(session, token))
    client.post(f"/my/{token}/wait-ended", data={"first_return-amount": "3",
                                                 "first_return-unit": "months"})
    client.post(f"/my/{token}/edit", data={**form_data, "story": STORY + " More words."})
    approve(session, stored(session, token))
    assert "Withdraw and erase my story" in client.get(f"/my/{token}/withdraw").get_data(
        as_text=True)
    assert stored(session, token).status is Status.APPROVED  # asking changed nothing
    # No reader left open, as between a site's requests: the scrub after the erasure waited
    # its full timeout (10 s) for this test's own read transaction (issue 19).
    session.rollback()
    response = client.post(f"/my/{token}/withdraw")
    assert response.status_code == 303
    row = stored(session, token)
    assert row.status is Status.WITHDRAWN and row.withdrawn_at and row.erased_at
    assert (row.original_story, row.original_title, row.public_story, row.public_title,
            row.display_name, row.email, row.published_at) == (None,) * 7
    assert not row.counted_in_stats and counted_respondents(session) == 0
    assert stats_are_exact(session)
    trail = session.scalars(select(AuditEntry).where(AuditEntry.submission_id == row.id)).all()
    assert [e.action for e in trail][-1] == "withdraw"
    assert all("cried" not in repr((e.before, e.after)) and "ana@" not in repr((e.before, e.after))
               for e in trail)
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Withdrawn and erased" in page and "cried" not in page
    assert client.get(f"/my/{token}/edit").status_code == 303
    assert client.get(f"/my/{token}/complaint").status_code == 303


def test_withdrawn_story_can_be_sent_again(client: FlaskClient, share: Any) -> None:
    token = share()
    client.post(f"/my/{token}/withdraw")
    assert share() != token  # its fingerprint went with its text


def test_duplicate_flag_survives_an_edit(client: FlaskClient, session: Session, share: Any,
                                         form_data: dict[str, Any]) -> None:
    token = share()
    row = stored(session, token)
    row.flags = int(Flag.DUPLICATE)
    session.commit()
    client.post(f"/my/{token}/edit", data={**form_data, "story": STORY + " Edited."})
    assert stored(session, token).has_flag(Flag.DUPLICATE)


def test_a_story_keeps_a_facility_retired_since(client: FlaskClient, session: Session,
                                                share: Any, form_data: dict[str, Any],
                                                place: Facility) -> None:
    token = share()
    place.active = False
    session.commit()
    page = client.get(f"/my/{token}/edit/where").get_data(as_text=True)
    assert f'<option value="{place.id}" selected>' in page
    response = client.post(f"/my/{token}/edit", data={**form_data, "title": "Still there"})
    assert response.status_code == 303
    assert stored(session, token).facility_id == place.id
    assert 'Oakland Medical Center' not in client.get("/share").get_data(as_text=True)


def test_refused_story_cannot_be_edited(client: FlaskClient, session: Session, share: Any,
                                        form_data: dict[str, Any]) -> None:
    token = share()
    row = stored(session, token)
    row.status = Status.SPAM
    session.commit()
    assert client.get(f"/my/{token}/edit").status_code == 303
    assert client.post(f"/my/{token}/edit", data=form_data).status_code == 303
    assert stored(session, token).status is Status.SPAM
