"""Helpers for the journey's tests: walk its pages as a browser without JavaScript would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from share_helpers import STORY

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                  r'|id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"'
                  r'|type="hidden" name="csrf_token" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')
CRISIS = " Some nights I want to kill myself."

# Only what is required: the story, the consent and who is telling; every other page skipped.
REQUIRED: list[tuple[str, dict[str, Any]]] = [
    ("story", {"story": STORY}),
    ("consent", {"consent_stats": "y", "reporter": "patient"}),
]


def token_of(page: str) -> str:
    found = CSRF.search(page)
    assert found, "no CSRF token on the page"
    return next(group for group in found.groups() if group)


def start(client: FlaskClient, **headers: Any) -> None:
    data = {}
    if "csrf_token" in client.get("/share", **headers).get_data(as_text=True):
        data["csrf_token"] = token_of(client.get("/share").get_data(as_text=True))
    response = client.post("/share/start", data=data, **headers)
    assert response.status_code == 303 and response.headers["Location"] == "/share/story"


def answer(client: FlaskClient, step: str, data: dict[str, Any], *, query: str = "",
           base: str = "/share", **headers: Any) -> Any:
    """Post one page as its form would (with its CSRF token when the page has one); `base`
    "/my/<token>/edit" for an edit's pages."""
    page = client.get(f"{base}/{step}{query}", **headers).get_data(as_text=True)
    token = CSRF.search(page)
    body = {**({"csrf_token": token_of(page)} if token else {}), **data}
    return client.post(f"{base}/{step}{query}", data=body, **headers)


def send(client: FlaskClient, **headers: Any) -> Any:
    page = client.get("/share/check", **headers).get_data(as_text=True)
    found = NONCE.search(page)
    assert found
    body: dict[str, Any] = {"nonce": found.group(1)}
    if CSRF.search(page):
        body["csrf_token"] = token_of(page)
    return client.post("/share/check", data=body, **headers)
