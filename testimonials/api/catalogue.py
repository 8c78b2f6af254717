"""The parts of the OpenAPI document shared by every operation, and the places' paths.

`complete` finishes the merged document: every operation takes `lang`, answers its errors as
RFC 9457 problems (application/problem+json, one schema, an example per problem type), states
its rate limit, ETag and Cache-Control headers, and every schema property carries a
description and an example (from FIELDS by name, or derived from its type).
"""

from __future__ import annotations

import copy
from typing import Any

from testimonials.api.problems import TYPES

CONVENTIONS = (
    "Errors are RFC 9457 problem details (`application/problem+json`: `type`, `title`, "
    "`status`, `detail`, `instance`, and `invalid-params` naming the query parameter at "
    "fault); each type is described at /api/#problem-<type>. A parameter an endpoint does not "
    "take, or one given twice, is refused the same way everywhere. Pages are bounded by "
    "`limit`. Every answer states the rate limit (`RateLimit-Limit`, `RateLimit-Remaining`, "
    "`RateLimit-Reset`); a 429 says `Retry-After`. Answers carry an `ETag` (send it back in "
    "`If-None-Match`, weak or strong, for a 304) and `Cache-Control`. Data documents carry a "
    "`licence` object; the bulk files are at /data/ with their datapackage.json.")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False,
            "properties": properties}


_ERROR_STATUSES = {"400": "invalid-parameter", "404": "not-found", "410": "gone",
                   "429": "too-many-requests"}
HEADERS: dict[str, Any] = {
    "RateLimit-Limit": {"description": "Requests allowed in the current window",
                        "schema": {"type": "integer"}, "example": 600},
    "RateLimit-Remaining": {"description": "Requests left in the current window",
                            "schema": {"type": "integer"}, "example": 599},
    "RateLimit-Reset": {"description": "Seconds until the window starts again",
                        "schema": {"type": "integer"}, "example": 42},
    "Retry-After": {"description": "Seconds to wait before trying again",
                    "schema": {"type": "integer"}, "example": 42},
    "ETag": {"description": "A validator of the body: send it in If-None-Match for a 304",
             "schema": {"type": "string"}, "example": '"3f2a9c1b0e"'},
    "Cache-Control": {"description": "How long the answer may be kept",
                      "schema": {"type": "string"}, "example": "public, max-age=60"},
}
_LANG = {"name": "lang", "in": "query", "required": False,
         "description": "The language of labels and notes (the API's own errors stay in "
                        "English).", "schema": {"type": "string", "enum": ["en", "es"]},
         "example": "es"}
_PLACE_404 = {"description": "No such region or facility"}

PATHS: dict[str, Any] = {
    "/api/v1/regions": {"get": {
        "operationId": "listRegions", "summary": "Every region", "tags": ["places"],
        "description": "Regions by name, with how many facilities (not merged) each has.",
        "responses": {"200": {"description": "The regions", "content": {
            "application/json": {"schema": _ref("RegionList")}}}}}},
    "/api/v1/regions/{region_id}": {"get": {
        "operationId": "getRegion", "summary": "One region", "tags": ["places"],
        "parameters": [{"name": "region_id", "in": "path", "required": True,
                        "description": "The region's id", "example": 1,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}],
        "responses": {"200": {"description": "The region", "content": {
            "application/json": {"schema": _ref("RegionOne")}}}, "404": _PLACE_404}}},
    "/api/v1/facilities": {"get": {
        "operationId": "listFacilities", "summary": "Every facility, merged ones included",
        "tags": ["places"],
        "description": "When facility A is merged into B, A's stories move to B (their "
                       "`facility.id` becomes B and their `updated_at` moves), A stays in this "
                       "list with `merged_into: B` and `active: false`, and a filter by A finds "
                       "nothing (404). Ids are never reused; a rename keeps the id.",
        "responses": {"200": {"description": "The facilities", "content": {
            "application/json": {"schema": _ref("FacilityList")}}}}}},
    "/api/v1/facilities/{facility_id}": {"get": {
        "operationId": "getFacility", "summary": "One facility (merged ones too)",
        "tags": ["places"],
        "parameters": [{"name": "facility_id", "in": "path", "required": True,
                        "description": "The facility's id", "example": 3,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}],
        "responses": {"200": {"description": "The facility", "content": {
            "application/json": {"schema": _ref("FacilityOne")}}}, "404": _PLACE_404}}},
}

_REGION_REF = _object({"id": {"type": "integer"}, "name": {"type": "string"},
                       "slug": {"type": "string"}})
