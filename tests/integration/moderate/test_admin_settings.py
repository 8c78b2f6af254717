"""Admins change the configurable settings; values are checked; `get` prefers theirs."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import reread
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import caching, create_app, db, runtime_settings
from testimonials.models import AuditEntry, Setting, utcnow

VALID = {
    "SUBMIT_RATE_LIMIT": "5 per hour", "STATS_MIN_CELL": "11", "RETAIN_REJECTED_DAYS": "90",
    "RETAIN_CONTACT_EMAIL_DAYS": "90", "SESSION_IDLE_MINUTES": "30",
    "standard_intake_amount": "10", "standard_intake_unit": "business_days",
    "standard_first_return_amount": "10", "standard_first_return_unit": "business_days",
    "standard_between_returns_amount": "10", "standard_between_returns_unit": "business_days",
    "standard_psychiatry_amount": "15", "standard_psychiatry_unit": "business_days",
    "standard_urgent_amount": "48", "standard_urgent_unit": "hours",
    "regulator_name": "DMHC Help Center", "regulator_phone": "1-888-466-2219",
    "regulator_url": "https://www.healthhelp.ca.gov",
}


def _post(client: FlaskClient, **changes: str) -> Any:
    return client.post("/admin/settings", data={**VALID, **changes})


def test_the_defaults_save_as_nothing_changed(admin_client: FlaskClient,
                                              session: Session) -> None:
    response = _post(admin_client)
    assert response.status_code == 302
    assert session.scalar(select(Setting)) is None


def test_a_change_is_stored_audited_and_read_back(app: Flask, admin_client: FlaskClient,
                                                  session: Session) -> None:
    response = _post(admin_client, STATS_MIN_CELL="20", standard_psychiatry_amount="20",
                     standard_urgent_amount="", regulator_name="Department of Health")
    assert response.status_code == 302
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    assert stored["STATS_MIN_CELL"] == 20
    assert stored["WAIT_STANDARDS"]["psychiatry"] == {"business_days": 20}
    assert "urgent" not in stored["WAIT_STANDARDS"]
    assert stored["REGULATOR"]["name"] == "Department of Health"
    with app.test_request_context():
        assert runtime_settings.get("STATS_MIN_CELL") == 20
        assert runtime_settings.get("SUBMIT_RATE_LIMIT") == "5 per hour"  # config default
    actions = session.scalars(select(AuditEntry.subject)
                              .where(AuditEntry.action == "setting.change")).all()
    assert sorted(actions) == ["setting:REGULATOR", "setting:STATS_MIN_CELL",
                               "setting:WAIT_STANDARDS"]
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert 'value="20"' in page and "Department of Health" in page


def test_back_to_the_default_removes_the_override(admin_client: FlaskClient,
                                                  session: Session) -> None:
    _post(admin_client, SESSION_IDLE_MINUTES="45")
    assert session.get(Setting, "SESSION_IDLE_MINUTES") is not None
    reread(session)
    _post(admin_client)
    assert session.get(Setting, "SESSION_IDLE_MINUTES") is None


@pytest.mark.parametrize("field,value,message", [
    ("SUBMIT_RATE_LIMIT", "lots", "Enter a limit like"),
    ("STATS_MIN_CELL", "0", "Enter a number from 1 to 1000."),
    ("STATS_MIN_CELL", "eleven", "Enter a whole number."),
    ("SESSION_IDLE_MINUTES", "1", "Enter a number from 5 to 720."),
    ("RETAIN_REJECTED_DAYS", "99999", "Enter a number from 1 to 3650."),
    ("standard_intake_amount", "-3", "Enter a number from 1 to 365."),
    ("standard_intake_amount", "3.5", "Enter a whole number."),
    ("standard_intake_amount", "400", "Enter a number from 1 to 365."),
    ("standard_intake_unit", "fortnights", "Choose a unit for this standard."),
    ("regulator_url", "http://insecure.example", "starts with https://"),
    ("regulator_name", " ", "Enter the regulator"),
])
def test_bad_values_are_refused_with_a_message_by_the_field(
        admin_client: FlaskClient, session: Session, field: str, value: str,
        message: str) -> None:
    response = _post(admin_client, **{field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field if "unit" not in field else field.replace("unit", "amount")}"' in page
    assert session.scalar(select(Setting)) is None


def test_the_idle_limit_set_by_an_admin_applies(app: Flask, admin_client: FlaskClient,
                                                mod_client: FlaskClient, session: Session) -> None:
    import datetime as dt

    from sqlalchemy import update

    from testimonials.models import AccountSession, utcnow

    _post(admin_client, SESSION_IDLE_MINUTES="10")
    session.execute(update(AccountSession).values(last_seen_at=utcnow() - dt.timedelta(minutes=11)))
    session.commit()
    assert mod_client.get("/moderate/").status_code == 302


def test_overridden_and_defaults_are_read_through_get(app: Flask, admin_client: FlaskClient,
                                                      session: Session) -> None:
    assert _post(admin_client, STATS_MIN_CELL="20").status_code == 302
    # A row the settings page never writes (a stale key): get ignores it, so the page does too.
    session.add(Setting(key="NOT_A_SETTING", value=1))
    session.commit()
    with app.test_request_context():
        assert runtime_settings.overridden() == {"STATS_MIN_CELL": 20}
        assert runtime_settings.default("STATS_MIN_CELL") == app.config["STATS_MIN_CELL"]
        assert runtime_settings.get("STATS_MIN_CELL") == 20
    assert _post(admin_client, STATS_MIN_CELL=str(app.config["STATS_MIN_CELL"])).status_code == 302
    assert session.get(Setting, "STATS_MIN_CELL") is None  # back to the default: no override
    with app.test_request_context():
        assert runtime_settings.overridden() == {}


def test_a_saved_setting_reaches_another_worker_at_its_next_reading(
        database_url: str, app: Flask, admin_client: FlaskClient, session: Session) -> None:
    """Settings are remembered per generation: another worker that read them before the save
    reads the new value as soon as it rereads the generation (here at once), and a row written
    without moving the generation is not seen until it moves."""
    other = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "PAGE_CACHE_RECHECK_SECONDS": 0})
    try:
        with other.app_context():
            assert runtime_settings.get("STATS_MIN_CELL") == other.config["STATS_MIN_CELL"]
        assert _post(admin_client, STATS_MIN_CELL="20").status_code == 302
        with other.app_context():
            assert runtime_settings.get("STATS_MIN_CELL") == 20
        session.merge(Setting(key="STATS_MIN_CELL", value=30, updated_at=utcnow()))
        session.commit()
        with other.app_context():
            assert runtime_settings.get("STATS_MIN_CELL") == 20  # remembered, not read each time
            with db.writing() as moving:
                caching.public_changed(moving)
            assert runtime_settings.get("STATS_MIN_CELL") == 30
    finally:
        other.extensions["waitline.engine"].dispose()
