"""The home page: its links, and the language a reader asks for (and keeps)."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_home_page_links_to_the_parts_to_come(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for path in ("/stories", "/stats", "/share"):
        assert f'href="{path}' in page
    assert 'class="skip-link"' in page
    assert "lang=es" in page


def test_home_page_speaks_spanish_when_the_browser_asks(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Comparte tu historia" in page


def test_language_choice_is_kept(client: FlaskClient) -> None:
    response = client.get("/?lang=es")
    assert "lang=es" in response.headers.get("Set-Cookie", "")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in page