SCHEMAS: dict[str, Any] = {
    "Licence": _object({"spdx": {"type": "string"}, "name": {"type": "string"},
                        "url": {"type": "string", "format": "uri"}}),
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail", "instance"],
        "additionalProperties": False,
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "invalid-params": {"type": "array", "items": _object({
                "name": {"type": "string"}, "reason": {"type": "string"}})},
        },
    },
    "Region": _object({"id": {"type": "integer", "minimum": 1}, "name": {"type": "string"},
                       "slug": {"type": "string"}, "facilities": {"type": "integer",
                                                                  "minimum": 0},
                       "url": {"type": "string", "format": "uri"}}),
    "Facility": _object({"id": {"type": "integer", "minimum": 1}, "name": {"type": "string"},
                         "city": {"type": "string"}, "region": _REGION_REF,
                         "active": {"type": "boolean"},
                         "merged_into": {"type": ["integer", "null"]},
                         "url": {"type": "string", "format": "uri"}}),
    "RegionList": _object({"data": {"type": "array", "items": _ref("Region")},
                           "licence": _ref("Licence")}),
    "RegionOne": _object({"data": _ref("Region"), "licence": _ref("Licence")}),
    "FacilityList": _object({"data": {"type": "array", "items": _ref("Facility")},
                             "licence": _ref("Licence")}),
    "FacilityOne": _object({"data": _ref("Facility"), "licence": _ref("Licence")}),
}

# Descriptions and examples of properties, by name (the same name means the same thing).
FIELDS: dict[str, tuple[str, Any]] = {
    "id": ("The id: stable, never reused", 42),
    "url": ("The address of this item", "https://waitline.example.org/stories/42"),
    "title": ("The title as published (null: none)", "Six weeks for a first appointment"),
    "story": ("The story as moderators published it", "I called in March and waited..."),
    "language": ("A language code", "en"),
    "name": ("The name", "Oakland Medical Center"),
    "city": ("The city", "Oakland"),
    "slug": ("The name as written in addresses", "east-bay"),
    "spdx": ("The licence's SPDX identifier", "CC-BY-4.0"),
    "type": ("A URI that identifies the problem type", "https://waitline.example.org/api/"
                                                       "#problem-invalid-parameter"),
    "status": ("The HTTP status code", 400),
    "detail": ("What went wrong this time", "limit: a whole number from 1 to 100"),
    "instance": ("The path that was asked for", "/api/v1/stories"),
    "reason": ("Why the parameter was refused", "a whole number from 1 to 100"),
    "published_at": ("When it was published (UTC)", "2026-01-05T09:30:00Z"),
    "updated_at": ("When its public version last changed (UTC)", "2026-01-06T10:00:00Z"),
    "removed_at": ("When it left the site (UTC)", "2026-01-07T08:00:00Z"),
    "total": ("How many items match", 125),
    "limit": ("Items a page", 20),
    "first": ("The first page", "https://waitline.example.org/api/v1/stories"),
    "next": ("The next page (null: none)", None),
    "prev": ("The previous page (null: none)", None),
    "active": ("Offered on the form", True),
    "merged_into": ("The facility it was merged into (null: not merged)", None),
    "facilities": ("Facilities in the region, merged ones left out", 12),
    "count": ("People or answers in the group (null: hidden)", 57),
    "suppressed": ("Hidden to protect privacy: too few answers, or too small a change since "
                   "the last release, here or in a related group", False),
    "key": ("The group's stable key", "intake|region=3"),
    "label": ("The label in the reader's language", "East Bay"),
    "days": ("Days", 45),
    "standard_days": ("The legal standard for this wait, in calendar days", 14),
    "experience_month": ("When it happened (year and month)", "2026-03"),
}
_PARAMETERS = {"number": "The release's number (1 is the first release)",
               "story_id": "The story's id"}
_PARAMETER_EXAMPLES = {"region": "east-bay", "facility": "3", "care": "group",
                       "outcome": "got_worse", "q": "therapist",
                       "before": "MTc2NzYwNTQwMDAwMDAwMC40Mg",
                       "after": "MTc2NzYwNTQwMDAwMDAwMC40Mg", "number": 1, "story_id": 42,
                       "wait": "intake"}
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool,
    "null": type(None), "array": list, "object": dict}


def _kinds(schema: dict[str, Any]) -> list[str]:
    kinds = schema.get("type", "object")
    return [kinds] if isinstance(kinds, str) else list(kinds)


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    """Whether a FIELDS example has one of the schema's types (and is not a bool for a number)."""
    return any(isinstance(value, _JSON_TYPES[kind]) and not (
        kind in ("integer", "number") and isinstance(value, bool)) for kind in _kinds(schema))


