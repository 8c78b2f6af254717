"""Reading never writes: a GET of any page or file a reader, a patient or a crawler can ask for
leaves the database as it was (no INSERT, UPDATE or DELETE), and builds no file in-request.

Every GET rule of the app outside the moderators' and admins' blueprints is asked for, with
real ids, so that a new route is covered the day it is added (a route with a parameter the
test cannot fill fails the test instead of being skipped).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from testimonials import bulk
from testimonials.services.submissions import token_hash
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders

TOKEN = "a-receipt-token-for-this-test"
WRITES = ("insert", "update", "delete", "replace", "create", "drop", "alter")
STAFF = ("moderate.", "admin.")


@pytest.fixture
def published(app: Flask, session: Session) -> dict[str, Any]:
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    stories = [builders.submission(session, status=Status.APPROVED, place=place,
                                   waits={WaitKind.INTAKE: (WaitState.ENDED, 5 + n)})
               for n in range(12)]
    stories[0].token_hash = token_hash(TOKEN)
    session.commit()
    builders.release(app)
    bulk.build(app)
    return {"facility_id": place.id, "region_id": place.region_id, "story_id": stories[0].id,
            "number": 1, "page": 1, "token": TOKEN, "filename": "css/share.css",
            "kind": "svg", "step": "story"}


def _paths(app: Flask, values: dict[str, Any]) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint.startswith(STAFF):
            continue
        arguments = dict(values)
        if rule.endpoint.endswith("chart_file"):
            arguments["name"] = "waits-intake"
        if rule.endpoint == "public.about":
            arguments["page"] = "privacy"
        missing = set(rule.arguments) - arguments.keys()
        if rule.endpoint == "public.bulk_file":
            paths += [f"/data/{name}" for name in bulk.FILES]
            continue
        assert not missing, f"{rule.rule}: give the test a value for {missing}"
        with app.test_request_context():
            from flask import url_for

            paths.append(url_for(rule.endpoint, **{k: arguments[k] for k in rule.arguments}))
    return sorted(paths)


def test_no_get_writes_to_the_database(app: Flask, published: dict[str, Any]) -> None:
    engine = app.extensions["waitline.engine"]
    written: list[tuple[str, str]] = []
    asking: list[str] = []

    def note_writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(None, 1)[0].lower() in WRITES:
            written.append((asking[-1], statement.split("\n", 1)[0][:120]))

    paths = _paths(app, published)
    assert "/stories" in paths and "/stats.csv" in paths and "/data/stories.csv" in paths
    client = app.test_client()
    event.listen(engine, "before_cursor_execute", note_writes)
    try:
        for path in paths:
            for query in ("", "?lang=es"):
                asking.append(path + query)
                response = client.get(path + query)
                response.close()
                assert response.status_code < 500, path
    finally:
        event.remove(engine, "before_cursor_execute", note_writes)
    assert written == []


def test_the_bulk_files_are_not_built_by_a_request(app: Flask, published: dict[str, Any]) -> None:
    for name in bulk.FILES:
        (bulk.directory(app) / name).unlink()
    response = app.test_client().get("/data/stories.csv")
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert not any((bulk.directory(app) / name).exists() for name in bulk.FILES)
