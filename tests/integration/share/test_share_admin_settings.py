"""What an admin changes at /admin/settings is what the patients' pages say and what runs:
standards, the regulator, the minimum cell size, retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from share_helpers import fresh
from sqlalchemy.orm import Session

from testimonials import caching, db
from testimonials.models import Setting, Submission, utcnow
from testimonials.vocab import Status
from tests import builders


def set_setting(app: Flask, key: str, value: Any) -> None:
    """What an admin's change at /admin/settings stores: the value, and the generation moved
    (so this worker reads the settings again at once)."""
    with app.app_context(), db.writing() as session:
        session.merge(Setting(key=key, value=value, updated_at=utcnow()))
        caching.public_changed(session)


# 3. Settings admins change.

def test_changed_standard_and_regulator_reach_the_patients_pages(
        app: Flask, client: FlaskClient, session: Session, share: Any) -> None:
    token = share()
    set_setting(app, "WAIT_STANDARDS", {"intake": {"business_days": 30}})
    set_setting(app, "REGULATOR", {"name": "Oregon Health Authority",
                                   "phone": "1-800-555-0100", "url": "https://oregon.example"})
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "30 business days" in page and "Within the standard" in page
    assert "complaint to Oregon Health Authority" in page
    complaint = client.get(f"/my/{token}/complaint").get_data(as_text=True)
    assert "Oregon Health Authority" in complaint and "1-800-555-0100" in complaint
    assert "30 business days" in complaint and "DMHC" not in complaint


def test_changed_cell_size_is_what_the_form_promises(app: Flask, client: FlaskClient) -> None:
    set_setting(app, "STATS_MIN_CELL", 25)
    client.post("/share/start")
    assert "fewer than 25 people" in client.get("/share/consent").get_data(as_text=True)


def test_changed_retention_is_what_purge_applies(app: Flask, runner: FlaskCliRunner,
                                                 session: Session) -> None:
    row = builders.submission(session, status=Status.REJECTED,
                              moderated_at=utcnow() - dt.timedelta(days=40))
    session.commit()
    assert "erased 0 rejected" in runner.invoke(args=["purge"]).output
    set_setting(app, "RETAIN_REJECTED_DAYS", 30)
    assert "erased 1 rejected" in runner.invoke(args=["purge"]).output
    fresh(session)
    assert session.get(Submission, row.id).original_story is None
