"""Static files under names that carry their content's digest, cached for a year.

At start every file under static/ gets a name with the first 12 hex digits of its SHA-256
before the extension (css/site.css -> css/site.3f2a9c1b04d7.css): `url_for('static', ...)`
writes that name, and a browser may keep the file a year without asking again (`immutable`),
since changed content means a new name at the next start. A name in the path, not `?v=`:
every cache and proxy keys on the path, while some drop or ignore query strings.

Old names keep working: the plain name (static/errors/*.html, old e-mails and bookmarks)
and a name with an out-of-date digest (a page cached before a deploy) get the current file,
cached for a day only, since its content is not the one the name promised. The production
front (deploy/nginx/waitline.conf) serves the same names from disk by the same rule.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, send_from_directory

DIGITS = 12
YEAR = "public, max-age=31536000, immutable"
DAY = "public, max-age=86400"
# name.<12 hex>.ext: a digest, current or not, in a name.
_HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGITS}}})(?P<suffix>\.[^./]+)$")


def digest(path: Path) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:DIGITS]
    except OSError:
        return None


def hashed_name(name: str, file_digest: str) -> str:
    """css/site.css -> css/site.<digest>.css (a name without an extension: name.<digest>)."""
    folder, _, base = name.rpartition("/")
    stem, dot, suffix = base.rpartition(".")
    new = f"{stem}.{file_digest}.{suffix}" if dot and stem else f"{base}.{file_digest}"
    return f"{folder}/{new}" if folder else new


def plain_name(name: str) -> tuple[str, str] | None:
    """The name without its digest, and the digest; None when it has none."""
    found = _HASHED.match(name)
    if found is None:
        return None
    return found["stem"] + found["suffix"], found["digest"]


@dataclass
class Manifest:
    """Plain name -> digest name, and back, for every file under the static folder."""

    hashed: dict[str, str] = field(default_factory=dict)
    plain: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, root: Path) -> Manifest:
        manifest = cls()
        for path in sorted(root.rglob("*")):
            file_digest = digest(path) if path.is_file() else None
            if file_digest is None:
                continue
            name = path.relative_to(root).as_posix()
            manifest.hashed[name] = hashed_name(name, file_digest)
            manifest.plain[manifest.hashed[name]] = name
        return manifest

    def resolve(self, requested: str) -> tuple[str, str] | None:
        """The file to send for a requested name, and its Cache-Control; None: no such file."""
        if requested in self.plain:
            return self.plain[requested], YEAR
        if requested in self.hashed:
            return requested, DAY
        stale = plain_name(requested)
        if stale is not None and stale[0] in self.hashed:
            return stale[0], DAY
        return None


def init_app(app: Flask) -> None:
    root = Path(app.static_folder or "").resolve()
    manifest = Manifest.build(root)
    app.extensions["waitline.assets"] = manifest

    @app.url_defaults
    def hashed_link(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.hashed.get(str(values["filename"]),
                                                     values["filename"])

    def static(filename: str) -> Response:
        found = manifest.resolve(filename)
        if found is None:
            abort(404)
        name, cache = found
        response = send_from_directory(root, name, max_age=None, etag=True)
        response.headers["Cache-Control"] = cache
        return response

    app.view_functions["static"] = static
