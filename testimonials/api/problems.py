"""Errors of the API as RFC 9457 problem details (`application/problem+json`).

Every error under /api/ is one of the problem types below, so that a client can branch on
`type` and the same mistake reads the same on every endpoint: `title` is fixed per type,
`detail` says what happened this time, and `invalid-params` names the query parameter at
fault (the RFC's own example extension). The types are documented on /api/ under
`#problem-<slug>`; the API speaks English whatever the interface language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, request

from testimonials.siteurl import origin

MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    description: str  # for the OpenAPI document and the /api/ page


TYPES: dict[str, ProblemType] = {
    problem.slug: problem
    for problem in (
        ProblemType("invalid-parameter", 400, "A parameter has a value we cannot use",
                    "A query parameter is malformed, not one of the allowed values, out of "
                    "range, or given more than once. `invalid-params` names it and says why."),
        ProblemType("unknown-parameter", 400, "A parameter this address does not take",
                    "The request has a query parameter this endpoint does not define (a typo "
                    "is refused rather than silently ignored). `invalid-params` names it."),
        ProblemType("bad-request", 400, "This request could not be understood",
                    "The request is malformed in a way no single parameter explains."),
        ProblemType("not-found", 404, "Not found",
                    "No such address, story, region, facility or release (or the facility is "
                    "not in the region asked for)."),
        ProblemType("no-release", 404, "No statistics have been published yet",
                    "Statistics are served from published releases; none exists yet."),
        ProblemType("method-not-allowed", 405, "That method is not allowed here",
                    "The API is read-only: GET, HEAD and OPTIONS only. `Allow` lists them."),
        ProblemType("gone", 410, "This story is no longer available",
                    "The story was public once and was withdrawn by its author or taken down "
                    "by a moderator. A copy must delete it (see /api/v1/stories/removed)."),
        ProblemType("too-many-requests", 429, "Too many requests",
                    "The client's rate limit is spent. `Retry-After` says in how many seconds "
                    "to try again; `RateLimit-*` headers on every answer show what is left."),
        ProblemType("server-error", 500, "Something went wrong on our side",
                    "An error of ours; nothing about the request is kept. Try again later."),
    )
}
_BY_STATUS = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 410: "gone",
              429: "too-many-requests"}


def type_uri(slug: str) -> str:
    """The type's documentation on /api/, on the configured site (never the request's Host)."""
    return f"{origin(str(current_app.config['SITE_URL']))}/api/#problem-{slug}"


def for_status(status: int) -> str:
    """The generic type of an HTTP error status."""
    return _BY_STATUS.get(status, "server-error" if status >= 500 else "bad-request")


def body(slug: str, detail: str | None = None, *,
         invalid_params: list[dict[str, str]] | None = None,
         status: int | None = None) -> dict[str, Any]:
    """The problem document; `status` only for a type-less status (e.g. 413)."""
    problem = TYPES[slug]
    document: dict[str, Any] = {
        "type": type_uri(slug),
        "title": problem.title,
        "status": status or problem.status,
        "detail": detail or problem.title,
        "instance": request.path,
    }
    if invalid_params:
        document["invalid-params"] = invalid_params
    return document


def response(slug: str, detail: str | None = None, *,
             invalid_params: list[dict[str, str]] | None = None,
             status: int | None = None) -> Response:
    document = body(slug, detail, invalid_params=invalid_params, status=status)
    return Response(json.dumps(document, ensure_ascii=False), status=document["status"],
                    mimetype=MEDIA_TYPE)


def parameter_problem(name: str, reason: str, *, unknown: bool = False) -> Response:
    """400 for one query parameter at fault, the same on every endpoint."""
    slug = "unknown-parameter" if unknown else "invalid-parameter"
    return response(slug, f"{name}: {reason}",
                    invalid_params=[{"name": name, "reason": reason}])


class ApiProblem(Exception):
    """Raised in a view to answer with a problem (caught by the blueprint's handler)."""

    def __init__(self, slug: str, detail: str | None = None, *,
                 parameter: str | None = None) -> None:
        super().__init__(slug)
        self.slug, self.detail, self.parameter = slug, detail, parameter

    def response(self) -> Response:
        if self.parameter is not None:
            return response(self.slug, f"{self.parameter}: {self.detail}",
                            invalid_params=[{"name": self.parameter,
                                             "reason": self.detail or ""}])
        return response(self.slug, self.detail)


# Not a problem but the API's one redirect, kept beside the problems so that the statistics
# and the stories operations take it from one place: a region asked for by a slug it gave up
# (`errors.renamed_region`) is redirected, so that every link and script written with the old
# slug keeps working unchanged.
_RENAMED_BODY = {
    "status": {"type": "integer", "const": 301},
    "title": {"type": "string"},
    "detail": {"type": "string"},
    "region": {"type": "string", "description": "The region's slug of today."},
    "location": {"type": "string", "format": "uri-reference"},
}
RENAMED: dict[str, Any] = {
    "description": "The region was asked for by a slug it had before an admin renamed it: "
                   "the same address with its slug of today (`Location`), every other "
                   "parameter kept. A client that follows redirects gets the answer; the body "
                   "names the new slug for one that does not. A slug no region ever had is "
                   "a 404.",
    "headers": {"Location": {"description": "The same address with today's slug.",
                             "schema": {"type": "string", "format": "uri-reference"}}},
    "content": {"application/json": {
        "schema": {"type": "object", "required": list(_RENAMED_BODY),
                   "additionalProperties": False, "properties": _RENAMED_BODY},
        "examples": {"renamed": {"summary": "east-bay, renamed bay-area", "value": {
            "status": 301, "title": "Moved permanently",
            "detail": "region: east-bay is now called bay-area", "region": "bay-area",
            "location": "/api/v1/stats?region=bay-area&care=individual"}}}}},
}
