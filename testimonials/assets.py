"""Static file links carry a digest of the file (`?v=`), so they may be cached for a year.

The production front (deploy/nginx/waitline.conf) serves /static/ with a year's caching;
a changed file gets a new link at the next start, so no reader keeps an old stylesheet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask


def digest(path: Path) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def init_app(app: Flask) -> None:
    root = Path(app.static_folder or "").resolve()
    known: dict[str, str | None] = {}

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        name = str(values["filename"])
        if name not in known:
            path = (root / name).resolve()
            known[name] = digest(path) if path.is_relative_to(root) else None
        if known[name]:
            values["v"] = known[name]
