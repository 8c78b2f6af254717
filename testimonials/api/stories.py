"""The stories API: /api/v1/stories and /api/v1/stories/<id>, and their part of the OpenAPI
document. The same filters and cursors as /stories; the same public fields as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, current_app, jsonify

from testimonials import db, runtime_settings
from testimonials.api import bp
from testimonials.public import queries
from testimonials.public.labels import over_standard
from testimonials.public.listing import CARE_NAMES, MAX_ID, OUTCOME_NAMES, PER_PAGE
from testimonials.public.web import listing_href, read_listing
from testimonials.siteurl import absolute_url
from testimonials.vocab import Language, WaitKind, WaitState


@bp.get("/v1/stories")
def stories() -> Response:
    """Published stories, newest first, 20 at a time, with links to the pages around."""
    listing = read_listing(for_api=True)
    page = queries.story_page(db.session(), listing, runtime_settings.get("WAIT_STANDARDS"))
    here = absolute_url("api.stories")
    filters = listing.filters
    return jsonify(
        data=[story_json(story) for story in page.stories],
        links={
            "first": listing_href(here, filters),
            "next": page.older and listing_href(here, filters, before=page.older.encode()),
            "prev": page.newer and listing_href(here, filters, after=page.newer.encode()),
        },
    )


@bp.get("/v1/stories/<int:story_id>")
def story(story_id: int) -> Response:
    """One published story; 410 when it was withdrawn or taken down, 404 when unknown."""
    found = None
    if story_id <= MAX_ID:
        found = queries.story(db.session(), story_id, runtime_settings.get("WAIT_STANDARDS"))
    if found is None:
        abort(404)
    if found == queries.GONE:
        abort(410)
    assert isinstance(found, queries.PublicStory)
    return jsonify(data=story_json(found))


def story_json(story: queries.PublicStory) -> dict[str, Any]:
    """The public fields of a story, and nothing else."""
    place = story.facility
    return {
        "id": story.id,
        "url": absolute_url("public.story", story_id=story.id),
        "title": story.title,
        "story": story.story,
        "display_name": story.display_name or "Anonymous",
        "language": story.language.value,
        "story_language": story.story_language and story.story_language.value,
        "facility": None if place is None else {
            "id": place.id, "name": place.name, "city": place.city,
            "region": {"id": place.region_id, "name": place.region_name,
                       "slug": place.region_slug},
        },
        "care_types": [name for name, bit in CARE_NAMES.items() if story.care_types & bit],
        "outcomes": [name for name, bit in OUTCOME_NAMES.items() if story.outcomes & bit],
        "waits": [
            {"kind": wait.kind.value, "state": wait.state.value, "days": wait.days,
             "standard_days": wait.standard_days, "over_standard": over_standard(wait)}
            for wait in story.waits
        ],
        "experience_month": (story.experience_month.strftime("%Y-%m")
                             if story.experience_month else None),
        "published_at": story.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False,
            "properties": properties}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


_CURSOR = {"type": "string", "pattern": "^([A-Za-z0-9_-]{1,40})?$"}
_LIST_PARAMETERS = [
    {"name": "region", "in": "query", "required": False,
     "description": "Only stories from this region: its slug (as in the `facility.region` of a "
                    "story) or its id.",
     "schema": {"type": "string", "pattern": "^([0-9]{1,9}|[a-z0-9][a-z0-9-]{0,99})?$"}},
    {"name": "facility", "in": "query", "required": False,
     "description": "Only stories about this facility, by id.",
     "schema": {"type": "string", "pattern": "^([0-9]{1,9})?$"}},
    {"name": "care", "in": "query", "required": False,
     "description": "Only stories about this kind of care.",
     "schema": {"type": "string", "enum": ["", *CARE_NAMES]}},
    {"name": "outcome", "in": "query", "required": False,
     "description": "Only stories where this happened as a result of the wait.",
     "schema": {"type": "string", "enum": ["", *OUTCOME_NAMES]}},
    {"name": "q", "in": "query", "required": False,
     "description": 'Words to find in the title or the story (accents and case do not matter). '
                    '"quoted words" must appear together, -word must not appear, word* '
                    "matches words that start so, and a OR b matches either.",
     "schema": {"type": "string", "maxLength": 200}},
    {"name": "before", "in": "query", "required": False, "schema": _CURSOR,
     "description": "A cursor from `links.next`: the stories older than it (empty: none)."},
    {"name": "after", "in": "query", "required": False, "schema": _CURSOR,
     "description": "A cursor from `links.prev`: the stories newer than it (empty: none)."},
]
_ERRORS = {
    status: {"description": description,
             "content": {"application/json": {"schema": _ref("StoryError")}}}
    for status, description in (
        ("400", "A parameter we cannot read; `error.detail` says which and why"),
        ("404", "No such story"),
        ("410", "The story was withdrawn by its author or taken down by a moderator"),
    )
}

OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/stories": {"get": {
        "operationId": "listStories",
        "summary": "Published stories, newest first",
        "description": f"{PER_PAGE} stories a page, newest first (by publication time). Filters "
                       "combine. Follow `links.next` for older stories and `links.prev` for "
                       "newer ones; the cursors in them are opaque.",
        "tags": ["stories"],
        "parameters": _LIST_PARAMETERS,
        "responses": {"200": {"description": "A page of stories",
                              "content": {"application/json": {"schema": _ref("StoryPage")}}},
                      "400": _ERRORS["400"]},
    }},
    "/api/v1/stories/{story_id}": {"get": {
        "operationId": "getStory",
        "summary": "One published story",
        "tags": ["stories"],
        "parameters": [{"name": "story_id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}],
        "responses": {"200": {"description": "The story",
                              "content": {"application/json": {"schema": _ref("StoryOne")}}},
                      "404": _ERRORS["404"], "410": _ERRORS["410"]},
    }},
}

_LINK = _nullable({"type": "string", "format": "uri"})
OPENAPI_SCHEMAS: dict[str, Any] = {
    "StoryPage": _object({
        "data": {"type": "array", "maxItems": PER_PAGE, "items": _ref("Story")},
        "links": _object({"first": {"type": "string", "format": "uri"},
                          "next": _LINK, "prev": _LINK}),
    }),
    "StoryOne": _object({"data": _ref("Story")}),
    "Story": _object({
        "id": {"type": "integer", "minimum": 1},
        "url": {"type": "string", "format": "uri"},
        "title": {"type": ["string", "null"]},
        "story": {"type": "string"},
        "display_name": {"type": "string", "description": '"Anonymous" unless the author '
                                                          "gave a name"},
        "language": {"type": "string", "enum": [language.value for language in Language],
                     "description": "the site's language the story was sent from"},
        "story_language": {"type": ["string", "null"],
                           "enum": [*(language.value for language in Language), None],
                           "description": "the language the story is written in; null when "
                                          "its words do not tell"},
        "facility": _nullable(_ref("StoryFacility")),
        "care_types": {"type": "array", "items": {"type": "string", "enum": list(CARE_NAMES)}},
        "outcomes": {"type": "array", "items": {"type": "string", "enum": list(OUTCOME_NAMES)}},
        "waits": {"type": "array", "items": _ref("StoryWait")},
        "experience_month": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}$",
                             "description": "When it happened (year and month)"},
        "published_at": {"type": "string", "format": "date-time"},
    }),
    "StoryFacility": _object({
        "id": {"type": "integer"}, "name": {"type": "string"}, "city": {"type": "string"},
        "region": _object({"id": {"type": "integer"}, "name": {"type": "string"},
                           "slug": {"type": "string"}}),
    }),
    "StoryWait": _object({
        "kind": {"type": "string", "enum": [kind.value for kind in WaitKind]},
        "state": {"type": "string", "enum": [state.value for state in WaitState],
                  "description": "ended: got the appointment after `days`; waiting: still "
                                 "waiting after `days`; gave_up: gave up or was never offered "
                                 "one (after `days`, when known)"},
        "days": {"type": ["integer", "null"], "minimum": 0},
        "standard_days": {"type": ["integer", "null"], "minimum": 0,
                          "description": "The legal standard for this wait, in calendar days"},
        "over_standard": {"type": ["boolean", "null"],
                          "description": "Whether the wait went past the standard; null when "
                                         "not known yet"},
    }),
    "StoryError": _object({"error": _object({
        "status": {"type": "integer"}, "title": {"type": "string"},
        "detail": {"type": ["string", "null"]},
    })}),
}
