"""Fixtures for the patients' pages: a facility, a valid form, and helpers to post it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from share_helpers import STORY, TOKEN_IN_LOCATION  # noqa: F401  (STORY for form_data)
from sqlalchemy.orm import Session

from testimonials.models import Facility
from tests import builders


@pytest.fixture
def place(app: Flask, session: Session) -> Facility:
    row = builders.facility(session)
    session.commit()
    return row


@pytest.fixture
def form_data(place: Facility) -> dict[str, Any]:
    """A complete, valid story form."""
    return {
        "story": STORY, "title": "Three months", "reporter": "parent",
        "facility": str(place.id), "care_types": ["individual", "child"],
        "intake-state": "ended", "intake-amount": "3", "intake-unit": "weeks",
        "first_return-state": "waiting", "first_return-amount": "2", "first_return-unit": "months",
        "between_returns-state": "gave_up",
        "month": "3", "year": "2025", "outcomes": ["got_worse", "emergency_room"],
        "consent_publish": "y", "consent_stats": "y", "consent_contact": "y",
        "display_name": "Ana", "email": "ana@example.org",
    }


Post = Callable[..., str]


@pytest.fixture
def share(client: FlaskClient, form_data: dict[str, Any]) -> Post:
    """Post the valid form with some fields changed; returns the receipt token."""

    def post(changes: dict[str, Any] | None = None, **headers: Any) -> str:
        # Closed, as a WSGI server closes each response once sent (urgent alerts go out then).
        with client.post("/share", data={**form_data, **(changes or {})}, **headers) as response:
            assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        found = TOKEN_IN_LOCATION.search(response.headers["Location"])
        assert found, response.headers["Location"]
        return found.group(1)

    return post
