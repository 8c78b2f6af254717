"""HTTP conventions of the open data: CORS, caching and validators, rate-limit headers, and the
query parameters each API operation takes.

Open data is every address under /api/, the statistics files (/stats.csv, /stats.json, the
releases' files and their datapackage.json) and the bulk files under /data/. Each answer to a
read there is readable from any origin without credentials, carries an ETag (a strong hash of
the body unless the view set one) honoured weakly in If-None-Match, and a Cache-Control that a
304 repeats. Under /api/, the rate limit in force is stated on every answer (RateLimit-Limit,
-Remaining, -Reset, as Flask-Limiter names them) and a 429 says Retry-After.
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask, Response, current_app, request

from testimonials.api import problems
from testimonials.extensions import limiter

READ_METHODS = frozenset({"GET", "HEAD"})
_OPEN_DATA = re.compile(
    r"^/(api/.*|data/.*|stats\.(csv|json)|stats/datapackage\.json|"
    r"stats/releases/[0-9]+(\.csv|\.json|/datapackage\.json))$")
EXPOSED = ("ETag", "Link", "Content-Disposition", "RateLimit-Limit", "RateLimit-Remaining",
           "RateLimit-Reset", "Retry-After")
# How long a reader may keep an answer without asking again (it then revalidates with the ETag).
DEFAULT_CACHE = "public, max-age=60"
RELEASE_CACHE = "public, max-age=86400"  # a numbered release never changes
ERROR_CACHE = "no-store"
LANGUAGES = ("en", "es")


def is_open_data(path: str) -> bool:
    return bool(_OPEN_DATA.match(path))


def licence_link(url: str) -> str:
    """The Link header that names a file's licence (RFC 8288, relation "license")."""
    return f'<{url}>; rel="license"'


def _rate_limit_headers(response: Response) -> None:
    current = limiter.current_limit
    if current is None:
        return
    reset_in = max(0, int(current.reset_at - time.time()))
    response.headers["RateLimit-Limit"] = str(current.limit.amount)
    response.headers["RateLimit-Remaining"] = str(current.remaining)
    response.headers["RateLimit-Reset"] = str(reset_in)
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, reset_in))


def decorate(response: Response) -> Response:
    """The open-data conventions on one answer (app-wide: a 404 for an unknown /api/ path too)."""
    if not is_open_data(request.path):
        return response
    if request.path.startswith("/api/"):
        _rate_limit_headers(response)
    if request.method == "OPTIONS":
        # A preflight learns that reading is all there is.
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    if request.method not in READ_METHODS:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
    if response.status_code != 200 and response.status_code != 304:
        response.headers.setdefault("Cache-Control", ERROR_CACHE)
        return response
    response.headers.setdefault("Cache-Control", DEFAULT_CACHE)
    if response.status_code == 200:
        if "ETag" not in response.headers and not response.direct_passthrough \
                and not response.is_streamed:
            response.add_etag()
        # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x". A 304 keeps every header
        # set above, Cache-Control and the CORS ones included.
        response.make_conditional(request)
    return response


def parameters_allowed(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The query parameters an OpenAPI operation declares, by name."""
    return {parameter["name"]: parameter for parameter in operation.get("parameters", [])
            if parameter.get("in") == "query"}


def check_parameters(allowed: dict[str, dict[str, Any]]) -> Response | None:
    """A 400 problem for a parameter the operation does not take, or one given twice, or a
    `lang` we do not speak; None when the query is acceptable (values are the view's job)."""
    for name in request.args:
        if name not in allowed:
            return problems.parameter_problem(
                name, "this endpoint does not take this parameter; allowed: "
                + (", ".join(sorted(allowed)) or "none"), unknown=True)
        if len(request.args.getlist(name)) > 1:
            return problems.parameter_problem(name, "give this parameter once")
    lang = request.args.get("lang")
    if lang is not None and lang not in LANGUAGES:
        return problems.parameter_problem("lang", "not one of the allowed values: en, es")
    return None


def rule_to_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /api/v1/stories/<int:story_id> -> .../{story_id}."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def init_app(app: Flask) -> None:
    app.after_request(decorate)


def api_rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "600 per minute"))
