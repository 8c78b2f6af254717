"""/data/stories.csv, /data/stories.jsonl, /data/datapackage.json: the bulk files (bulk.py).

Served from OPEN_DATA_DIR as files (an ETag and Last-Modified from the file, so a copy that
polls pays a 304), with the stories' licence in a Link header. A request never builds them
(`flask export bulk` does, from cron): before the first build they are a 503.
"""

from __future__ import annotations

from flask import Response, abort, current_app, send_file
from flask_babel import gettext

from testimonials import bulk, licences
from testimonials.api.http import DEFAULT_CACHE, licence_link
from testimonials.errors import render_error
from testimonials.public import bp

RETRY_SECONDS = 3600  # the cron job runs hourly (README: "Deploying")

_TYPES = {"stories.csv": "text/csv", "stories.jsonl": "application/jsonl",
          "datapackage.json": "application/json"}


@bp.get("/data/<name>")
def bulk_file(name: str) -> Response:
    if name not in _TYPES:
        abort(404)
    path = bulk.built(current_app._get_current_object(), name)  # type: ignore[attr-defined]
    if path is None:
        answer = current_app.make_response(render_error(503, gettext(
            "The bulk files have not been built yet. Please try again in an hour.")))
        answer.headers["Retry-After"] = str(RETRY_SECONDS)
        return answer
    response = send_file(path, mimetype=_TYPES[name], etag=True, conditional=True,
                         max_age=None, as_attachment=name != "datapackage.json",
                         download_name=f"waitline-{name}")
    response.headers["Cache-Control"] = DEFAULT_CACHE
    response.headers["Link"] = licence_link(licences.stories().url)
    return response
