"""Invitation links are built from SITE_URL, never from the request's Host."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_invitation_link_comes_from_site_url(app: Flask, admin_client: FlaskClient) -> None:
    app.config["SITE_URL"] = "https://waitline.example.org"
    response = admin_client.post("/admin/accounts/invite",
                                 data={"email": "new@example.org", "role": "moderator"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<code>https://waitline.example.org/moderate/set-password/" in page
    assert "http://localhost/moderate/set-password/" not in page
