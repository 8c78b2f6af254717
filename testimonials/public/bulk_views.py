"""/data/stories.csv, /data/stories.jsonl, /data/datapackage.json: the bulk files (bulk.py).

Served from OPEN_DATA_DIR as files (an ETag and Last-Modified from the file, so a copy that
polls pays a 304), built first if missing, with the stories' licence in a Link header.
"""

from __future__ import annotations

from flask import Response, abort, current_app, send_file

from testimonials import bulk, licences
from testimonials.api.http import DEFAULT_CACHE, licence_link
from testimonials.public import bp

_TYPES = {"stories.csv": "text/csv", "stories.jsonl": "application/jsonl",
          "datapackage.json": "application/json"}


@bp.get("/data/<name>")
def bulk_file(name: str) -> Response:
    if name not in _TYPES:
        abort(404)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = bulk.ensure(app) / name
    response = send_file(path, mimetype=_TYPES[name], etag=True, conditional=True,
                         max_age=None, as_attachment=name != "datapackage.json",
                         download_name=f"waitline-{name}")
    response.headers["Cache-Control"] = DEFAULT_CACHE
    response.headers["Link"] = licence_link(licences.stories().url)
    return response
