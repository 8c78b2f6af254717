"""The OpenAPI 3.1 document at /api/openapi.json, merged from each area of the API and
completed with the shared conventions (catalogue.py); shown as a page at /api/ (pages.py)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify

from testimonials import caching, licences
from testimonials.api import bp, catalogue, stats, stories
from testimonials.localised import english

_DOCUMENT_KEY = "waitline.openapi"


def document(site_name: str, contact_email: str,
             figures: licences.Licence | None = None,
             stories_licence: licences.Licence | None = None) -> dict[str, Any]:
    """The whole document: each area's paths and schemas side by side (names must not clash)."""
    clash = set(stories.OPENAPI_SCHEMAS) & set(stats.OPENAPI_SCHEMAS)
    if clash:
        raise ValueError(f"schemas defined twice: {', '.join(sorted(clash))}")
    return catalogue.complete({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": f"{site_name} open data API",
            "version": "1",
            "summary": "Published stories of waiting for mental-health care, and aggregate "
                       "wait-time statistics.",
            "description": (
                "Read-only and open to every origin (CORS for GET). Stories are the versions "
                "moderators published, with no personal details; statistics count only people "
                "who agreed to be counted and hide small groups. " + catalogue.CONVENTIONS
                + (f" The statistics are published under {figures.name} ({figures.spdx}), "
                   f"the stories under {stories_licence.name} ({stories_licence.spdx})."
                   if figures and stories_licence else "")),
            "contact": {"email": contact_email},
            **({"license": {"name": figures.name, "identifier": figures.spdx}}
               if figures else {}),
        },
        "servers": [{"url": "/", "description": "This site"}],
        "tags": [{"name": "stories", "description": "Published stories"},
                 {"name": "statistics", "description": "Aggregate wait-time statistics"},
                 {"name": "places", "description": "Regions and facilities"}],
        "paths": {**stories.OPENAPI_PATHS, **catalogue.PATHS, **stats.OPENAPI_PATHS},
        "components": {"schemas": {**stories.OPENAPI_SCHEMAS, **stats.OPENAPI_SCHEMAS,
                                   **catalogue.SCHEMAS},
                       "headers": catalogue.HEADERS},
    })


def built() -> dict[str, Any]:
    """The document of this app, built once (it depends only on the code and two settings)."""
    found = current_app.extensions.get(_DOCUMENT_KEY)
    if found is None:
        config = current_app.config
        found = document(english(config, "SITE_NAME"), english(config, "CONTACT_EMAIL"),
                         licences.stats(), licences.stories())
        current_app.extensions[_DOCUMENT_KEY] = found
    return found


def operation_for(rule: str) -> dict[str, Any] | None:
    """The GET operation of a Flask rule, None for a rule the document does not describe."""
    from testimonials.api.http import rule_to_path

    operation: dict[str, Any] | None = built()["paths"].get(rule_to_path(rule), {}).get("get")
    return operation


@bp.get("/openapi.json")
@caching.page
def openapi() -> Response:
    return jsonify(built())
