"""Host-header poisoning: absolute links come only from SITE_URL; unknown hosts are refused.

A stranger's `Host: evil.example` (or `X-Forwarded-Host`, also behind a trusted proxy) must
neither appear in any page, feed or API answer nor reach the page cache, where it would be
served to every later reader.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from public_library import Library
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.configuration import ConfigurationError
from tests import builders

EVIL = "evil.example"
SITE = "https://waitline.example.org"


def public_paths(library: Library) -> list[str]:
    story = library.published[0]
    return ["/", "/stories", f"/stories/{story}", "/stories.atom", "/stats", "/stats.json",
            "/stats.csv", "/api/v1/stories", f"/api/v1/stories/{story}", "/api/v1/stats",
            "/api/openapi.json", "/healthz", "/share", "/stories?care=group"]


@pytest.fixture(params=[0, 1], ids=["direct", "behind-proxy"])
def cached_app(request: pytest.FixtureRequest, database_url: str) -> Iterator[Flask]:
    """The app with its page cache on, as in production, directly or behind one proxy."""
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "PAGE_CACHE": True,
                      "SITE_URL": SITE, "TRUSTED_HOSTS": ["localhost"],
                      "TRUSTED_PROXIES": request.param})
    yield app
    app.extensions["waitline.engine"].dispose()


def hostile_headers() -> list[dict[str, str]]:
    return [{"Host": EVIL}, {"X-Forwarded-Host": EVIL},
            {"Host": f"{EVIL}:443", "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"},
            {"Host": "waitline.example.org", "X-Forwarded-Host": EVIL},
            {"Host": "waitline.example.org.evil.example"}]


def test_no_hostile_host_reaches_any_public_answer(cached_app: Flask, session: Session,
                                                   library: Library) -> None:
    client = cached_app.test_client()
    paths = public_paths(library)
    builders.release(cached_app)  # so that the statistics files answer, with their links
    for headers in hostile_headers():
        for path in paths:
            for _ in range(2):  # twice: the second would be served from a poisoned cache
                response = client.get(path, headers=headers)
                assert EVIL not in response.get_data(as_text=True), (path, headers)
                assert EVIL not in str(response.headers), (path, headers)
    for path in paths:
        response = client.get(path, headers={"Host": "waitline.example.org"})
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "evil" not in body and "evil" not in str(response.headers), path


def test_unknown_hosts_are_refused_with_400(cached_app: Flask, library: Library) -> None:
    client = cached_app.test_client()
    response = client.get("/", headers={"Host": EVIL})
    assert response.status_code == 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers
    assert client.get("/", headers={"Host": "waitline.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "waitline.example.org:8443"}).status_code == 200


def test_absolute_links_use_site_url_whatever_the_host(cached_app: Flask, session: Session,
                                                       library: Library) -> None:
    client = cached_app.test_client()
    story = library.published[0]
    page = client.get(f"/stories/{story}", headers={"Host": "waitline.example.org:8443"}
                      ).get_data(as_text=True)
    assert f'<link rel="canonical" href="{SITE}/stories/{story}">' in page
    assert f'content="{SITE}/static/img/' in page
    feed = client.get("/stories.atom").get_data(as_text=True)
    assert f"<id>{SITE}/stories/{story}</id>" in feed
    api = client.get("/api/v1/stories").get_json()
    assert api["data"][0]["url"] == f"{SITE}/stories/{story}"
    assert api["links"]["first"].startswith(f"{SITE}/api/v1/stories")


def test_other_trusted_hosts_may_be_named(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing", "SITE_URL": SITE,
                      "TRUSTED_HOSTS": ["www.waitline.example.org"]})
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "www.waitline.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "waitline.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400
    app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("site_url", ["", "waitline.example.org", "ftp://waitline.example.org",
                                      "https://", "https://waitline.example.org/path"])
def test_production_refuses_to_start_without_a_site_url(site_url: str) -> None:
    with pytest.raises(ConfigurationError, match="SITE_URL"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "SITE_URL": site_url,
                    "DATABASE_URL": "sqlite://"})
