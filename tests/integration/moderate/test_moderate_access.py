"""Every moderation and admin route checks its role, in one place: walked as each kind of user."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import Person, sign_in
from sqlalchemy.orm import Session

from testimonials.models import RejectionReason, Theme
from testimonials.moderate.access import PUBLIC_ENDPOINTS
from tests import builders

SAMPLE_VALUES = {"submission_id": "{item}", "facility_id": "{facility}", "account_id": "{account}",
                 "token": "not-a-real-token", "change": "rename", "region_id": "{region}",
                 "reason_id": "{reason}", "theme_id": "{theme}"}
# GET pages that act on a query (what to do with which items), given here; and one that
# only leads on to a page (the next item no one is reviewing).
GET_QUERIES = {"moderate.bulk_confirm": "?action=spam&id={item}"}
REDIRECTING = frozenset({"moderate.next_unclaimed"})


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every rule under /moderate and /admin, with sample values."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/moderate", "/admin")):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: SAMPLE_VALUES[m.group(1)], rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            query = GET_QUERIES.get(rule.endpoint, "") if method == "GET" else ""
            found.append((rule.endpoint, method, path + query))
    return found


@pytest.fixture
def sample(app: Flask, session: Session, moderator: Person) -> dict[str, int]:
    place = builders.facility(session)
    item = builders.submission(session, place=place)
    reason = RejectionReason(text_en="Advertising.", text_es="Publicidad.")
    theme = Theme(slug="sample-theme", name_en="Sample", name_es="Muestra")
    session.add_all([reason, theme])
    session.commit()
    return {"item": item.id, "facility": place.id, "account": moderator.id,
            "region": place.region_id, "reason": reason.id, "theme": theme.id}


def _request(client: FlaskClient, method: str, path: str) -> tuple[int, str]:
    response = client.open(path, method=method)
    return response.status_code, response.headers.get("Location", "")


def test_the_walk_covers_every_route(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    assert {"moderate.queue_page", "moderate.review_page", "moderate.decide",
            "moderate.audit_log", "admin.accounts_page", "admin.settings_page",
            "admin.change_facility"} <= endpoints
    assert len(routes(app)) >= 20


def test_anonymous_is_sent_to_sign_in_everywhere_but_the_sign_in_pages(
        app: Flask, client: FlaskClient, sample: dict[str, int]) -> None:
    for endpoint, method, template in routes(app):
        path = template.format(**sample)
        response = client.open(path, method=method)
        if endpoint in PUBLIC_ENDPOINTS:
            assert response.status_code != 403, (endpoint, method)
            continue
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/moderate/login?next="), endpoint


def test_a_moderator_reaches_moderation_but_no_admin_route(
        app: Flask, moderator: Person, sample: dict[str, int]) -> None:
    for endpoint, method, template in routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        client = app.test_client()
        sign_in(app, client, moderator)
        status, location = _request(client, method, template.format(**sample))
        if endpoint.startswith("admin."):
            assert status == 403, (endpoint, method, status)
            continue
        assert status < 500 and status != 403, (endpoint, method, status)
        assert not location.startswith("/moderate/login"), (endpoint, method)
        if method == "GET":
            assert status == (302 if endpoint in REDIRECTING else 200), (endpoint, status)


def test_an_admin_reaches_every_route(app: Flask, admin: Person, sample: dict[str, int]) -> None:
    for endpoint, method, template in routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        client = app.test_client()
        sign_in(app, client, admin)
        status, location = _request(client, method, template.format(**sample))
        assert status < 500 and status != 403, (endpoint, method, status)
        assert not location.startswith("/moderate/login"), (endpoint, method)
        if method == "GET":
            assert status == (302 if endpoint in REDIRECTING else 200), (endpoint, status)


def test_moderation_pages_are_never_cached(mod_client: FlaskClient) -> None:
    for path in ("/moderate/", "/moderate/audit", "/moderate/login"):
        response = mod_client.get(path)
        assert response.headers["Cache-Control"] == "no-store"


def test_a_disabled_moderator_is_signed_out_at_once(app: Flask, mod_client: FlaskClient,
                                                    session: Session, moderator: Person) -> None:
    from sqlalchemy import update

    from testimonials.models import Account

    session.execute(update(Account).where(Account.id == moderator.id).values(active=False))
    session.commit()
    assert mod_client.get("/moderate/").status_code == 302


def test_after_sign_in_a_sent_form_leads_back_to_a_page(app: Flask, client: FlaskClient,
                                                        admin: Person,
                                                        sample: dict[str, int]) -> None:
    """A form sent while signed out leads, after sign-in, to a page that opens (never a 405)."""
    from urllib.parse import parse_qs, urlsplit

    signed_in = app.test_client()
    sign_in(app, signed_in, admin)
    for endpoint, method, template in routes(app):
        if endpoint in PUBLIC_ENDPOINTS or method == "GET":
            continue
        response = client.open(template.format(**sample), method=method)
        assert response.status_code == 302, (endpoint, method)
        next_path = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]
        assert signed_in.get(next_path).status_code == 200, (endpoint, next_path)