def _instance(name: str, schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """An example value valid under `schema` (FIELDS' by name when it fits)."""
    if "$ref" in schema:
        return _instance(name, schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas, depth + 1)
    for key in ("allOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return _instance(name, options[0], schemas, depth + 1)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v not in ("", None)), schema["enum"][0])
    if "examples" in schema:
        return schema["examples"][0]
    if name in FIELDS and _fits(FIELDS[name][1], schema):
        return FIELDS[name][1]
    kind = next((k for k in _kinds(schema) if k != "null"), "null")
    if kind == "object":
        return {prop: _instance(prop, sub, schemas, depth + 1)
                for prop, sub in schema.get("properties", {}).items()
                if prop in schema.get("required", [])}
    if kind == "array":
        items = schema.get("items")
        # Recursive shapes (a group's breakdowns hold groups) end at an empty list.
        return [] if not items or depth > 3 else [_instance(name, items, schemas, depth + 1)]
    if kind == "string":
        return {"date-time": "2026-01-05T09:30:00Z", "date": "2026-01-05",
                "uri": "https://waitline.example.org/"}.get(schema.get("format", ""), "text")
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 0)
    if kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        high = schema.get("maximum", schema.get("exclusiveMaximum", 1))
        return (low + high) / 2
    if kind == "boolean":
        return False
    return None


def _example(name: str, schema: dict[str, Any], schemas: dict[str, Any] | None = None) -> Any:
    return _instance(name, schema, schemas or {})


def _describe(schema: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Every property: a description (kept if present) and an example valid under it."""
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop or "oneOf" in prop:
            # A $ref cannot carry siblings that mean anything in every tool: wrap it.
            wrapped = {"description": prop.get("description") or FIELDS.get(name, (
                name.replace("_", " ").capitalize(),))[0]}
            if "$ref" in prop:
                wrapped["allOf"] = [prop]
            else:
                wrapped["oneOf"] = prop["oneOf"]
            wrapped["examples"] = [_instance(name, wrapped, schemas)]
            schema["properties"][name] = wrapped
            continue
        prop.setdefault("description", FIELDS.get(name, (name.replace("_", " ")
                                                          .capitalize(),))[0])
        _describe(prop, schemas)
        if isinstance(prop.get("items"), dict):
            _describe(prop["items"], schemas)
        if "examples" not in prop:
            prop["examples"] = [_instance(name, prop, schemas)]


def _problem_content(slugs: list[str]) -> dict[str, Any]:
    examples = {slug: {"summary": TYPES[slug].title, "value": {
        "type": f"https://waitline.example.org/api/#problem-{slug}",
        "title": TYPES[slug].title, "status": TYPES[slug].status,
        "detail": ("limit: a whole number from 1 to 100" if slug == "invalid-parameter"
                   else "colour: this endpoint does not take this parameter; allowed: care"
                   if slug == "unknown-parameter" else TYPES[slug].description),
        "instance": "/api/v1/stories",
        **({"invalid-params": [{"name": "limit", "reason": "a whole number from 1 to 100"}]}
           if slug == "invalid-parameter" else
           {"invalid-params": [{"name": "colour", "reason": "this endpoint does not take "
                                                         "this parameter"}]}
           if slug == "unknown-parameter" else {})}} for slug in slugs}
    return {"application/problem+json": {"schema": _ref("Problem"), "examples": examples}}


def complete(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    ok_headers = {name: {"$ref": f"#/components/headers/{name}"}
                  for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                               "ETag", "Cache-Control")}
    for path, item in document["paths"].items():
        operation = item["get"]
        operation.setdefault("description", operation["summary"] + ".")
        operation["parameters"] = [*operation.get("parameters", []), _LANG]
        for parameter in operation["parameters"]:
            parameter.setdefault("description", _PARAMETERS.get(parameter["name"], ""))
            parameter.setdefault("example", _PARAMETER_EXAMPLES.get(
                parameter["name"], _example(parameter["name"], parameter["schema"])))
        operation["security"] = []  # open to all: no key, no cookie
        responses = operation["responses"]
        responses.setdefault("400", {"description": "A parameter we cannot use"})
        responses.setdefault("429", {"description": "Too many requests"})
        for status, answer in responses.items():
            if status == "200":
                answer["headers"] = ok_headers
                continue
            if status.startswith("3"):  # a redirect says its own (api.problems.RENAMED)
                continue
            slugs = {"400": ["invalid-parameter", "unknown-parameter"],
                     "404": ["no-release", "not-found"] if "stats" in path else ["not-found"],
                     }.get(status, [_ERROR_STATUSES[status]])
            answer["content"] = _problem_content(slugs)
            if status == "429":
                answer["headers"] = {"Retry-After": {"$ref": "#/components/headers/"
                                                              "Retry-After"}}
    schemas = document["components"]["schemas"]
    for schema in schemas.values():
        schema.setdefault("description", "See the operations that return it.")
        _describe(schema, schemas)
    for name in ("StoryError", "StatsError"):
        document["components"]["schemas"].pop(name, None)
    return document
