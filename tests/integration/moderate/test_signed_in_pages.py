"""A moderator already signed in is never shown the sign-in steps again, nor told to sign in."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import PASSWORD, Person, make_account

from testimonials.vocab import Role

SECRET_IN_PAGE = re.compile(r'<code class="secret">(.*?)</code>', re.S)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    assert found, page[:300]
    return found.group(1)


@pytest.mark.parametrize("path,where", [
    ("/moderate/login", "/moderate/"),
    ("/moderate/login?next=/moderate/audit", "/moderate/audit"),
    ("/moderate/login?next=//evil.example", "/moderate/"),
    ("/moderate/login/code", "/moderate/"),
])
def test_a_signed_in_moderator_is_sent_on_from_the_sign_in_pages(mod_client: FlaskClient,
                                                                 path: str, where: str) -> None:
    response = mod_client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == where
    assert "Please sign in again" not in mod_client.get(where).get_data(as_text=True)


def _enrol(app: Flask, client: FlaskClient, person: Person) -> dict[str, str]:
    """Enrol through the pages with their CSRF tokens; the form data of the last step."""
    login = client.get("/moderate/login").get_data(as_text=True)
    response = client.post("/moderate/login", data={
        "email": person.email, "password": PASSWORD, "csrf_token": _csrf(login)})
    assert response.headers["Location"] == "/moderate/login/enrol"
    page = client.get("/moderate/login/enrol").get_data(as_text=True)
    secret = "".join(re.findall(r"<span>([A-Z2-7]+)</span>",
                                SECRET_IN_PAGE.search(page).group(1)))  # type: ignore[union-attr]
    data = {"code": pyotp.TOTP(secret).now(), "csrf_token": _csrf(page)}
    done = client.post("/moderate/login/enrol", data=data)
    assert done.status_code == 200 and "Your recovery codes" in done.get_data(as_text=True)
    return data


@pytest.mark.parametrize("csrf", [True, False])
def test_a_refreshed_recovery_codes_page_says_they_were_shown_once(app: Flask, csrf: bool) -> None:
    app.config["WTF_CSRF_ENABLED"] = csrf
    person = make_account(app, "new@example.org", Role.MODERATOR, enrolled=False)
    client = app.test_client()
    data = _enrol(app, client, person)
    # The browser's refresh re-sends the form: with CSRF on, its token belonged to the session
    # before sign-in, so it is refused (400) as any stale form is, but the page says why.
    refreshed = client.post("/moderate/login/enrol", data=data)
    assert refreshed.status_code == (400 if csrf else 200)
    for again in (refreshed, client.get("/moderate/login/enrol")):
        page = again.get_data(as_text=True)
        assert "Please sign in again" not in page and "Your form expired" not in page
        assert "shown only once" in page
        assert 'href="/moderate/"' in page
        assert again.headers["Cache-Control"] == "no-store"
    assert client.get("/moderate/").status_code == 200  # still signed in


def test_anyone_not_signed_in_still_gets_the_sign_in_form(client: FlaskClient) -> None:
    assert client.get("/moderate/login").status_code == 200
    response = client.get("/moderate/login/enrol")
    assert response.status_code == 302 and response.headers["Location"] == "/moderate/login"
