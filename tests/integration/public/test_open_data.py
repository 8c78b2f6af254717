"""Open-data conventions: problems (RFC 9457), parameters, paging, rate limits, CORS, ETags,
the bulk files and a mirror that honours withdrawal, the tidy statistics file and its data
package, the OpenAPI document and its page."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pandas
import polars
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from public_library import Library
from sqlalchemy.orm import Session

from testimonials import bulk, create_app, db
from testimonials.models import Facility, Submission
from testimonials.services import accounts, facilities, moderation, submissions
from testimonials.stats import tidy
from testimonials.stats.export import SUMMARY_COLUMNS
from testimonials.vocab import Role
from tests import builders
from tests.integration.quick_processes import forkserver_for_spawn

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def own_bulk_directory(app: Flask, tmp_path: Any) -> None:
    app.config["OPEN_DATA_DIR"] = str(tmp_path / "open-data")
ENDPOINTS = ["/api/v1/stories", "/api/v1/stats", "/api/v1/stories/removed", "/api/v1/regions",
             "/api/v1/facilities"]


def get(client: FlaskClient, url: str) -> Any:
    parts = urlsplit(url)
    response = client.get(parts.path, query_string=parts.query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_unknown_parameter_is_the_same_problem_on_every_endpoint(
        client: FlaskClient, library: Library, path: str) -> None:
    response = client.get(path, query_string={"colour": "red"})
    assert response.status_code == 400 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"].endswith("/api/#problem-unknown-parameter")
    assert problem["title"] == "A parameter this address does not take"
    assert problem["status"] == 400 and problem["instance"] == path
    assert problem["invalid-params"][0]["name"] == "colour"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/stories?lang=es&lang=en", "/api/v1/stats?lang=xx",
                                  "/api/v1/stories?limit=0", "/api/v1/stories?limit=101",
                                  "/api/v1/stories?limit=ten",
                                  "/api/v1/stories?updated_since=yesterday",
                                  "/api/v1/stories/removed?since=2026-01-05"])
def test_a_bad_value_names_the_parameter_at_fault(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"].endswith("#problem-invalid-parameter")
    name = problem["invalid-params"][0]["name"]
    assert name in path and problem["detail"].startswith(f"{name}: ")


def test_an_unknown_region_is_404_on_stories_and_statistics_alike(
        client: FlaskClient, library: Library) -> None:
    stories = client.get("/api/v1/stories?region=atlantis")
    assert stories.status_code == 404 and stories.mimetype == PROBLEM
    assert stories.get_json()["invalid-params"][0]["name"] == "region"


def test_limit_bounds_the_page_and_total_counts_the_matches(
        client: FlaskClient, library: Library) -> None:
    body = get(client, "/api/v1/stories?limit=100")
    assert len(body["data"]) == 25 and body["meta"] == {"total": 25, "limit": 100}
    small = get(client, "/api/v1/stories?limit=5")
    assert len(small["data"]) == 5 and "limit=5" in small["links"]["next"]
    assert get(client, "/api/v1/stories?q=therapist")["meta"]["total"] is None


def test_rate_limit_headers_and_retry_after(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "2 per minute"})
    try:
        client = app.test_client()
        first = client.get("/api/v1/regions")
        assert first.headers["RateLimit-Limit"] == "2"
        assert first.headers["RateLimit-Remaining"] == "1"
        assert int(first.headers["RateLimit-Reset"]) <= 60
        client.get("/api/v1/regions")
        refused = client.get("/api/v1/regions")
        assert refused.status_code == 429 and refused.mimetype == PROBLEM
        assert refused.get_json()["type"].endswith("#problem-too-many-requests")
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("path", ["/api/v1/stories", "/api/v1/stats", "/stats.csv",
                                  "/stats.json", "/stats/datapackage.json",
                                  "/stats/releases/1.csv", "/data/stories.csv",
                                  "/data/stories.jsonl", "/data/datapackage.json"])
def test_open_data_is_cors_open_cached_and_revalidated_weakly(
        app: Flask, client: FlaskClient, library: Library, path: str) -> None:
    builders.release(app)
    bulk.build(app)
    response = client.get(path, headers={"Origin": "https://newsroom.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    etag = response.headers["ETag"]
    weak = etag if etag.startswith("W/") else f"W/{etag}"
    again = client.get(path, headers={"If-None-Match": weak})
    response.close()
    again.close()
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == response.headers["Cache-Control"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    if not path.startswith("/api/v1/stories"):
        assert 'rel="license"' in response.headers["Link"]


def _mirror_sync(client: FlaskClient, mirror: dict[int, dict[str, Any]], since: str) -> None:
    url = f"/api/v1/stories?updated_since={since}&limit=7"
    while url:
        page = get(client, url)
        for story in page["data"]:
            mirror[story["id"]] = story
        url = page["links"]["next"]
    url = f"/api/v1/stories/removed?since={since}&limit=2"
    while url:
        page = get(client, url)
        for gone in page["data"]:
            mirror.pop(gone["id"], None)
        url = page["links"]["next"]


def _site(client: FlaskClient) -> dict[int, dict[str, Any]]:
    return {story["id"]: story
            for story in get(client, "/api/v1/stories?limit=100")["data"]}


def test_a_mirror_from_the_bulk_file_and_the_changes_ends_identical_to_the_site(
        app: Flask, client: FlaskClient, session: Session, library: Library) -> None:
    bulk.build(app)
    with client.get("/data/stories.jsonl") as response:
        jsonl = response.get_data(as_text=True)
    with client.get("/data/datapackage.json") as response:
        package = response.get_json()
    assert package["licenses"][0]["name"] == "CC-BY-NC-ND-4.0" and package["stories"] == 25
    mirror = {story["id"]: story for story in map(json.loads, jsonl.splitlines())}
    assert mirror == _site(client)
    since = package["created"]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    moderator = accounts.create_account(session, "mod@example.org", "a long enough passphrase",
                                        Role.ADMIN, later)
    edited, withdrawn, taken_down = (session.get(Submission, i) for i in library.published[:3])
    moderation.edit_public(session, edited, moderator, later, version=edited.version,
                           title="A new title", story="Edited by a moderator. " * 3)
    moderation.unpublish(session, taken_down, moderator, later, version=taken_down.version)
    submissions.withdraw(session, withdrawn, later)
    facilities.merge_facilities(session, session.get(Facility, library.fresno.id),
                                session.get(Facility, library.richmond.id), moderator, later)
    session.commit()
    _mirror_sync(client, mirror, since)
    assert mirror == _site(client)
    assert mirror[edited.id]["title"] == "A new title"
    assert withdrawn.id not in mirror and taken_down.id not in mirror
    assert not any(story["facility"]["id"] == library.fresno.id for story in mirror.values())


def test_the_tidy_statistics_file_reads_with_default_settings(
        app: Flask, client: FlaskClient, library: Library) -> None:
    builders.release(app)
    bulk.build(app)
    for path in ("/stats.csv", "/stats.csv?region=east-bay", "/stats/releases/1.csv?lang=es",
                 "/data/stories.csv"):
        with client.get(path) as response:
            raw = response.get_data()
        frame = pandas.read_csv(io.BytesIO(raw))
        assert len(frame) > 0 or path.startswith("/data")
        assert polars.read_csv(io.BytesIO(raw)).height == len(frame)
    frame = pandas.read_csv(io.BytesIO(client.get("/stats.csv").get_data()))
    assert list(frame.columns) == list(tidy.HELD_NAMES)  # a release since held figures
    assert frame["value"].dtype.kind == "f"  # numbers only; words are in status and code
    assert set(frame["status"]) <= {"shown", "suppressed", "missing"}
    assert set(frame["measure"]) <= set(SUMMARY_COLUMNS)
    quarters = frame.dropna(subset=["period"])
    assert len(quarters) and all(text[4:6] == " Q" for text in quarters["period"])
    assert quarters["month"].isna().all()


def test_the_statistics_data_package_describes_every_column(
        app: Flask, client: FlaskClient, library: Library) -> None:
    builders.release(app)
    package = client.get("/stats/datapackage.json?care=group").get_json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["version"] == "1" and package["release"]["number"] == 1
    assert package["filters"]["care"] == "group" and package["methods"]
    resource = package["resources"][0]
    assert resource["path"].endswith("/stats.csv?care=group")
    fields = resource["schema"]["fields"]
    assert [field["name"] for field in fields] == list(tidy.HELD_NAMES)
    assert all(field["description"] for field in fields)
    measures = next(f for f in fields if f["name"] == "measure")["constraints"]["enum"]
    assert measures == list(SUMMARY_COLUMNS)  # new figures flow through by themselves


def test_the_openapi_document_is_valid_and_complete(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("description"), (name, field)
            assert "examples" in prop, (name, field)
    for path, item in document["paths"].items():
        for status, answer in item["get"]["responses"].items():
            if status.startswith("3"):  # a redirect (a region's former slug): where to
                assert "Location" in answer["headers"], (path, status)
                assert answer["content"]["application/json"]["examples"], (path, status)
            elif status != "200":
                content = answer["content"]["application/problem+json"]
                assert content["examples"], (path, status)
        for parameter in item["get"].get("parameters", []):
            assert parameter.get("description") and "example" in parameter, (path, parameter)


REDOCLY = "@redocly/cli@2.77.0"


@pytest.mark.slow
def test_redocly_lint_finds_nothing(client: FlaskClient, tmp_path: Any) -> None:
    """Redocly's recommended rules, no error and no warning (npx fetches the pinned CLI from
    the npm registry on first use)."""
    if shutil.which("npx") is None:
        pytest.skip("npx (Node.js) is not installed")
    path = tmp_path / "openapi.json"
    path.write_bytes(client.get("/api/openapi.json").get_data())
    result = subprocess.run(["npx", "--yes", REDOCLY, "lint", "--format=summary", str(path)],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning " not in output and "error " not in output, output


@pytest.mark.parametrize("lang,heading", [("en", "Problem types"), ("es", "Tipos de problema")])
def test_the_api_page_is_rendered_from_the_document(client: FlaskClient, lang: str,
                                                    heading: str) -> None:
    page = client.get(f"/api/?lang={lang}").get_data(as_text=True)
    assert heading in page and "/api/v1/stories/removed" in page
    assert 'id="problem-unknown-parameter"' in page
    assert "<script" not in page.split("</head>", 1)[1]
    # The document's `code` runs are shown as code, not as backticks.
    assert "<code>ETag</code>" in page and "`" not in page.split("<main", 1)[1]


def test_the_bulk_files_are_rebuilt_by_a_command_for_cron(
        app: Flask, client: FlaskClient, library: Library, session: Session, tmp_path: Any) -> None:
    assert client.get("/data/datapackage.json").status_code == 503  # not built by a request
    assert app.test_cli_runner().invoke(args=["export", "bulk"]).exit_code == 0
    with client.get("/data/datapackage.json") as response:
        first = response.get_json()
    row = session.get(Submission, library.published[0])
    submissions.withdraw(session, row, dt.datetime.now(dt.UTC))
    session.commit()
    result = app.test_cli_runner().invoke(args=["export", "bulk"])
    assert result.exit_code == 0, result.output
    with client.get("/data/datapackage.json") as response:
        package = response.get_json()
    assert package["stories"] == first["stories"] - 1 and package["created"] >= first["created"]
    with client.get("/data/stories.csv") as response:
        assert response.headers["Link"].endswith('rel="license"')
        frame = pandas.read_csv(io.BytesIO(response.get_data()))
    assert row.id not in set(frame["id"]) and len(frame) == package["stories"]
    fields = package["resources"][0]["schema"]["fields"]
    assert [field["name"] for field in fields] == list(frame.columns)


@pytest.mark.parametrize("lang,words", [("en", "published under the"),
                                        ("es", "se publican bajo la licencia")])
def test_the_pages_name_their_licence(app: Flask, client: FlaskClient, library: Library,
                                      lang: str, words: str) -> None:
    builders.release(app)
    for path, spdx in (("/stories", "CC-BY-NC-ND-4.0"),
                       (f"/stories/{library.published[0]}", "CC-BY-NC-ND-4.0"),
                       ("/stats", "CC-BY-4.0")):
        page = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert words in page and f"({spdx})</a>" in page and 'rel="license"' in page, path


def test_the_data_page_lists_the_bulk_files_with_their_size_date_and_licence(
        app: Flask, client: FlaskClient, library: Library) -> None:
    before = client.get("/data/").get_data(as_text=True)
    assert "have not been built yet" in before and 'href="/data/stories.csv"' not in before
    bulk.build(app)
    page = client.get("/data/").get_data(as_text=True)
    for name in bulk.FILES:
        assert f'href="/data/{name}"' in page
    with client.get("/data/datapackage.json") as response:
        count = response.get_json()["stories"]
    assert f"with {count} stories" in page and "CC-BY-NC-ND-4.0" in page
    assert re.search(r"stories\.csv</a> \(\d+ KB\)", page), page
    spanish = client.get("/data/?lang=es").get_data(as_text=True)
    assert "Archivos completos de las historias publicadas" in spanish
    # The build time names its zone (the site's, Pacific Time), in each language.
    assert re.search(r"Built \w+ \d+, \d{4} at \d+:\d\d\s[AP]M Pacific Time", page), page
    assert re.search(r"\d+ de \w+ de \d{4} a las \d+:\d\d \(hora del Pacífico\)", spanish)


def test_the_bulk_files_built_in_parts_by_two_processes_are_the_files_built_in_one(
        app: Flask, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    forkserver_for_spawn(monkeypatch, bulk)  # fresh processes, the app's modules loaded once
    count = bulk.build(app)
    whole = {name: (bulk.directory(app) / name).read_bytes()
             for name in ("stories.jsonl", "stories.csv")}
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 2)  # a million-story site's way, on a few
    with app.app_context():
        assert len(bulk._ranges(db.session())) == bulk.PARTS  # noqa: SLF001
    assert bulk.build(app) == count > 2
    for name, content in whole.items():
        assert (bulk.directory(app) / name).read_bytes() == content, name
    # No part left behind.
    assert sorted(path.name for path in bulk.directory(app).iterdir()) == sorted(bulk.FILES)
