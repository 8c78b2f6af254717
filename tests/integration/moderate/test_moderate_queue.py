"""The queue: pending only, urgent pinned newest first, the rest oldest first, key-based pages,
counts, filters, flags."""

from __future__ import annotations

import datetime as dt
import re
import time
import types

import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import version_of
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials.caching import lru, values
from testimonials.models import StatusCount
from testimonials.moderate import queue, queue_views
from testimonials.vocab import Flag, Language, Status
from tests import builders

ITEM = re.compile(r'class="queue-link" href="/moderate/(\d+)')
T0 = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)


def _ids(page: str) -> list[int]:
    return [int(found) for found in ITEM.findall(page)]


def _item(session: Session, hours: int, **fields: object) -> int:
    created = T0 + dt.timedelta(hours=hours)
    return builders.submission(session, created_at=created, updated_at=created, **fields).id


def test_urgent_items_newest_first_then_the_rest_oldest_first(mod_client: FlaskClient,
                                                              session: Session) -> None:
    newer = _item(session, 5)
    older = _item(session, 1)
    urgent_new = _item(session, 9, is_urgent=True, flags=int(Flag.CRISIS))
    urgent_old = _item(session, 3, is_urgent=True, flags=int(Flag.CRISIS))
    _item(session, 0, status=Status.APPROVED)
    _item(session, 0, status=Status.REJECTED)
    session.commit()
    page = mod_client.get("/moderate/").get_data(as_text=True)
    assert _ids(page) == [urgent_new, urgent_old, older, newer]


