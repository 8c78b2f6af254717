"""What the factory sets up for every response: security headers, production's refusals of
weak secrets and cheap hashes, configuration from the environment, plain error pages, the
health check, and a bench-only route that production never has."""

from __future__ import annotations

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from testimonials import create_app
from testimonials.configuration import ConfigurationError


@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page", "/static/css/site.css"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:  # static files stream: close them
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_production_sends_hsts_and_secure_cookies(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "production",
                      "SECRET_KEY": "x" * 40, "SITE_URL": "https://localhost"})
    response = app.test_client().get("/?lang=es")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"]
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("secret", [None, "", "short", "development-only-not-secret"])
def test_production_refuses_to_start_without_a_real_secret_key(secret: str | None) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": secret,
                    "SITE_URL": "https://localhost", "DATABASE_URL": "sqlite://"})


def test_environment_variables_override_config(monkeypatch: pytest.MonkeyPatch,
                                               database_url: str) -> None:
    monkeypatch.setenv("STATS_MIN_CELL", "20")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("WAIT_STANDARDS", '{"intake": {"business_days": 5}}')
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    assert app.config["STATS_MIN_CELL"] == 20
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["WAIT_STANDARDS"] == {"intake": {"business_days": 5}}
    app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("path,code", [("/no-such-page", 404), ("/healthz", 405)])
def test_error_pages_are_plain(client: FlaskClient, path: str, code: int) -> None:
    response = client.get(path) if code == 404 else client.post(path)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "<h1>" in page


def test_unexpected_error_shows_a_plain_page_and_logs_no_message(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    @app.post("/boom")
    def boom() -> str:
        raise RuntimeError(request.form["story"])

    response = app.test_client().post("/boom", data={"story": "secret story text"})
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert "secret story text" not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text
    assert "secret story text" not in caplog.text


def test_healthz_answers_while_the_database_does(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True}


def test_ceiling_route_exists_only_for_the_bench(database_url: str) -> None:
    plain = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    assert plain.test_client().get("/_bench/ceiling").status_code == 404
    bench = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "BENCH_ROUTES": True})
    response = bench.test_client().get("/_bench/ceiling")
    assert response.status_code == 200 and len(response.data) > 4500
    for app in (plain, bench):
        app.extensions["waitline.engine"].dispose()


def test_production_hashes_passwords_at_argon2_cffis_recommended_cost() -> None:
    """The suite hashes cheaply; this is the one check of the real parameters."""
    from argon2 import extract_parameters, profiles

    from testimonials import passwords

    passwords.use_profile("default")
    try:
        parameters = extract_parameters(passwords.hash_password("a long enough password"))
        assert parameters == profiles.RFC_9106_LOW_MEMORY
    finally:
        passwords.use_profile("cheap-for-tests")


def test_only_tests_may_hash_passwords_cheaply() -> None:
    with pytest.raises(ConfigurationError, match="PASSWORD_HASH_PROFILE"):
        create_app({"PASSWORD_HASH_PROFILE": "cheap-for-tests", "TESTING": False,
                    "ENV_NAME": "development", "DATABASE_URL": "sqlite://"})
