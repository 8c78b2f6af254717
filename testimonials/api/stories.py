"""The stories API: /api/v1/stories and /api/v1/stories/<id>, and their part of the OpenAPI
document. The same filters and cursors as /stories; the same public fields as the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, jsonify, request

from testimonials import caching, db, licences, runtime_settings
from testimonials.api import bp
from testimonials.api.problems import RENAMED, ApiProblem
from testimonials.filter_params import CARE_NAMES, MAX_ID
from testimonials.public import queries, stats_views
from testimonials.public.labels import over_standard
from testimonials.public.listing import OUTCOME_NAMES, PER_PAGE
from testimonials.public.web import listing_href, read_listing
from testimonials.siteurl import absolute_url
from testimonials.stats.filters import FilterError, parse
from testimonials.vocab import Language, WaitKind, WaitState

MAX_LIMIT = 100  # page size bound: a mirror catches up in pages, never in one answer


def licence_json(licence: licences.Licence) -> dict[str, str]:
    """The licence object of every API document that carries stories or figures."""
    return {"spdx": licence.spdx, "name": licence.name, "url": licence.url}


def page_limit() -> int:
    """`limit`, 1 to MAX_LIMIT, PER_PAGE when absent; an ApiProblem otherwise."""
    raw = request.args.get("limit")
    if raw is None:
        return PER_PAGE
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:4]) <= MAX_LIMIT \
            or len(raw) > 4:
        raise ApiProblem("invalid-parameter", f"a whole number from 1 to {MAX_LIMIT}",
                         parameter="limit")
    return int(raw)


def moment(name: str) -> dt.datetime | None:
    """An RFC 3339 date-time parameter with its offset (or Z); an ApiProblem otherwise."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = dt.datetime.fromisoformat(raw) if len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None or value.tzinfo is None or "T" not in raw:
        raise ApiProblem("invalid-parameter", "an RFC 3339 date-time with its offset, "
                         "e.g. 2026-01-05T09:30:00Z", parameter=name)
    return value.astimezone(dt.UTC)


def _known_places() -> None:
    """The same 404 for an unknown region or facility as the statistics API gives."""
    args = {key: request.args[key] for key in ("region", "facility") if request.args.get(key)}
    if not args:
        return
    try:
        parse(args, stats_views.places(db.session()))
    except FilterError as error:
        if error.code in ("unknown", "not_in_region"):
            raise ApiProblem("not-found", str(stats_views.filter_message(error)),
                             parameter=error.parameter) from None


@bp.get("/v1/stories")
@caching.page
def stories() -> Response:
    """Published stories, newest first, `limit` at a time, with links to the pages around."""
    listing = read_listing(for_api=True)
    limit = page_limit()
    since = moment("updated_since")
    _known_places()
    session = db.session()
    page = queries.story_page(session, listing, runtime_settings.get("WAIT_STANDARDS"),
                              per_page=limit, updated_since=since)
    here = absolute_url("api.stories")
    filters = listing.filters
    kept = {key: request.args[key] for key in ("limit", "updated_since")
            if request.args.get(key)}
    # A count of a word search is not cheap (it reads the index): only plain filters count.
    total = None if filters.q else queries.matching_count(session, filters, since)
    return jsonify(
        data=[story_json(story) for story in page.stories],
        links={
            "first": listing_href(here, filters, **kept),
            "next": page.older and listing_href(here, filters, before=page.older.encode(),
                                                **kept),
            "prev": page.newer and listing_href(here, filters, after=page.newer.encode(),
                                                **kept),
        },
        meta={"total": total, "limit": limit},
        licence=licence_json(licences.stories()),
    )


@bp.get("/v1/stories/removed")
def removed() -> Response:
    """Ids of stories no longer public (withdrawn or taken down) since a time: a copy deletes
    them."""
    since = moment("since")
    limit = page_limit() if "limit" in request.args else MAX_LIMIT
    after_raw = request.args.get("after_id", "0")
    if not after_raw or not (after_raw.isascii() and after_raw.isdigit()) or len(after_raw) > 10 \
            or int(after_raw) > MAX_ID:
        raise ApiProblem("invalid-parameter", f"a story id from 0 to {MAX_ID}",
                         parameter="after_id")
    found = queries.removed_since(db.session(), since, limit + 1, int(after_raw))
    more = len(found) > limit
    found = found[:limit]
    next_link = None
    if more:
        query = {key: request.args[key] for key in ("since", "limit") if request.args.get(key)}
        after = urlencode({**query, "after_id": found[-1].id})
        next_link = f"{absolute_url('api.removed')}?{after}"
    return jsonify(
        data=[{"id": gone.id, "removed_at": _when(gone.changed_at)} for gone in found],
        links={"next": next_link},
    )


@bp.get("/v1/stories/<int:story_id>")
@caching.page
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
    return jsonify(data=story_json(found), licence=licence_json(licences.stories()))


