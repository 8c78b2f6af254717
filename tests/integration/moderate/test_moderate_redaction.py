"""After a redaction, what is left of a record number ("my medical record number") names
nobody: approving does not stop to ask "approve as it is"; a real number still does."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from moderate_helpers import version_of
from sqlalchemy.orm import Session

from testimonials.models import Submission
from testimonials.services import submissions
from testimonials.vocab import Flag, Language, Reporter, Status
from tests import builders

ORIGINAL = ("They lost my medical record number 12345678 twice and I waited four months for "
            "the first appointment at the clinic.")


@pytest.mark.parametrize(("public_story", "asks"), [
    ("They lost my medical record number twice and I waited four months.", False),
    ("They lost my medical record number [removed] twice and I waited four months.", False),
    ("They lost my medical record number 12345678 twice and I waited four months.", True),
    ("They lost my MRN: KP-1234567 twice and I waited four months.", True),
])
def test_a_record_label_without_a_number_does_not_force_approve_as_it_is(
        mod_client: FlaskClient, session: Session, public_story: str, asks: bool) -> None:
    item = builders.submission(session, story=ORIGINAL)
    session.commit()
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    response = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": version_of(page), "public_title": "Four months",
        "public_story": public_story})
    session.rollback()
    fresh = session.get(Submission, item.id)
    assert fresh is not None
    session.refresh(fresh)
    if asks:
        assert response.status_code == 200
        assert "still looks like it has personal data" in response.get_data(as_text=True)
        assert fresh.status is Status.PENDING
    else:
        assert response.status_code == 302
        assert fresh.status is Status.APPROVED and fresh.public_story == public_story


def test_a_name_typed_as_the_other_clinic_is_marked_on_review(mod_client: FlaskClient,
                                                              session: Session) -> None:
    item = builders.submission(session, facility_other="Maria Lopez")
    calm = builders.submission(session, facility_other="Valley Counseling Center")
    session.commit()
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert '<mark class="match match-name">Maria Lopez</mark> <strong>Possible personal data' in page  # noqa: E501
    other = mod_client.get(f"/moderate/{calm.id}").get_data(as_text=True)
    assert "Valley Counseling Center <span" in other


@pytest.mark.parametrize(("other_clinic", "flagged"), [
    ("Dr. Ana Ruiz, 510-555-0123", True), ("Valley Counseling Center", False)])
def test_personal_data_in_the_other_clinic_answer_flags_the_item(
        session: Session, other_clinic: str, flagged: bool) -> None:
    answers = submissions.Answers(
        story="I waited four months for a first appointment and nobody called me back.",
        title=None, reporter=Reporter.PATIENT,
        facility_id=None, facility_other=other_clinic, care_types=0, outcomes=0,
        experience_month=None, waits=(), consent_publish=True, consent_stats=True,
        consent_share=False, consent_contact=False, display_name=None, email=None)
    receipt = submissions.submit(session, answers, Language.EN, builders.NOW)
    assert receipt.submission.has_flag(Flag.PERSONAL_DATA) is flagged
