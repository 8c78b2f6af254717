"""After a redaction, what is left of a record number ("my medical record number") names
nobody: approving does not stop to ask "approve as it is"; a real number still does."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from moderate_helpers import version_of
from testimonials.models import Submission
from testimonials.vocab import Status
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