def test_pages_follow_the_key_not_an_offset(mod_client: FlaskClient, session: Session) -> None:
    urgent = [_item(session, hour, is_urgent=True) for hour in range(30)]  # over a page
    ordinary = [_item(session, hour) for hour in range(60)]
    session.commit()
    expected = urgent[::-1] + ordinary
    seen: list[int] = []
    path = "/moderate/"
    while path:
        page = mod_client.get(path).get_data(as_text=True)
        seen += _ids(page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        path = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == expected
    assert len(expected) > queue.PAGE_SIZE * 2


def test_counts_by_status(mod_client: FlaskClient, session: Session) -> None:
    for status, number in ((Status.PENDING, 3), (Status.APPROVED, 2), (Status.SPAM, 1)):
        for _ in range(number):
            _item(session, 1, status=status)
    _item(session, 1, is_urgent=True)
    session.commit()
    counts = queue.status_counts(session)
    assert counts["pending"] == 4 and counts["urgent"] == 1
    assert counts["approved"] == 2 and counts["spam"] == 1 and counts["rejected"] == 0
    page = mod_client.get("/moderate/").get_data(as_text=True)
    assert "<strong>4</strong> waiting for review" in page


def test_the_queue_page_shows_the_stored_counts(mod_client: FlaskClient,
                                                 session: Session) -> None:
    for status, number in ((Status.PENDING, 3), (Status.APPROVED, 2), (Status.REJECTED, 4),
                           (Status.SPAM, 1), (Status.WITHDRAWN, 5)):
        for hours in range(number):
            _item(session, hours, status=status)
    _item(session, 9, is_urgent=True)
    session.commit()
    # A figure no count of the rows gives: the page shows what status_count holds.
    session.execute(update(StatusCount).where(StatusCount.status == "rejected")
                    .values(items=StatusCount.items + 40))
    session.commit()
    page = mod_client.get("/moderate/").get_data(as_text=True)
    shown = {label: int(number.replace(",", "")) for number, label in re.findall(
        r"<strong>([\d,]+)</strong> (waiting for review|urgent|approved|rejected|spam|"
        r"withdrawn)<", page)}
    assert shown == {"waiting for review": 4, "urgent": 1, "approved": 2, "rejected": 44,
                     "spam": 1, "withdrawn": 5}


def test_a_kept_queue_page_shows_newcomers_after_page_seconds_and_decisions_at_once(
        app: Flask, mod_client: FlaskClient, session: Session,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_views, "PAGE_SECONDS", 0.5)
    # The kept values' clock, moved forward below instead of sleeping (issue 19).
    ahead = [0.0]
    clock = types.SimpleNamespace(monotonic=lambda: time.monotonic() + ahead[0])
    monkeypatch.setattr(lru, "time", clock)
    monkeypatch.setattr(values, "time", clock)
    first, second = _item(session, 1), _item(session, 2)
    session.commit()
    mod_client.get("/moderate/")  # the forms' token is in the session from here on
    assert _ids(mod_client.get("/moderate/").get_data(as_text=True)) == [first, second]
    kept = app.extensions["waitline.caching"].values
    assert len(kept) == 2  # the whole page for this moderator, and the runtime settings
    newcomer = _item(session, 3)  # a new submission moves no generation: kept page shown
    session.commit()
    assert newcomer not in _ids(mod_client.get("/moderate/").get_data(as_text=True))
    ahead[0] += 0.6  # kept no more than PAGE_SECONDS
    assert newcomer in _ids(mod_client.get("/moderate/").get_data(as_text=True))
    monkeypatch.setattr(queue_views, "PAGE_SECONDS", 3600.0)
    mod_client.get("/moderate/")
    page = mod_client.get(f"/moderate/{first}").get_data(as_text=True)
    response = mod_client.post(f"/moderate/{first}/decide", data={
        "action": "spam", "version": version_of(page)})
    assert response.status_code == 302
    # The decision moved the generation; this worker reads it at its commit.
    assert first not in _ids(mod_client.get("/moderate/").get_data(as_text=True))


def test_a_kept_queue_page_is_kept_in_each_language_apart(mod_client: FlaskClient) -> None:
    mod_client.get("/moderate/")  # the forms' token is in the session from here on
    assert '<html lang="en">' in mod_client.get("/moderate/").get_data(as_text=True)  # kept
    spanish = mod_client.get("/moderate/", headers={"Accept-Language": "es"})
    assert '<html lang="es">' in spanish.get_data(as_text=True)
    assert spanish.headers["Content-Language"] == "es"
    assert '<html lang="en">' in mod_client.get("/moderate/").get_data(as_text=True)


def test_filters_narrow_the_queue(mod_client: FlaskClient, session: Session) -> None:
    east = builders.facility(session)
    north = builders.facility(session, "Santa Rosa Medical Center", "Santa Rosa", "North Bay")
    in_east = _item(session, 1, place=east)
    in_north_es = _item(session, 2, place=north, language=Language.ES)
    flagged = _item(session, 3, place=north, flags=int(Flag.PERSONAL_DATA | Flag.DUPLICATE))
    session.commit()
    cases = {
        f"facility={east.id}": [in_east],
        f"region={north.region_id}": [in_north_es, flagged],
        "language=es": [in_north_es],
        "flag=personal_data": [flagged],
        "flag=duplicate": [flagged],
        "flag=none": [in_east, in_north_es],
        "flag=bogus&language=xx": [in_east, in_north_es, flagged],
    }
    for query, expected in cases.items():
        assert _ids(mod_client.get(f"/moderate/?{query}").get_data(as_text=True)) == expected, query


def test_flags_show_as_words_and_marks(mod_client: FlaskClient, session: Session) -> None:
    _item(session, 1, is_urgent=True, flags=int(Flag.CRISIS | Flag.PERSONAL_DATA))
    session.commit()
    page = mod_client.get("/moderate/").get_data(as_text=True)
    assert "Crisis language" in page and "Possible personal data" in page
    assert 'class="flag-mark" aria-hidden="true">!<' in page


def test_queue_text_is_escaped(mod_client: FlaskClient, session: Session) -> None:
    _item(session, 1, story="I waited <3 months & cried <script>alert(1)</script> " * 3,
          original_title="<b>Title</b>")
    session.commit()
    page = mod_client.get("/moderate/").get_data(as_text=True)
    assert "I waited &lt;3 months &amp; cried &lt;script&gt;" in page
    assert "<script>alert" not in page and "<b>Title" not in page


def test_an_empty_queue_says_so(mod_client: FlaskClient) -> None:
    assert "Nothing is waiting for review" in mod_client.get("/moderate/").get_data(as_text=True)


def test_the_queue_says_why_urgent_items_come_first(mod_client: FlaskClient,
                                                    session: Session) -> None:
    _item(session, 1)
    _item(session, 2, is_urgent=True, flags=int(Flag.CRISIS))
    session.commit()
    calm = mod_client.get("/moderate/?flag=none").get_data(as_text=True)
    assert "Urgent items come first" not in calm  # no urgent item listed, nothing to explain
    page = mod_client.get("/moderate/").get_data(as_text=True)
    assert "Urgent items come first, newest first: they mention suicide or self-harm" in page


def test_review_moves_through_urgent_items_newest_first(app: Flask, session: Session) -> None:
    old, new = (_item(session, hour, is_urgent=True, flags=int(Flag.CRISIS)) for hour in (1, 5))
    rest = _item(session, 0)
    session.commit()
    filters = queue.Filters()
    with app.app_context():
        at = {item: queue.position(session, item) for item in (old, new, rest)}
        assert [found.id for found in queue.page(session, filters, None, size=1)] == [new]
        assert queue.neighbour(session, filters, at[new], later=True) == old  # type: ignore[arg-type]
        assert queue.neighbour(session, filters, at[old], later=True) == rest  # type: ignore[arg-type]
        assert queue.neighbour(session, filters, at[rest], later=False) == old  # type: ignore[arg-type]
        assert queue.neighbour(session, filters, at[old], later=False) == new  # type: ignore[arg-type]
        assert queue.neighbour(session, filters, at[new], later=False) is None  # type: ignore[arg-type]
