"""Moderators and admins pick and order the stories of a place's report, by plain forms, audited."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, Facility, ReportPick
from testimonials.vocab import Status
from tests import builders


@pytest.fixture
def clinic(app: Flask, session: Session) -> Facility:
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    for number in range(3):
        builders.submission(session, status=Status.APPROVED, place=place, consent_share=True,
                            public_title=f"Shared story {number}")
    builders.submission(session, status=Status.APPROVED, place=place, consent_share=False,
                        public_title="Not for officials")
    builders.submission(session, place=place, consent_share=True, original_title="Pending one")
    session.commit()
    builders.release(app)
    return place


def _ids(session: Session, title_prefix: str = "Shared story") -> list[int]:
    from testimonials.models import Submission
    return list(session.scalars(select(Submission.id).where(
        Submission.public_title.like(f"{title_prefix}%")).order_by(Submission.id)))


def _order(client: FlaskClient, query: str) -> list[str]:
    html = client.get(f"/stats/report{query}").get_data(as_text=True)
    return re.findall(r"<h3>(Shared story \d)</h3>", html)


def test_a_moderator_picks_orders_and_removes_stories_of_a_facility(
        mod_client: FlaskClient, session: Session, clinic: Facility) -> None:
    place = f"facility:{clinic.id}"
    page = mod_client.get(f"/moderate/report-stories?place={place}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Shared story 0" in html and "Not for officials" not in html
    assert "Pending one" not in html
    first, second, third = _ids(session)
    for story in (first, second, third):
        response = mod_client.post("/moderate/report-stories/pick",
                                   data={"place": place, "submission_id": story})
        assert response.status_code == 302
    query = f"?facility={clinic.id}"
    assert _order(mod_client, query) == ["Shared story 0", "Shared story 1", "Shared story 2"]
    mod_client.post("/moderate/report-stories/move",
                    data={"place": place, "submission_id": third, "direction": "up"})
    assert _order(mod_client, query) == ["Shared story 0", "Shared story 2", "Shared story 1"]
    mod_client.post("/moderate/report-stories/move",  # at the top already: nothing moves
                    data={"place": place, "submission_id": first, "direction": "up"})
    mod_client.post("/moderate/report-stories/remove",
                    data={"place": place, "submission_id": first})
    assert _order(mod_client, query) == ["Shared story 2", "Shared story 1"]
    assert _order(mod_client, "") == []  # the site's report has picks of its own
    session.rollback()  # read what the requests committed
    actions = session.execute(select(AuditEntry.action, AuditEntry.subject, AuditEntry.actor_label)
                              .where(AuditEntry.action.like("report.%"))
                              .order_by(AuditEntry.id)).all()
    assert [a for a, _, _ in actions] == ["report.pick"] * 3 + ["report.move", "report.remove"]
    assert {s for _, s, _ in actions} == {f"report:{place}"}
    assert {who for _, _, who in actions} == {"mod@example.org"}
    audit_page = mod_client.get("/moderate/audit?action=report.pick").get_data(as_text=True)
    assert "Story picked for a report" in audit_page


def test_a_story_not_shared_with_officials_is_refused_with_a_reason(
        mod_client: FlaskClient, session: Session, clinic: Facility) -> None:
    (private,) = _ids(session, "Not for officials")
    response = mod_client.post("/moderate/report-stories/pick",
                               data={"place": "site", "submission_id": private},
                               follow_redirects=True)
    assert "only approved, published stories" in response.get_data(as_text=True)
    assert session.scalars(select(ReportPick)).all() == []
    assert session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report.pick")).all() == []


@pytest.mark.parametrize("form", [{"place": "county:1", "submission_id": "1"},
                                  {"place": "facility:99999", "submission_id": "1"},
                                  {"place": "site", "submission_id": "abc"},
                                  {"place": "site", "submission_id": "1", "direction": "left"}])
def test_a_malformed_change_gets_a_reason(mod_client: FlaskClient, clinic: Facility,
                                          form: dict[str, str]) -> None:
    action = "move" if "direction" in form else "pick"
    response = mod_client.post(f"/moderate/report-stories/{action}", data=form)
    assert response.status_code in (400, 404)
    assert "<h1" in response.get_data(as_text=True)


def test_the_picking_screen_is_for_signed_in_moderators_only(client: FlaskClient,
                                                             clinic: Facility) -> None:
    assert client.get("/moderate/report-stories").status_code == 302
    assert client.post("/moderate/report-stories/pick",
                       data={"place": "site", "submission_id": "1"}).status_code in (302, 400)


def test_an_admin_can_pick_too(admin_client: FlaskClient, session: Session,
                               clinic: Facility) -> None:
    story = _ids(session)[0]
    admin_client.post("/moderate/report-stories/pick",
                      data={"place": f"region:{clinic.region_id}", "submission_id": story})
    assert _order(admin_client, f"?region={clinic.region_id}") == ["Shared story 0"]
