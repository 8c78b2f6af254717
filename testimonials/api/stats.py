"""The statistics API: /api/v1/stats, and its part of the OpenAPI document.

The body is the document of /stats.json (the same filters, the same suppression); the schemas
below describe it exactly (additional properties refused), in OpenAPI 3.1 / JSON Schema 2020-12
terms (nullable values are `"type": [..., "null"]`).
"""

from __future__ import annotations

from typing import Any

from flask import Response

from testimonials.api import bp
from testimonials.api.problems import RENAMED
from testimonials.filter_params import CARE_NAMES
from testimonials.public import stats_views
from testimonials.stats.cells import OUTCOMES, SERIES
from testimonials.stats.intervals import EXTREME, FEW_ANSWERS, TOO_UNCERTAIN, Intervals


@bp.get("/v1/stats")
def stats() -> Response | tuple[Response | str, int]:
    """The latest release as JSON: the same document, filters and suppression as /stats.json."""
    return stats_views.json_document()


@bp.get("/v1/stats/releases/<int:number>")
def release_stats(number: int) -> Response | tuple[Response | str, int]:
    """Release `number` as JSON: the same document as /stats/releases/<number>.json."""
    return stats_views.json_document(number)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False,
            "properties": properties, **extra}


def _optional(schema: dict[str, Any], **properties: Any) -> dict[str, Any]:
    """The object schema with more properties that may be absent."""
    return {**schema, "properties": {**schema["properties"], **properties}}


# A group hidden in this release that an earlier one showed (releases cut since held figures
# came): what that release showed, apart from this release's count and figures.
_HELD = ("Present only on a hidden group that an earlier release showed: its figures in the "
         "latest such release, published at that release's own address. They are not this "
         "release's figures (`count` stays null).")
_COUNT = {"type": "integer", "minimum": 0}
_MAYBE_COUNT = {"type": ["integer", "null"], "minimum": 0}
_SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, "description": description}


# What a held group's object says of the earlier release, counts alone or with figures.
_HELD_FIELDS: dict[str, Any] = {
    "release": _described({"type": "integer", "minimum": 1},
                          "The latest earlier release that showed this group."),
    "date": _described({"type": "string", "format": "date"},
                       "The date (UTC) that release was cut: its figures are as of then."),
    "count": _described(_COUNT, "The group's count in that release, not in this one."),
}


_WITHHELD = {"type": ["string", "null"], "enum": [FEW_ANSWERS, TOO_UNCERTAIN, EXTREME, None],
             "description": "Why the estimate is not shown as a number: `few_answers` (it "
                            "rests on fewer than STATS_MIN_CELL answers with days), "
                            "`too_uncertain` (a share whose 95% interval is 0.30 wide or "
                            "more, or wider than 0.05 and than 130% of the share or of its "
                            "complement) or `extreme` (a percentile with fewer than "
                            "STATS_MIN_CELL answers at or above it, or at or below it: it "
                            "would be one of a few people's own answers; or a share over the "
                            "standard with fewer than STATS_MIN_CELL answers known to be over "
                            "it, or not over it: it would give that count away; release "
                            "format 4 on); `few_answers` also for the cumulative incidence "
                            "of giving up, or of never being offered an appointment, where "
                            "that count (`n_gave_up`, `n_never_offered`) is withheld (release "
                            "format 5 on); null when shown or simply not estimable."}
# Release format 4 on: a band cell of 1 to STATS_MIN_CELL - 1 answers, and the cells that
# would give it away through the sums, are null (withheld, "fewer than STATS_MIN_CELL").
_BAND_CELL = _described(_MAYBE_COUNT, "Answers in this band; null when withheld: fewer than "
                                      "STATS_MIN_CELL answers, or a cell that would give such "
                                      "a one away through the sums.")
# Release format 5 on: a count of how the wait stood (and its share) of 1 to
# STATS_MIN_CELL - 1, and those that would give it back, are null (withheld).
_STATE_NOTE = (" Null when withheld (release format 5 on): fewer than STATS_MIN_CELL "
               "answers, or a count that would give such a one back through the sums.")


