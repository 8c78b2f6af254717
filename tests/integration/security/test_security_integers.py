"""Numbers the database cannot hold, and numbers that are not numbers, in every integer place
of every route (URL converters and query arguments): a 400 or 404 with a reason, never a 500."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from security_helpers import Arranged, sign_in, strict_app, urls_for

FUZZ = ["9223372036854775808", "2147483648", "99999999999999999999999", "-1", "1e3",
        "\u00b2", "\u0663", "00000000000000000001"]
# Every query argument any page reads (most take integers: ids, cursors, versions).
QUERY_NAMES = ["region", "facility", "care", "outcome", "wait", "after", "before", "item",
               "actor", "language", "flag", "page", "year", "release"]
pytestmark = pytest.mark.slow
INT_PLACE = re.compile(r"<int:[a-z_]+>")


def test_every_integer_place_answers_without_a_server_error(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    client = strict.test_client()
    sign_in(strict, client)  # an admin: every page is in reach
    tried = 0
    for rule in strict.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        urls = urls_for(rule, things)
        fuzzed = [INT_PLACE.sub(value, rule.rule) for value in FUZZ]
        fuzzed = [url for url in fuzzed if url != rule.rule and "<" not in url]
        queried = [f"{urls[0]}?{name}={value}" for name in QUERY_NAMES for value in FUZZ]
        for url in fuzzed + queried:
            response = client.get(url)
            response.get_data()  # a streamed answer (the audit CSV) runs to its end, as served
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code >= 400:
                assert response.status_code in (400, 404, 410), (url, response.status_code)
            tried += 1
    assert tried > 500


@pytest.mark.parametrize("path", ["/stories?region=99999999999999999999999",
                                  "/stories?facility=9223372036854775808",
                                  "/api/v1/stories?region=2147483648",
                                  "/stories/99999999999999999999999",
                                  "/stats?region=99999999999999999999999"])
def test_a_number_too_large_is_refused_with_a_reason(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged, path: str) -> None:
    response = strict.test_client().get(path)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code != 200:
        body = response.get_data(as_text=True)
        assert "Something went wrong" not in body


def test_a_number_the_database_refuses_anywhere_is_a_400_not_a_500(database_url: str) -> None:
    """The net under every route, a future one too: the driver's own overflow is the request's
    fault, said plainly."""
    from sqlalchemy import select

    from testimonials import db
    from testimonials.models import Submission
    app = strict_app(database_url)

    @app.get("/test-overflow")
    def overflow() -> str:
        db.session().execute(select(Submission.id).where(Submission.id == 2**70)).all()
        return "unreachable"

    response = app.test_client().get("/test-overflow")
    app.extensions["waitline.engine"].dispose()
    assert response.status_code == 400
    assert "too large" in response.get_data(as_text=True)
