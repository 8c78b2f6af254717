"""The security checks of SPEC sections 2, 3 and 6 on every page: headers on every GET route
(walked from the URL map) and on error pages, cookie flags, `next` that never leaves the site,
a copied cookie that stops working at sign-out, /my/<token> guessing throttled, and an
unexpected error that logs neither the story nor the path's token."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from flask import Flask, abort, request
from security_helpers import Arranged, csrf_of, sign_in, strict_app, urls_for
from sqlalchemy import update

from testimonials.models import AccountSession
from tests.load import logwatch

UNSAFE = re.compile(r"unsafe-inline|unsafe-eval|\*(?!\.)")


def assert_secure_headers(response, where: str, *, hsts: bool = False) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert policy, where
    assert not UNSAFE.search(policy), (where, policy)
    for needed in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                   "frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"):
        assert needed in policy, (where, needed)
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    if hsts:
        assert headers.get("Strict-Transport-Security", "").startswith("max-age="), where
    else:
        assert "Strict-Transport-Security" not in headers, where


def test_every_get_route_sends_the_security_headers(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    signed_in = strict.test_client()
    sign_in(strict, signed_in)
    visitor = strict.test_client()
    rules = [rule for rule in strict.url_map.iter_rules() if "GET" in (rule.methods or ())]
    assert len(rules) >= 25
    seen = 0
    for rule in rules:
        for url in urls_for(rule, things):
            for client in (visitor, signed_in):
                response = client.get(url)
                response.close()  # static files are streamed from disk
                assert response.status_code < 500, url
                assert_secure_headers(response, url)
                seen += 1
    for url in ("/nowhere", "/stories/999999", "/api/v1/stories/999999", "/my/" + "x" * 43,
                "/stories?before=garbage"):
        response = visitor.get(url)
        assert response.status_code in (400, 404), url
        assert_secure_headers(response, url)
    response = visitor.delete("/share")
    assert response.status_code == 405
    assert_secure_headers(response, "DELETE /share")
    assert seen >= 2 * len(rules)


@pytest.mark.parametrize("path", ["/share", "/my/{token}", "/my/{token}/receipt",
                                  "/my/{token}/edit", "/moderate/login"])
def test_private_pages_are_never_cached(strict: Flask, things: Arranged, path: str) -> None:  # type: ignore[no-untyped-def]
    response = strict.test_client().get(path.format(token=things.token))
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_production_sends_hsts_and_secure_cookies(database_url: str) -> None:
    app = strict_app(database_url, ENV_NAME="production", SITE_URL="https://waitline.example",
                     SESSION_COOKIE_SECURE=True,
                     HSTS_SECONDS=63072000, SECRET_KEY="p" * 48)
    try:
        client = app.test_client()
        response = client.get("/share?lang=es", base_url="https://waitline.example")
        assert_secure_headers(response, "/share", hsts=True)
        cookies = live_cookies(response.headers.getlist("Set-Cookie"))
        assert {c.split("=", 1)[0] for c in cookies} >= {"waitline_session", "lang"}
        for cookie in cookies:
            flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
            assert {"secure", "httponly", "samesite"} <= flags, cookie
    finally:
        app.extensions["waitline.engine"].dispose()


def live_cookies(cookies: list[str]) -> list[str]:
    """The cookies that hold something (not the empty ones sent to delete a cookie)."""
    return [c for c in cookies if "Max-Age=0" not in c]


def test_anonymous_pages_set_no_cookie_without_flags(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    client = strict.test_client()
    client.get("/share")  # a session with a CSRF token
    cookies = client.get("/stories").headers.getlist("Set-Cookie")
    assert [c for c in cookies if "HttpOnly" not in c or "SameSite" not in c] == []


def test_cookies_are_httponly_and_samesite(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    client = strict.test_client()
    cookies = client.get("/share?lang=en").headers.getlist("Set-Cookie")
    cookies += client.get("/moderate/login").headers.getlist("Set-Cookie")
    sign_in(strict, client)
    cookies += client.get("/moderate/").headers.getlist("Set-Cookie")
    cookies = live_cookies(cookies)
    assert {c.split("=", 1)[0] for c in cookies} >= {"waitline_session", "lang"}
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        assert "Secure" not in cookie  # plain http on a developer's machine


NEXT_VALUES = ["//evil.example", "/\\evil.example", "https://evil.example", "http:evil.example",
               "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)",
               "//evil.example/%2F..", "https:/evil.example", " //evil.example",
               "/%09/evil.example", "///evil.example", "\u3000//evil.example", "@evil.example",
               "data:text/html,<script>alert(1)</script>"]


def leaves_the_site(location: str) -> bool:
    """Whether a browser would go elsewhere: as browsers read it (\\ is /, tabs dropped)."""
    seen = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip()
    parts = urlsplit(seen)
    return bool(parts.scheme and parts.netloc not in ("", "localhost")) or seen.startswith("//") \
        or (parts.scheme not in ("", "http", "https"))


@pytest.mark.parametrize("next_value", NEXT_VALUES)
def test_next_never_leaves_the_site(strict: Flask, things: Arranged, next_value: str) -> None:  # type: ignore[no-untyped-def]
    client = strict.test_client()
    page = client.get("/moderate/login", query_string={"next": next_value}).get_data(as_text=True)
    kept = re.search(r'name="next" value="([^"]*)"', page)
    assert kept and not leaves_the_site(kept.group(1)), kept
    location = sign_in(strict, client, next_path=next_value)  # sent in the form itself
    assert not leaves_the_site(location), location
    # And as the protected page's own redirect builds it.
    response = strict.test_client().get("/moderate/", query_string={"x": next_value})
    assert not leaves_the_site(response.headers["Location"])


def test_next_keeps_a_path_on_the_site(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    path = f"/moderate/{things.submission_id}?flag=crisis"
    assert sign_in(strict, strict.test_client(), next_path=path) == path


def test_a_copied_cookie_stops_working_at_sign_out(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    client = strict.test_client()
    sign_in(strict, client)
    copied = client.get_cookie("waitline_session")
    assert copied is not None and client.get("/moderate/").status_code == 200
    thief = strict.test_client()
    thief.set_cookie("waitline_session", copied.value)
    assert thief.get("/moderate/").status_code == 200  # the copy works while the session lives
    token = csrf_of(client.get("/moderate/").get_data(as_text=True))
    assert client.post("/moderate/logout", data={"csrf_token": token}).status_code == 302
    response = thief.get("/moderate/")
    assert response.status_code == 302 and "/moderate/login" in response.headers["Location"]
    assert thief.get(f"/moderate/{things.submission_id}").status_code == 302
    assert thief.get("/admin/accounts").status_code == 302


def test_an_idle_session_ends_by_itself(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    client = strict.test_client()
    sign_in(strict, client)
    with strict.extensions["waitline.sessionmaker"]() as session:
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
        session.execute(update(AccountSession).values(last_seen_at=long_ago))
        session.commit()
    response = client.get("/moderate/")
    assert response.status_code == 302 and "/moderate/login" in response.headers["Location"]


def test_guessing_private_links_is_throttled(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    guesser = strict.test_client()
    limit = int(strict.config["TOKEN_LOOKUP_RATE_LIMIT"].split()[0])
    for number in range(limit):
        assert guesser.get(f"/my/guess{number:039d}").status_code == 404
    assert guesser.get("/my/guess-one-more-time-0000000000000000000000").status_code == 429
    # A right link is never refused, even from the guessing address (a shared network).
    assert guesser.get(f"/my/{things.token}").status_code == 200
    elsewhere = strict.test_client()
    response = elsewhere.get(f"/my/{things.token}", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 200  # another address is not affected
    # The patient's own successful look-ups never count against them.
    patient = strict.test_client()
    for _ in range(limit + 5):
        assert patient.get(f"/my/{things.token}",
                           environ_base={"REMOTE_ADDR": "10.9.8.8"}).status_code == 200


def test_an_unexpected_error_logs_neither_the_story_nor_the_token(database_url: str) -> None:
    app = strict_app(database_url, WTF_CSRF_ENABLED=False)
    secret_story = "My therapist Dr. Quentin Marlowe-Fairweather never called back."
    token = "Z" * 43

    @app.post("/my/<token>/explode")
    def explode(token: str) -> str:
        # An error whose message quotes the request, as library errors sometimes do.
        raise ValueError(f"{request.form['story']} {token} {request.remote_addr}")

    @app.get("/refuse")
    def refuse() -> str:
        abort(403)

    logwatch.remember(secret_story, token)
    before = logwatch.record_count()
    try:
        response = app.test_client().post(f"/my/{token}/explode", data={"story": secret_story})
        assert response.status_code == 500
        page = response.get_data(as_text=True)
        assert secret_story not in page and "Traceback" not in page
        assert logwatch.record_count() > before  # it was logged, and searched at the end
        assert app.test_client().get("/refuse").status_code == 403
    finally:
        app.extensions["waitline.engine"].dispose()
    assert not [p for p in logwatch.problems() if "Quentin" in p or token in p]
