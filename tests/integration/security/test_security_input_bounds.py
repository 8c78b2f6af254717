"""One request cannot burn a worker: raw lengths are measured before any cleaning, each view's
body is bounded (413 with a plain page saying why, never a 500), and refused posts count
against the address until its posts are refused before their body is read."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import werkzeug.formparser
from flask import Flask
from flask.testing import FlaskClient
from security_helpers import Arranged, checksum, csrf_of, sign_in, strict_app

from testimonials.moderate.queue_views import BULK_MAX
from testimonials.share import reading
from tests.integration.hostile.hostile_corpus import share_fields

# The audit's field, less the room the other fields take in a 256 KB body.
HOSTILE_FIELD = ("<a b " * (250 * 1024 // 5 + 1))[: 250 * 1024]


@pytest.fixture
def cleaned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text the patient's form reader cleans."""
    lengths: list[int] = []
    real = reading.clean

    def measuring(value: str | None, **options: object) -> str:
        lengths.append(len(value or ""))
        return real(value, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "clean", measuring)
    return lengths


def share_post(client: FlaskClient, **changes: str) -> dict[str, str]:
    form = share_fields("A story for the bounds test", 7) | changes
    form["csrf_token"] = csrf_of(client.get("/share").get_data(as_text=True))
    return form


def test_a_hostile_250_kb_story_is_refused_unread_with_a_reason(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged, cleaned: list[int]) -> None:
    client = strict.test_client()
    before = checksum(strict)
    # Multipart, as the audit sent it: 250 KB of "<a b " fits the old 256 KB body limit.
    response = client.post("/share", data=share_post(client, story=HOSTILE_FIELD),
                           content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page and "40,000" in page
    assert cleaned == [] and checksum(strict) == before


def test_a_story_a_little_too_long_comes_back_uncleaned_with_its_message(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged, cleaned: list[int]) -> None:
    client = strict.test_client()
    story = "I waited <b>months</b> & more. " * 800  # 24,800 characters as sent
    response = client.post("/share", data=share_post(client, story=story))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "at most 10,000 characters long; it is now 24,800" in page
    assert "I waited &lt;b&gt;months&lt;/b&gt; &amp; more." in page  # kept as typed
    assert max(cleaned) < 1000  # the other fields only: the story was never cleaned


def test_a_story_within_its_raw_bound_is_cleaned_and_measured_as_before(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    client = strict.test_client()
    story = "<b>" * 3000 + "I waited three months for a return appointment. " * 20
    response = client.post("/share", data=share_post(client, story=story))
    assert response.status_code == 303  # 10,000 characters of markup cleaned away


@pytest.mark.parametrize(("path", "field", "length"), [
    ("/moderate/login", "password", 5_000),
    ("/moderate/login", "email", 1_500),
    ("/moderate/{id}/decide", "public_story", 45_000),
    ("/moderate/{id}/decide", "reason", 5_000),
    ("/admin/facilities", "name", 5_000),
])
def test_every_text_input_has_a_raw_bound(strict: Flask, things: Arranged, path: str,  # type: ignore[no-untyped-def]
                                          field: str, length: int) -> None:
    client = strict.test_client()
    if not path.startswith("/moderate/login"):
        sign_in(strict, client)
    token = csrf_of(client.get("/moderate/login" if "login" in path else "/admin/accounts")
                    .get_data(as_text=True))
    before = checksum(strict)
    response = client.post(path.format(id=things.submission_id),
                           data={"csrf_token": token, field: "<a b " * (length // 5),
                                 "action": "reject"})
    assert response.status_code == 413, response.status_code
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert checksum(strict) == before


@pytest.mark.parametrize(("path", "size"), [("/moderate/login", 20 * 1024),
                                            ("/my/{token}/withdraw", 20 * 1024),
                                            ("/share", 300 * 1024)])
def test_a_body_larger_than_its_view_takes_is_a_413_with_a_reason(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged, path: str, size: int) -> None:
    client = strict.test_client()
    response = client.post(path.format(token=things.token),
                           data={f"f{i}": "x" * 1000 for i in range(size // 1000)})
    assert response.status_code == 413
    assert "KB at most" in response.get_data(as_text=True)


@pytest.fixture
def touchy(database_url: str) -> Iterator[Flask]:
    application = strict_app(database_url, REFUSED_POST_RATE_LIMIT="3 per hour")
    yield application
    application.extensions["waitline.engine"].dispose()


def test_refused_posts_count_against_the_address(touchy: Flask) -> None:  # type: ignore[no-untyped-def]
    client = touchy.test_client()
    client.get("/moderate/login")
    assert client.post("/moderate/login", data={"email": "a@example.org"}).status_code == 400
    stale = share_fields("Sent with a stale token", 8) | {"csrf_token": "stale"}
    assert client.post("/share", data=stale).status_code == 400
    assert client.post("/moderate/login", data={"password": "x" * 20_000}).status_code == 413
    # The fourth is refused before its body is read, however good it is.
    response = client.post("/share", data=share_post(client))
    assert response.status_code == 429
    assert "refused lately" in response.get_data(as_text=True)
    # Another address is not affected.
    other = touchy.test_client()
    response = other.post("/share", data=share_post(other),
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 303


@pytest.mark.parametrize("path", ["/share", "/moderate/login", "/my/{token}/withdraw"])
def test_a_form_of_more_fields_than_its_view_has_is_a_413_before_it_is_parsed(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Werkzeug bounds a multipart form's parts, not URL-encoded pairs: 14,000 short fields fit
    # in the patients' 256 KB (about 50 ms of CPU to parse), and the moderators' 16 KB.
    parsed: list[int] = []
    real = werkzeug.formparser.parse_qsl

    def counting(text: str, *args: object, **kwargs: object) -> list[tuple[str, str]]:
        parsed.append(len(text))
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(werkzeug.formparser, "parse_qsl", counting)
    client = strict.test_client()
    fields = 14_000 if path == "/share" else 1_400
    response = client.post(path.format(token=things.token),
                           data="&".join(f"f{i}=" for i in range(fields)),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "more boxes than this page has (200 at most)" in response.get_data(as_text=True)
    assert not parsed  # refused before any parsing
    # A form within the bound is parsed as before.
    client.post(path.format(token=things.token), data={"f": "x"})
    assert parsed


def test_a_bulk_decision_takes_its_thousand_ids_and_a_long_reason(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    # The bulk form carries up to BULK_MAX ids and a reason of up to REASON_MAX characters;
    # the moderators' general bound (200 fields, 1,000 characters) would refuse it unread.
    client = strict.test_client()
    sign_in(strict, client)
    page = client.get("/moderate/")
    form = [("csrf_token", csrf_of(page.get_data(as_text=True))), ("action", "reject"),
            ("reason_id", ""), ("reason", "r" * 1_999)]
    form += [("id", str(2_000_000 + n)) for n in range(BULK_MAX)]
    response = client.post("/moderate/bulk", data=urlencode(form),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_a_multipart_form_of_too_many_parts_says_so(strict: Flask) -> None:  # type: ignore[no-untyped-def]
    # Werkzeug refuses it (max_form_parts) within the body's bound: the reason is the fields'
    # number, not the body's size.
    response = strict.test_client().post(
        "/share", data={f"f{i}": "x" for i in range(300)}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "more boxes than this page has (200 at most)" in response.get_data(as_text=True)
