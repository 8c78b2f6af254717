"""Static files under names that carry their digest, cached a year; old names still answer."""

from __future__ import annotations

import hashlib
import re

from flask.testing import FlaskClient

from testimonials import assets
from testimonials.paths import PROJECT_ROOT

YEAR = "public, max-age=31536000, immutable"


def _digest(name: str) -> str:
    return hashlib.sha256((PROJECT_ROOT / "static" / name).read_bytes()).hexdigest()[:12]


def test_static_links_carry_the_files_digest_in_their_name(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'href="/static/css/site\.([0-9a-f]{12})\.css"', page)
    assert found, "the stylesheet link has no digest in its name"
    assert found.group(1) == _digest("css/site.css")
    assert "?v=" not in page


def test_a_digest_name_is_cached_a_year_and_immutable(client: FlaskClient) -> None:
    response = client.get(f"/static/css/site.{_digest('css/site.css')}.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == YEAR
    assert response.data == (PROJECT_ROOT / "static/css/site.css").read_bytes()
    response.close()


def test_old_names_keep_working_for_a_day(client: FlaskClient) -> None:
    for old in ("/static/css/site.css", "/static/css/site.0123456789ab.css",
                "/static/css/site.css?v=0123456789ab"):
        response = client.get(old)
        assert response.status_code == 200, old
        assert response.headers["Cache-Control"] == "public, max-age=86400", old
        response.close()


def test_unknown_files_are_a_clean_404(client: FlaskClient) -> None:
    for missing in ("/static/css/nothing.css", "/static/css/nothing.0123456789ab.css",
                    "/static/../app.py", "/static/%2e%2e/app.py"):
        response = client.get(missing)
        assert response.status_code == 404, missing
        response.close()


def test_names_with_and_without_a_digest() -> None:
    assert assets.hashed_name("css/site.css", "0123456789ab") == "css/site.0123456789ab.css"
    assert assets.hashed_name("LICENSE", "0123456789ab") == "LICENSE.0123456789ab"
    assert assets.plain_name("js/a.b.0123456789ab.js") == ("js/a.b.js", "0123456789ab")
    assert assets.plain_name("css/site.css") is None
