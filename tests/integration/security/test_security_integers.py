"""Numbers the database cannot hold, and numbers that are not numbers, in every integer place
of every route (URL converters and query arguments): a 400 or 404 with a reason, never a 500."""

from __future__ import annotations

import re
from typing import Any

import flask
import pytest
from flask import Flask, Request
from security_helpers import Arranged, sign_in, strict_app, urls_for
from werkzeug.datastructures import ImmutableMultiDict

FUZZ = ["9223372036854775808", "2147483648", "99999999999999999999999", "-1", "1e3",
        "\u00b2", "\u0663", "00000000000000000001"]
# Every query argument any page reads (most take integers: ids, cursors, versions).
QUERY_NAMES = ["region", "facility", "care", "outcome", "wait", "after", "before", "item",
               "actor", "language", "flag", "page", "year", "release"]
pytestmark = pytest.mark.slow
INT_PLACE = re.compile(r"<int:[a-z_]+>")


class _ReadArgs(ImmutableMultiDict[str, str]):
    """A request's query arguments that note which names the page looked at.

    Every way of reading a value by name (get, getlist, [], in) notes that name; every way of
    reading them all (to_dict, iteration, keys, values, lists) notes them all. Only items() is
    not noted: the language links and the canonical link copy each argument into a URL with
    it, the same for every page and every name (the combined request below sends each value
    through them on every page)."""

    names: set[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = set()

    def _all(self) -> None:
        self.names.update(dict.keys(self))

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        self.names.add(key)
        return super().get(key, default, type)

    def getlist(self, key: str, type: Any = None) -> Any:
        self.names.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key: str) -> str:
        self.names.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.names.add(str(key))
        return super().__contains__(key)

    def to_dict(self, flat: bool = True) -> Any:
        self._all()
        return super().to_dict(flat)

    def __iter__(self) -> Any:
        self._all()
        return super().__iter__()

    def keys(self) -> Any:
        self._all()
        return super().keys()

    def values(self) -> Any:
        self._all()
        return super().values()

    def lists(self) -> Any:
        self._all()
        return super().lists()


class _NotingRequest(Request):
    parameter_storage_class = _ReadArgs


def test_every_integer_place_answers_without_a_server_error(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    """Each fuzzed value in each integer place of the URL and in each query argument.

    A page that did not read an argument given the first value alone cannot treat another
    value of it differently: nothing it did depended on it. Such arguments get the other
    values all together, one request per value (which also sends every value through the
    language and canonical links that copy the query); an argument the page reads gets each
    value in a request of its own. A third of the requests of one per argument and value,
    and every page and value still checked (issue 19)."""
    strict.request_class = _NotingRequest
    client = strict.test_client()
    sign_in(strict, client)  # an admin: every page is in reach
    tried = 0
    read_anywhere: set[str] = set()

    def check(url: str) -> set[str]:
        """GET `url`: a page, or a refusal with a reason, never a server error; the names of
        the query arguments the page read (a streamed answer may read them while it runs)."""
        nonlocal tried
        with client:  # the request stays reachable after the answer, to read its arguments
            response = client.get(url)
            response.get_data()  # a streamed answer (the audit CSV) runs to its end, as served
            names = set(getattr(flask.request.args, "names", ()))
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code >= 400:
            assert response.status_code in (400, 404, 410), (url, response.status_code)
        tried += 1
        read_anywhere.update(names)
        return names

    for rule in strict.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        page = urls_for(rule, things)[0]
        fuzzed = [INT_PLACE.sub(value, rule.rule) for value in FUZZ]
        for url in fuzzed:
            if url != rule.rule and "<" not in url:
                check(url)
        unread = [name for name in QUERY_NAMES
                  if name not in check(f"{page}?{name}={FUZZ[0]}")]
        for name in QUERY_NAMES:
            if name not in unread:
                for value in FUZZ[1:]:
                    check(f"{page}?{name}={value}")
        for value in FUZZ[1:]:
            if unread:
                check(f"{page}?" + "&".join(f"{name}={value}" for name in unread))
    assert tried > 500
    # The noting works: every argument named above is read by some page.
    assert read_anywhere >= set(QUERY_NAMES), set(QUERY_NAMES) - read_anywhere


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
