"""/data/stories.csv, /data/stories.jsonl, /data/datapackage.json: the bulk files (bulk.py),
and /data/, the page that lists them.

Served from OPEN_DATA_DIR as files (an ETag and Last-Modified from the file, so a copy that
polls pays a 304), with the stories' licence in a Link header. A request never builds them
(`flask export bulk` does, from cron): before the first build they are a 503.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Response, abort, current_app, render_template, send_file, url_for
from flask_babel import format_decimal, format_number, gettext

from testimonials import bulk, licences
from testimonials.api.http import DEFAULT_CACHE, licence_link
from testimonials.errors import render_error
from testimonials.i18n import moment_text
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


def _size(size: int) -> str:
    """"2.4 MB", "812 KB": what a reader needs to decide to download."""
    if size >= 1_000_000:
        return gettext("%(num)s MB", num=format_decimal(round(size / 1_000_000, 1)))
    return gettext("%(num)s KB", num=format_number(max(1, round(size / 1000))))


@bp.get("/data/")
def data_index() -> str:
    """The bulk files: what each is, how big, when built, under which licence."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    described = {"stories.csv": gettext("Every published story, one row each (CSV, UTF-8)."),
                 "stories.jsonl": gettext("The same stories, one JSON object a line, as the "
                                          "API gives them."),
                 "datapackage.json": gettext("The description of both files: columns, licence "
                                             "and how to keep a copy current.")}
    files: list[dict[str, Any]] = []
    built_at = stories = None
    for name in bulk.FILES:
        path = bulk.built(app, name)
        if path is None:
            continue
        files.append({"name": name, "href": url_for("public.bulk_file", name=name),
                      "about": described[name], "size": _size(path.stat().st_size)})
        if name == "datapackage.json":
            found = json.loads(path.read_text(encoding="utf-8"))
            built_at = moment_text(dt.datetime.fromisoformat(found["created"]))
            stories = found.get("stories")
    return render_template("public/data_index.html", files=files, built_at=built_at,
                           stories=stories, licence=licences.stories())
