"""An admin publishes a statistics release from /admin/: a POST with CSRF, audited."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import Person, make_account
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import AuditEntry, StatRelease
from testimonials.vocab import Role


def test_an_admin_cuts_a_release_with_a_csrf_protected_button(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True})
    try:
        admin: Person = make_account(app, "boss@example.org", Role.ADMIN)
        client = app.test_client()
        page = client.get("/moderate/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        _sign_in_with_token(app, client, admin, token)
        page = client.get("/admin/").get_data(as_text=True)
        assert "No statistics have been published yet." in page
        assert client.post("/admin/stats/release").status_code == 400  # no token
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/admin/stats/release", data={"csrf_token": token})
        assert response.status_code == 302
        with Session(app.extensions["waitline.engine"]) as session:
            assert session.scalars(select(StatRelease.number)).all() == [1]
            entry = session.scalars(select(AuditEntry).where(
                AuditEntry.action == "stats.release")).one()
            assert entry.actor_label == "boss@example.org" and entry.subject == "release:1"
        assert client.get("/stats.json").get_json()["release"]["number"] == 1
    finally:
        app.extensions["waitline.engine"].dispose()


def test_a_moderator_cannot_cut_a_release(mod_client: FlaskClient, session: Session) -> None:
    response = mod_client.post("/admin/stats/release")
    assert response.status_code in (302, 403, 404)
    assert session.scalars(select(StatRelease)).all() == []


def _sign_in_with_token(app: Flask, client: FlaskClient, person: Person, token: str) -> None:
    from moderate_helpers import current_code
    from sqlalchemy import update

    from testimonials.models import Account

    with app.extensions["waitline.sessionmaker"]() as session:
        session.execute(update(Account).where(Account.id == person.id).values(totp_last_step=None))
        session.commit()
    response = client.post("/moderate/login", data={"email": person.email,
                                                    "password": person.password,
                                                    "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if response.headers["Location"].endswith("/moderate/login/code"):
        page = client.get("/moderate/login/code").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/moderate/login/code",
                               data={"code": current_code(person.secret), "csrf_token": token})
        assert response.status_code == 302
