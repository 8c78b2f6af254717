"""The stories API: public fields only, the same filters and cursors as the page, JSON errors,
CORS for reading, and the OpenAPI document that describes it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from public_library import SECRETS, T0, Library, publish
from sqlalchemy.orm import Session

from testimonials.vocab import CareType, Outcome, WaitKind, WaitState

STORY_FIELDS = {"id", "url", "title", "story", "display_name", "language", "story_language",
                "facility", "care_types", "outcomes", "waits", "experience_month", "published_at",
                "updated_at"}


def follow(client: FlaskClient, url: str) -> dict:  # type: ignore[type-arg]
    parts = urlsplit(url)
    response = client.get(parts.path, query_string=parts.query)
    assert response.status_code == 200
    return response.get_json()


def test_a_story_carries_exactly_the_public_fields(client: FlaskClient, session: Session,
                                                   library: Library) -> None:
    row = publish(session, library.oakland, when=T0, title="Six weeks", story="We waited. " * 6,
                  care=CareType.GROUP | CareType.CHILD, outcomes=Outcome.GOT_WORSE,
                  display_name=None,
                  waits={WaitKind.INTAKE: (WaitState.ENDED, 42),
                         WaitKind.PSYCHIATRY: (WaitState.GAVE_UP, None)})
    session.commit()
    body = client.get(f"/api/v1/stories/{row.id}").get_json()
    story = body["data"]
    assert set(body) == {"data", "licence"}
    assert body["licence"]["spdx"] == "CC-BY-NC-ND-4.0"
    assert set(story) == STORY_FIELDS
    assert story["id"] == row.id
    assert story["url"] == f"http://localhost/stories/{row.id}"
    assert story["title"] == "Six weeks" and story["story"] == "We waited. " * 6
    assert story["display_name"] == "Anonymous"
    assert story["language"] == "en"
    assert story["facility"] == {
        "id": library.oakland.id, "name": "Oakland Medical Center", "city": "Oakland",
        "region": {"id": library.oakland.region_id, "name": "East Bay", "slug": "east-bay"}}
    assert story["care_types"] == ["group", "child"]
    assert story["outcomes"] == ["got_worse"]
    assert story["waits"] == [
        {"kind": "intake", "state": "ended", "days": 42, "standard_days": 14,
         "over_standard": True},
        {"kind": "psychiatry", "state": "gave_up", "days": None, "standard_days": 21,
         "over_standard": None},
    ]
    assert story["experience_month"] == "2026-05"
    assert story["published_at"] == "2026-01-05T09:30:00Z"
    assert story["updated_at"] >= story["published_at"]


def test_no_private_value_reaches_the_api(client: FlaskClient, library: Library) -> None:
    bodies = [client.get("/api/v1/stories").get_data(as_text=True),
              client.get(f"/api/v1/stories/{library.published[0]}").get_data(as_text=True)]
    for body in bodies:
        for name, secret in SECRETS.items():
            assert secret not in body, name
        for private in ("original", "email", "flags", "moderator_note", "decision_reason",
                        "token", "is_urgent", "consent", "fingerprint"):
            assert f'"{private}' not in body, private


def test_list_pages_by_cursor_links(client: FlaskClient, library: Library) -> None:
    first = client.get("/api/v1/stories").get_json()
    assert [s["id"] for s in first["data"]] == library.published[:20]
    assert first["links"]["prev"] is None
    second = follow(client, first["links"]["next"])
    assert [s["id"] for s in second["data"]] == library.published[20:]
    assert second["links"]["next"] is None
    back = follow(client, second["links"]["prev"])
    assert [s["id"] for s in back["data"]] == library.published[:20]


def test_list_takes_the_same_filters_as_the_page(client: FlaskClient, library: Library) -> None:
    body = client.get("/api/v1/stories", query_string={
        "care": "group", "facility": library.oakland.id}).get_json()
    assert [s["id"] for s in body["data"]] == library.group_at_oakland
    assert "care=group" in body["links"]["first"]


@pytest.mark.parametrize("query,parameter", [
    ({"facility": "abc"}, "facility"), ({"care": "everything"}, "care"),
    ({"before": "nonsense"}, "before"), ({"q": "x" * 201}, "q"),
    ({"region": "Not A Slug"}, "region"),
])
def test_malformed_parameters_get_a_400_problem_naming_them(client: FlaskClient, query: dict,  # type: ignore[type-arg]
                                                            parameter: str) -> None:
    response = client.get("/api/v1/stories", query_string=query)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400
    assert problem["detail"].startswith(f"{parameter}: ")
    assert problem["invalid-params"][0]["name"] == parameter


def test_a_repeated_parameter_gets_400(client: FlaskClient) -> None:
    response = client.get("/api/v1/stories?care=group&care=individual")
    assert response.status_code == 400
    assert response.get_json()["detail"].startswith("care: ")


@pytest.mark.parametrize("which,status", [("withdrawn", 410), ("unpublished", 410),
                                          ("pending", 404), ("rejected", 404)])
def test_story_not_public_is_gone_or_unknown(client: FlaskClient, library: Library,
                                             which: str, status: int) -> None:
    response = client.get(f"/api/v1/stories/{getattr(library, which)}")
    assert response.status_code == status
    assert response.get_json()["status"] == status


@pytest.mark.parametrize("path", ["/api/v1/stories/999999", "/api/v1/stories/9999999999999"])
def test_unknown_story_is_404_json(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.is_json


def test_cors_is_open_for_reading_only(client: FlaskClient, library: Library) -> None:
    origin = {"Origin": "https://newsroom.example"}
    assert client.get("/api/v1/stories", headers=origin).headers[
        "Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/stories?care=nope", headers=origin).headers[
        "Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/stories", headers={
        **origin, "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    post = client.post("/api/v1/stories", headers=origin)
    assert post.status_code == 405
    assert "Access-Control-Allow-Origin" not in post.headers
    # The site's own pages are not opened up.
    assert "Access-Control-Allow-Origin" not in client.get("/stories", headers=origin).headers


def test_openapi_document_describes_both_areas(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/stats"} <= set(
        document["paths"])
    assert {"Story", "StoryPage", "Problem", "Licence"} <= set(document["components"]["schemas"])
    story = document["components"]["schemas"]["Story"]
    assert set(story["properties"]) == STORY_FIELDS
    assert story["additionalProperties"] is False