def _state(description: str) -> dict[str, Any]:
    return _described(_MAYBE_COUNT, description + _STATE_NOTE)


_N_ESTIMATE = _described(_COUNT, "Answers this estimate rests on: those that give a number of "
                                 "days (the Kaplan-Meier and cumulative-incidence sample).")
_INTERVAL_DESCRIPTIONS = {
    "p25": "The 25th percentile of the wait in days, with its 95% interval.",
    "median": "The median wait in days, with its 95% interval.",
    "p75": "The 75th percentile of the wait in days, with its 95% interval.",
    "p90": "The 90th percentile of the wait in days, with its 95% interval.",
    "share_over_standard": "The Kaplan-Meier share of waits longer than the standard, with its "
                           "95% interval (exponential Greenwood, log-log); null without a "
                           "standard.",
    "gave_up_by_standard": "The cumulative incidence of giving up within the standard's days "
                           "(Aalen-Johansen; getting an appointment and never being offered "
                           "one compete), with its 95% interval; null without a standard.",
    "never_offered_by_standard": "The cumulative incidence of being never offered an "
                                 "appointment within the standard's days (Aalen-Johansen; "
                                 "getting an appointment and giving up compete), with its 95% "
                                 "interval; null without a standard.",
}
_PARAMETERS = [
    {"name": "region", "in": "query", "required": False,
     "description": "A region, by its slug (as on /stories) or its id (empty: none).",
     "schema": {"type": "string", "pattern": "^([a-z0-9][a-z0-9-]{0,99})?$"}},
    {"name": "facility", "in": "query", "required": False,
     "description": "A facility, by its id (empty: none). With `region`, it must be in that "
                    "region.",
     "schema": {"type": "string", "pattern": "^([0-9]{1,9})?$"}},
    {"name": "care", "in": "query", "required": False,
     "description": "A care type (empty: none). Combines with a region or a facility.",
     "schema": {"type": "string", "enum": ["", *sorted(CARE_NAMES)]}},
]


OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/stats": {
        "get": {
            "operationId": "getStats",
            "summary": "The latest statistics release, with small-cell suppression",
            "description": (
                "Kaplan-Meier medians and percentiles of each wait, the share over its legal "
                "standard, each with its 95% confidence interval and the number of answers it "
                "rests on, giving up and never being offered an appointment as competing "
                "outcomes (cumulative incidence), answers in bands, by region, facility, care "
                "type and quarter (month in releases before format 3), and the outcome "
                "counts. Hidden groups (fewer than STATS_MIN_CELL answers, or a change of 1 to "
                "STATS_MIN_CELL - 1 since the last release that showed them, here or in a "
                "related group) have `suppressed: true` and no count or figures; the same groups "
                "are hidden on /stats, /stats.csv and /stats.json for the same filters. Labels "
                "and the methods note follow the site's language (Accept-Language, or ?lang=es "
                "as on every page)."),
            "tags": ["statistics"],
            "parameters": _PARAMETERS,
            "responses": {
                "301": RENAMED,
                "200": {"description": "The statistics of the filtered view",
                        "content": {"application/json": {"schema": _ref("StatsReport")}}},
                "400": {"description": "A filter value we do not understand: malformed (a "
                                       "facility that is not a number, a region that is not a "
                                       "slug or id), unknown, or given more than once",
                        "content": {"application/json": {"schema": _ref("StatsError")}}},
                "404": {"description": "No such region or facility (or the facility is not in "
                                       "the region asked for), or no release published yet",
                        "content": {"application/json": {"schema": _ref("StatsError")}}},
            },
        },
    },
    "/api/v1/stats/releases/{number}": {
        "get": {
            "operationId": "getStatsRelease",
            "summary": "One statistics release, as published (it never changes)",
            "description": "The same document as /api/v1/stats, for release `number`.",
            "tags": ["statistics"],
            "parameters": [{"name": "number", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}, *_PARAMETERS],
            "responses": {
                "301": RENAMED,
                "200": {"description": "The statistics of the filtered view in that release",
                        "content": {"application/json": {"schema": _ref("StatsReport")}}},
                "400": {"description": "A filter value we do not understand",
                        "content": {"application/json": {"schema": _ref("StatsError")}}},
                "404": {"description": "No such release, region or facility",
                        "content": {"application/json": {"schema": _ref("StatsError")}}},
            },
        },
    },
}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "StatsReport": _object({
        "filters": _object({
            "region": {"type": ["integer", "null"]},
            "facility": {"type": ["integer", "null"]},
            "care": {"type": ["string", "null"], "enum": [*sorted(CARE_NAMES), None]},
        }),
        "scope": {"type": "string"},
        "data_version": _COUNT,
        "data_as_of": {"type": ["string", "null"], "format": "date-time"},
        "min_cell": {"type": "integer", "minimum": 1},
        "language": {"type": "string", "enum": ["en", "es"]},
        "suppressed_text": {"type": "string"},
        "methods": {"type": "string"},
        "respondents": _ref("StatsGroup"),
        "waits": {"type": "array", "items": _ref("StatsWait")},
        "outcomes": {"type": "array", "items": _ref("StatsOutcome")},
        "release": _ref("StatsRelease"),
        "licence": _ref("Licence"),
    }),
    "StatsRelease": _object({
        "number": {"type": "integer", "minimum": 1},
        "cut_at": {"type": "string", "format": "date-time"},
        "published_at": {"type": "string", "format": "date-time"},
        "changes": _optional(_object({
            "previous": {"type": ["integer", "null"]},
            "respondents_added": {"type": ["integer", "null"]},
            "newly_shown": _COUNT,
            "newly_hidden": _COUNT,
        }), held=_described(_COUNT, "Hidden groups given with the figures of an earlier "
                                    "release (`held`); absent in releases cut before.")),
        "address": _object({name: {"type": "string"} for name in ("page", "csv", "json", "api")}),
    }),
    "StatsWait": _object({
        "series": {"type": "string", "enum": list(SERIES)},
        "label": {"type": "string"},
        "standard_days": _MAYBE_COUNT,
        "group": _ref("StatsGroup"),
    }),
    "StatsOutcome": _optional(_object({
        "outcome": {"type": "string", "enum": list(OUTCOMES)},
        "key": {"type": "string"},
        "label": {"type": "string"},
        "suppressed": {"type": "boolean"},
        "count": _MAYBE_COUNT,
    }), held=_ref("StatsHeldCount")),
    "StatsGroup": _optional(_object(
        {
            "key": {"type": "string"},
            "label": {"type": "string"},
            "suppressed": {"type": "boolean"},
            "count": _MAYBE_COUNT,
            "figures": {"oneOf": [_ref("StatsFigures"), {"type": "null"}]},
            "breakdowns": {"type": "array", "items": _ref("StatsBreakdown")},
        },
        # A hidden group carries neither a count nor figures (of this release).
        **{"if": {"properties": {"suppressed": {"const": True}}},
           "then": {"properties": {"count": {"type": "null"}, "figures": {"type": "null"}}}},
    ), held=_ref("StatsHeld")),
    "StatsHeldCount": _object(_HELD_FIELDS, description=_HELD),
    "StatsHeld": _object({
        **_HELD_FIELDS,
        "figures": {"oneOf": [_ref("StatsFigures"), {"type": "null"}],
                    "description": "The group's figures in that release (null where it "
                                   "showed the count alone)."},
    }, description=_HELD),
    "StatsBreakdown": _object({
        "name": {"type": "string", "enum": ["region", "facility", "care", "quarter", "month"]},
        "partition": {"type": "boolean"},
        "groups": {"type": "array", "items": _ref("StatsGroup")},
    }),
    "StatsFigures": _object({
        "count": _COUNT,
        "n_ended": _state("Waits that ended."),
        "n_waiting": _state("People still waiting."),
        "n_gave_up": _state("Answers that gave up waiting, with or without "
                                        "days (not those never offered an appointment)."),
        "n_gave_up_without_days": _state("Answers that gave up without a number "
                                                     "of days."),
        "n_never_offered": _state("Answers never offered an appointment, with or "
                                              "without days; a separate answer from giving "
                                              "up."),
        "n_never_offered_without_days": _state(
            "Answers never offered an appointment that give no number of days: left "
                    "out of the estimates and the bands."),
        "n_in_estimate": _COUNT,
        "share_gave_up": _described(_SHARE, "Share of all answers that gave up; null when "
                                            "`n_gave_up` is withheld."),
        "share_never_offered": _described(
            _SHARE, "Share of all answers that were never offered an appointment; null when "
                    "`n_never_offered` is withheld."),
        "percentiles": _object({name: _ref("StatsPercentile")
                                for name in ("p25", "median", "p75", "p90")}),
        "standard_days": _MAYBE_COUNT,
        "share_over_standard": _SHARE,
        "n_over_standard": _MAYBE_COUNT,
        "n_at_standard": _described(
            _MAYBE_COUNT, "Answers of exactly the standard's number of days (not counted as "
                          "over it); null without a standard, or when 1 to STATS_MIN_CELL - 1."),
        "bands": {"type": "array", "items": _ref("StatsBand")},
        "intervals": {"oneOf": [_ref("StatsIntervals"), {"type": "null"}],
                      "description": "Every estimate with its 95% interval and the number of "
                                     "answers it rests on (null in releases published before "
                                     "intervals were)."},
    }),
    "StatsIntervals": _object({
        **{name: {**_ref("StatsDaysEstimate"), "description": _INTERVAL_DESCRIPTIONS[name]}
           for name in Intervals.PERCENTILES},
        **{name: {"oneOf": [_ref("StatsShareEstimate"), {"type": "null"}],
                  "description": _INTERVAL_DESCRIPTIONS[name]}
           for name in Intervals.SHARES},
    }),
    "StatsDaysEstimate": _object({
        "value": _described(_MAYBE_COUNT, "The estimate in days; null when withheld or not "
                                          "reached (see the percentile's `more_than`)."),
        "low": _described(_MAYBE_COUNT, "The lower end of the 95% interval, in days."),
        "high": _described(_MAYBE_COUNT, "The upper end of the 95% interval, in days; null "
                                         "when beyond the data (see `high_more_than`)."),
        "high_more_than": _described(
            _MAYBE_COUNT, "When the upper end lies beyond the data: it is more than this many "
                          "days (a band edge, or the estimate or `low` where that edge would "
                          "be below them; never one person's answer alone)."),
        "n": _N_ESTIMATE,
        "withheld": _WITHHELD,
    }),
    "StatsShareEstimate": _object({
        "value": _described(_SHARE, "The estimated share, 0 to 1; null when withheld or not "
                                    "estimable (nobody followed as long as the standard)."),
        "low": _described(_SHARE, "The lower end of the 95% interval."),
        "high": _described(_SHARE, "The upper end of the 95% interval."),
        "high_more_than": _described({"type": "null"}, "Always null for a share."),
        "n": _N_ESTIMATE,
        "withheld": _WITHHELD,
    }),
    "StatsPercentile": _object({
        "p": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "reached": {"type": "boolean"},
        "days": _MAYBE_COUNT,
        "more_than": _MAYBE_COUNT,
    }),
    "StatsBand": _object({
        "key": {"type": "string"},
        "label": {"type": "string"},
        "low": _COUNT,
        "high": _MAYBE_COUNT,
        "ended": _BAND_CELL,
        "waiting": _BAND_CELL,
        "gave_up": _BAND_CELL,
        "never_offered": _described(_BAND_CELL, "Answers never offered an appointment after "
                                                "a number of days in this band; null when "
                                                "withheld."),
        "total": _BAND_CELL,
    }),
    "StatsError": _object({
        "error": _object({
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "detail": {"type": ["string", "null"]},
        }),
    }),
}
