"""A patient's new story is on disk before the receipt shows: on SQLite its commit waits
until the write-ahead log is synced (synchronous=FULL, as every PostgreSQL commit does),
whichever way it is sent; the journey's drafts and other writes keep NORMAL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from journey_helpers import REQUIRED, answer, send, start
from sqlalchemy import event

FULL, NORMAL = 2, 1


@pytest.fixture
def levels(app: Flask) -> Iterator[list[int]]:
    """SQLite's synchronous level in force at each commit of the app's engine, in order."""
    engine = app.extensions["waitline.engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL syncs every commit")
    seen: list[int] = []

    def at_commit(connection: Any) -> None:
        seen.append(connection.exec_driver_sql("PRAGMA synchronous").scalar())

    event.listen(engine, "commit", at_commit)
    yield seen
    event.remove(engine, "commit", at_commit)


def test_a_story_sent_in_one_post_is_synced_before_the_receipt(share: Any,
                                                               levels: list[int]) -> None:
    share()
    assert levels[-1] == FULL


def test_a_story_sent_from_the_journey_is_synced_and_its_drafts_are_not(
        client: FlaskClient, levels: list[int]) -> None:
    start(client)
    for step, data in REQUIRED:
        answer(client, step, data)
    drafts = list(levels)
    assert send(client).status_code == 303
    assert drafts and set(drafts) == {NORMAL}
    assert levels[-1] == FULL
