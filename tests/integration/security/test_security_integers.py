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
# Named above for the pages of a later arrangement; none reads them here (see the test).
READ_NOWHERE_HERE = {"page", "release", "wait", "year"}
pytestmark = pytest.mark.slow
INT_PLACE = re.compile(r"<int:[a-z_]+>")


class _Noting:
    """What a page learnt of a request's query arguments: the names whose value it read, and
    the names whose mere presence it asked about (`in`, or going through the names).

    A page's answer can depend on an argument's value only through a read of that value; its
    presence is the same for every value sent here (none is empty). Every way of reading one
    value by name notes that name; every way of reading all the values notes them all. Only
    the query's own items() are not noted: the language links and the canonical link copy
    each argument into a URL with it, the same for every page and every name (the combined
    requests below send each value through them on every page)."""

    names: set[str]
    looked: set[str]

    def _read(self, key: object) -> None:
        self.names.add(str(key))

    def _read_all(self) -> None:
        self.names.update(dict.keys(self))  # type: ignore[arg-type]

    def _look_all(self) -> None:
        self.looked.update(dict.keys(self))  # type: ignore[arg-type]

    # The ways of reading both kinds of arguments share (each class adds its own below).
    def __getitem__(self, key: str) -> Any:
        self._read(key)
        return super().__getitem__(key)  # type: ignore[misc]

    def __contains__(self, key: object) -> bool:
        self.looked.add(str(key))
        return super().__contains__(key)  # type: ignore[misc,no-any-return]

    def __iter__(self) -> Any:  # also makes dict(copy) and {**copy} read through __getitem__
        self._look_all()
        return super().__iter__()  # type: ignore[misc]

    def keys(self) -> Any:
        self._look_all()
        return super().keys()  # type: ignore[misc]

    def values(self) -> Any:
        self._read_all()
        return super().values()  # type: ignore[misc]


class _ReadDict(_Noting, dict[str, Any]):
    """A copy of the arguments (to_dict) that notes into the same sets as the original: the
    moderation pages read their filters from one. Whatever else a copy might be asked for is
    noted as a read of every value."""

    def __init__(self, items: dict[str, Any], names: set[str], looked: set[str]) -> None:
        super().__init__(items)
        self.names, self.looked = names, looked

    def get(self, key: str, default: Any = None) -> Any:
        self._read(key)
        return super().get(key, default)

    def items(self) -> Any:
        self._read_all()
        return super().items()

    def copy(self) -> Any:
        self._read_all()
        return super().copy()

    def pop(self, key: str, *default: Any) -> Any:
        self._read(key)
        return super().pop(key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._read(key)
        return super().setdefault(key, default)

    def __or__(self, other: Any) -> Any:
        self._read_all()
        return super().__or__(other)

    def __ror__(self, other: Any) -> Any:
        self._read_all()
        return super().__ror__(other)


class _ReadArgs(_Noting, ImmutableMultiDict[str, str]):
    """A request's query arguments that note what the page learnt of them (see _Noting)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names, self.looked = set(), set()

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        self._read(key)
        return super().get(key, default, type)

    def getlist(self, key: str, type: Any = None) -> Any:
        self._read(key)
        return super().getlist(key, type)

    def to_dict(self, flat: bool = True) -> Any:
        values = {key: lst[0] if flat else list(lst) for key, lst in dict.items(self)}
        return _ReadDict(values, self.names, self.looked)

    def lists(self) -> Any:
        self._read_all()
        return super().lists()


class _NotingRequest(Request):
    parameter_storage_class = _ReadArgs


def test_every_integer_place_answers_without_a_server_error(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    """Each fuzzed value in each integer place of the URL and in each query argument.

    A page that did not read an argument's value given the first value alone cannot treat
    another value of it differently: nothing it did depended on the value. Such arguments get
    the other values all together, one request per value (which also sends every value
    through the language and canonical links that copy the query); an argument whose value
    the page reads gets each value in a request of its own (issue 19).

    Which arguments a page reads is asked of it once with all of them together first: a page
    that then neither read nor looked for any of them ran as it would with none of them, and
    so as it would with any one of them alone. Only the pages that touched one are asked
    argument by argument (about one page in five: the listings, the queue, the API)."""
    strict.request_class = _NotingRequest
    client = strict.test_client()
    sign_in(strict, client)  # an admin: every page is in reach
    tried = 0
    read_anywhere: set[str] = set()
    looked_anywhere: set[str] = set()
    names = set(QUERY_NAMES)

    def check(url: str) -> tuple[set[str], set[str]]:
        """GET `url`: a page, or a refusal with a reason, never a server error; the names of
        the query arguments whose value the page read, and of those it looked for (a streamed
        answer may read them while it runs)."""
        nonlocal tried
        with client:  # the request stays reachable after the answer, to read its arguments
            response = client.get(url)
            response.get_data()  # a streamed answer (the audit CSV) runs to its end, as served
            args = flask.request.args
            read = set(getattr(args, "names", ()))
            looked = set(getattr(args, "looked", ()))
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code >= 400:
            assert response.status_code in (400, 404, 410), (url, response.status_code)
        tried += 1
        read_anywhere.update(read)
        looked_anywhere.update(looked)
        return read, looked

    def all_at(page: str, value: str, given: list[str]) -> str:
        return f"{page}?" + "&".join(f"{name}={value}" for name in given)

    for rule in strict.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        page = urls_for(rule, things)[0]
        fuzzed = [INT_PLACE.sub(value, rule.rule) for value in FUZZ]
        for url in fuzzed:
            if url != rule.rule and "<" not in url:
                check(url)
        read, looked = check(all_at(page, FUZZ[0], QUERY_NAMES))
        if (read | looked) & names:
            unread = [name for name in QUERY_NAMES
                      if name not in check(f"{page}?{name}={FUZZ[0]}")[0]]
        else:
            unread = list(QUERY_NAMES)
        for name in QUERY_NAMES:
            if name not in unread:
                for value in FUZZ[1:]:
                    check(f"{page}?{name}={value}")
        for value in FUZZ[1:]:
            if unread:
                check(all_at(page, value, unread))
    assert tried > 500
    # The noting works: some page looks for every argument named above (the API's pages
    # refuse one they do not take), and reads the value of each but those no page of this
    # arrangement reads (the statistics pages, with no release published, do not get that far).
    assert looked_anywhere >= names, names - looked_anywhere
    assert read_anywhere >= names - READ_NOWHERE_HERE, names - READ_NOWHERE_HERE - read_anywhere


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
