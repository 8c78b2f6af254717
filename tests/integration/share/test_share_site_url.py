"""The receipt's private link is built from SITE_URL, never from the request's Host."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient


def test_receipt_link_comes_from_site_url(app: Flask, client: FlaskClient, share: Any) -> None:
    app.config["SITE_URL"] = "https://waitline.example.org"
    token = share()
    page = client.get(f"/my/{token}/receipt").get_data(as_text=True)
    assert f"https://waitline.example.org/my/{token}" in page
    assert "http://localhost/my/" not in page