def _when(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


# The names and bits as plain ints: an enum's `&` costs more than the rest of a record, and
# the bulk files turn every published story into one.
_CARE_BITS = tuple((name, int(bit)) for name, bit in CARE_NAMES.items())
_OUTCOME_BITS = tuple((name, int(bit)) for name, bit in OUTCOME_NAMES.items())


def story_json(story: queries.PublicStory, url: str | None = None) -> dict[str, Any]:
    """The public fields of a story, and nothing else; `url` its page's address when the
    caller has it already (see `story_urls`)."""
    place = story.facility
    care, outcomes = int(story.care_types), int(story.outcomes)
    return {
        "id": story.id,
        "url": url or absolute_url("public.story", story_id=story.id),
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
        "care_types": [name for name, bit in _CARE_BITS if care & bit],
        "outcomes": [name for name, bit in _OUTCOME_BITS if outcomes & bit],
        "waits": [
            {"kind": wait.kind.value, "state": wait.state.value, "days": wait.days,
             "standard_days": wait.standard_days, "over_standard": over_standard(wait)}
            for wait in story.waits
        ],
        "experience_month": (story.experience_month.strftime("%Y-%m")
                             if story.experience_month else None),
        "published_at": _when(story.published_at),
        "updated_at": _when(story.updated_at or story.published_at),
    }


def story_urls() -> Callable[[int], str]:
    """A story's page address from its id, routed once rather than per story (the bulk
    files hold every published story)."""
    marker = 987654321
    before, after = absolute_url("public.story", story_id=marker).split(str(marker))
    return lambda story_id: f"{before}{story_id}{after}"


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
    {"name": "theme", "in": "query", "required": False,
     "description": "Only stories moderators tagged with this theme: its slug (the themes are "
                    "listed in the filters of /stories).",
     "schema": {"type": "string", "pattern": "^([a-z0-9][a-z0-9-]{0,99})?$"},
     "example": "cancelled-appointment"},
    {"name": "q", "in": "query", "required": False,
     "description": 'Words to find in the title or the story (accents and case do not matter). '
                    '"quoted words" must appear together, -word must not appear, word* '
                    "matches words that start so, and a OR b matches either.",
     "schema": {"type": "string", "maxLength": 200}},
    {"name": "before", "in": "query", "required": False, "schema": _CURSOR,
     "description": "A cursor from `links.next`: the stories older than it (empty: none)."},
    {"name": "after", "in": "query", "required": False, "schema": _CURSOR,
     "description": "A cursor from `links.prev`: the stories newer than it (empty: none)."},
    {"name": "limit", "in": "query", "required": False,
     "description": f"Stories a page, 1 to {MAX_LIMIT} (default {PER_PAGE}).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "example": 100},
    {"name": "updated_since", "in": "query", "required": False,
     "description": "Only stories whose public version changed at or after this time "
                    "(RFC 3339 with an offset): with /api/v1/stories/removed, how a copy "
                    "catches up.",
     "schema": {"type": "string", "maxLength": 40}, "example": "2026-01-05T09:30:00Z"},
]
_REMOVED_PARAMETERS = [
    {"name": "since", "in": "query", "required": False,
     "description": "Only stories removed at or after this time (RFC 3339 with an offset; "
                    "absent: every story ever removed).",
     "schema": {"type": "string", "maxLength": 40}, "example": "2026-01-05T09:30:00Z"},
    {"name": "limit", "in": "query", "required": False,
     "description": f"Ids a page, 1 to {MAX_LIMIT} (default {MAX_LIMIT}).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "example": 100},
    {"name": "after_id", "in": "query", "required": False,
     "description": "From `links.next`: ids greater than this one.",
     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "example": 120},
]
_ERRORS = {
    status: {"description": description,
             "content": {"application/json": {"schema": _ref("StoryError")}}}
    for status, description in (
        ("400", "A parameter we cannot read; `invalid-params` says which and why"),
        ("404", "No such story, region or facility"),
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
                      "301": RENAMED, "400": _ERRORS["400"], "404": _ERRORS["404"]},
    }},
    "/api/v1/stories/removed": {"get": {
        "operationId": "listRemovedStories",
        "summary": "Stories withdrawn or taken down: a copy must delete them",
        "description": "Ids of stories that were public once and are not now (withdrawn by "
                       "their author, taken down by a moderator, or back in moderation), by "
                       "id. A story published again later leaves this list and comes back in "
                       "/api/v1/stories?updated_since=....",
        "tags": ["stories"],
        "parameters": _REMOVED_PARAMETERS,
        "responses": {"200": {"description": "A page of removed ids",
                              "content": {"application/json": {
                                  "schema": _ref("RemovedPage")}}},
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
        "data": {"type": "array", "maxItems": MAX_LIMIT, "items": _ref("Story")},
        "links": _object({"first": {"type": "string", "format": "uri"},
                          "next": _LINK, "prev": _LINK}),
        "meta": _object({"total": {"type": ["integer", "null"], "minimum": 0,
                                   "description": "Stories that pass the filters (null with a "
                                                  "word search: that count is not cheap)"},
                         "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}}),
        "licence": _ref("Licence"),
    }),
    "StoryOne": _object({"data": _ref("Story"), "licence": _ref("Licence")}),
    "RemovedPage": _object({
        "data": {"type": "array", "maxItems": MAX_LIMIT, "items": _object({
            "id": {"type": "integer", "minimum": 1},
            "removed_at": {"type": "string", "format": "date-time"}})},
        "links": _object({"next": _LINK}),
    }),
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
        "updated_at": {"type": "string", "format": "date-time"},
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
                                 "waiting after `days`; gave_up: stopped waiting (after `days`, "
                                 "when known); never_offered: asked, and no appointment was "
                                 "ever offered (after `days`, when known). Stories sent before "
                                 "never_offered existed say gave_up for both. `days` is at most "
                                 "730: a longer wait is 730 (\"730 days or more\")"},
        "days": {"type": ["integer", "null"], "minimum": 0},
        "standard_days": {"type": ["integer", "null"], "minimum": 0,
                          "description": "The legal standard for this wait, in calendar days"},
        "over_standard": {"type": ["boolean", "null"],
                          "description": "Whether the wait went past the standard; null when "
                                         "not known yet"},
    }),
}
