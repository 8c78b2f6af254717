"""Static links carry the file's digest, so the front may cache them for a year."""

from __future__ import annotations

import hashlib
import re

from flask.testing import FlaskClient

from testimonials.paths import PROJECT_ROOT


def test_static_links_carry_the_files_digest(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'href="/static/css/site\.css\?v=([0-9a-f]{12})"', page)
    assert found, "the stylesheet link has no version"
    content = (PROJECT_ROOT / "static" / "css" / "site.css").read_bytes()
    assert found.group(1) == hashlib.sha256(content).hexdigest()[:12]
    assert client.get(f"/static/css/site.css?v={found.group(1)}").status_code == 200
