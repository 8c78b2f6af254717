"""The tidy ("long") statistics file: one row per release x group x measure.

What data journalists' tools expect: no preamble (the notes, methods and filters are in the
datapackage.json beside the file), ids and names in columns of their own, one numeric `value`
column, a `status` column for what is not a number (a hidden group: "suppressed"; no value:
"missing"), and a `code` column for a measure whose value is a word (e.g. why an interval is
withheld; a band count withheld as small, from release format 4 on, and a count of how the
wait stood or its share, from format 5 on: missing, code few_answers). Rows are built from
`export.summary_row` / `SUMMARY_COLUMNS` without naming a measure, so a figure added there
reaches this file (and its schema) by itself.

Quarters are written "2026 Q1" and months (in releases before format 3) "2026 M03", the SDMX
and Eurostat notations, with the year (and the month) in integer columns of their own:
spreadsheets turn "2026-03" into a date (Excel shows "Mar-26" and saves 2026-03-01), but
leave "2026 M03" and "2026 Q1" as text, and the numbers sort and filter.

Pure: a view in, rows out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from testimonials.filter_params import CARE_BY_BIT
from testimonials.stats import quarters
from testimonials.stats.document import label_of
from testimonials.stats.export import SUMMARY_COLUMNS, Scalar, summary_row
from testimonials.stats.intervals import FEW_ANSWERS
from testimonials.stats.page import View
from testimonials.stats.report import ShownGroup
from testimonials.stats.summary import Summary

SHOWN, SUPPRESSED, MISSING = "shown", "suppressed", "missing"
_DIGITS = 4  # shares: finer than any sample here supports (as in the JSON)

# The description of the `status` column. A release stores it at its cut ("csv_status",
# `stats_commands.release_wording`), so that a later rewording changes no byte of its data
# package; releases cut before keep the words they were served with, which gave one reason
# for a hidden group where there are two (`methods.HIDDEN`).
STATUS = ("shown, suppressed (hidden to protect privacy: too few answers, or too small a "
          "change since the last release, here or in a related group) or missing (no figure: "
          "none applies, or none could be estimated).")
STATUS_BEFORE = ("shown, suppressed (a group too small to publish) or missing (no figure: "
                 "none applies, or none could be estimated).")
# (name, Table Schema type, description) of every column, in order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("release", "integer", "The release's number: its figures never change."),
    ("filter_region_id", "integer", "The view's region filter (empty: every region)."),
    ("filter_facility_id", "integer", "The view's facility filter (empty: every facility)."),
    ("filter_care", "string", "The view's care-type filter (empty: every care type)."),
    ("series", "string", "What is counted: respondents (people), or a wait (intake, "
                         "first_return, ...)."),
    ("breakdown", "string", "The dimension this group splits its parent by (empty for the "
                            "view's total): region, facility, care, quarter (month in "
                            "releases before format 3) or outcome."),
    ("group_key", "string", "The group's stable key: the same people in every view."),
    ("group_name", "string", "The group's name in the file's language (a place, a care type, "
                             "a quarter as YYYY Qn or a month as YYYY Mmm, an outcome)."),
    ("region_id", "integer", "The group's region (see /api/v1/regions)."),
    ("region_name", "string", "The name of `region_id`."),
    ("facility_id", "integer", "The group's facility (see /api/v1/facilities)."),
    ("facility_name", "string", "The name of `facility_id`."),
    ("care", "string", "The group's care type."),
    ("not_stated", "string", "The dimension this group did not state (e.g. region)."),
    ("period", "string", "The group's quarter as text, YYYY Qn (e.g. 2026 Q1); in releases "
                         "before format 3, its month, YYYY Mmm (e.g. 2026 M03)."),
    ("year", "integer", "The year of `period`."),
    ("month", "integer", "The month of `period`, 1 to 12 (empty for a quarter)."),
    ("measure", "string", "The figure in `value` (see the measure list in the package)."),
    ("value", "number", "The figure, always written as a decimal (a count of 57 is 57.0); "
                        "empty when `status` is not shown."),
    ("status", "string", STATUS_BEFORE),
    ("code", "string", "A measure's value when it is a word (e.g. few_answers)."),
)
NAMES = tuple(name for name, _, _ in COLUMNS)
# Releases that hold earlier figures (`ShownGroup.held`) add three columns, never filled in
# `value`: a reader who takes `value` takes this release's figures only.
HELD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("held_from_release", "integer", "For a group hidden in this release: the latest earlier "
                                     "release that showed it, whose figure is in "
                                     "`held_value` (empty otherwise)."),
    ("held_date", "date", "The date that release was cut: `held_value` is as of then."),
    ("held_value", "number", "The figure that earlier release showed, not this release's "
                             "(empty where it showed none: see that release's own file)."),
)
HELD_NAMES = NAMES + tuple(name for name, _, _ in HELD_COLUMNS)


def names(held: bool) -> tuple[str, ...]:
    """The file's columns: with the held ones for a release that holds earlier figures."""
    return HELD_NAMES if held else NAMES

Translate = Callable[[str], str]


def _dimensions(key: str) -> dict[str, Scalar]:
    """The ids a group key names: "intake|region=3&month=2026-03" -> region 3, 2026 M03; a
    group of those who did not say: "intake|region=3|none:month" -> region 3, not_stated."""
    found: dict[str, Scalar] = {}
    parts = [part for scope in key.split("|")[1:] for part in scope.split("&")]
    for part in parts:
        name, _, value = part.partition("=")
        if name.startswith("none:"):
            found["not_stated"] = name.removeprefix("none:")
        elif name in ("region", "facility") and value.isdigit():
            found[f"{name}_id"] = int(value)
        elif name == "care" and value.isdigit():
            found["care"] = CARE_BY_BIT.get(int(value), value)
        elif name == "month" and len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            found.update(period=f"{year:04d} M{month:02d}", year=year, month=month)
        elif name == "quarter" and (quarter := quarters.parts(value)) is not None:
            found.update(period=f"{quarter[0]:04d} Q{quarter[1]}", year=quarter[0])
    return found


def _measures(group: ShownGroup[Summary], series: str, has_standard: bool
              ) -> Iterator[tuple[str, Any, str]]:
    """(measure, value, status) of a group: its count, then every summary figure it has."""
    if group.suppressed:
        yield "count", None, SUPPRESSED
    else:
        yield "count", group.count, SHOWN if group.count is not None else MISSING
    if series == "respondents":  # people, not waits: a count only
        return
    values = summary_row(None if group.suppressed else group.figures)
    for measure in SUMMARY_COLUMNS:
        if measure == "count":
            continue
        value = values.get(measure)
        if not has_standard and "standard" in measure:
            value = None  # no standard configured for this wait: nothing to compare with
        status = SUPPRESSED if group.suppressed else SHOWN if value is not None else MISSING
        if value is None and group.figures is not None and (
                measure.startswith("band_") or measure in _STATE_MEASURES):
            # A band cell is always counted: None is a cell withheld as small (format 4 on),
            # inside a shown group ("suppressed" is a whole group's): empty, with its reason;
            # so is a count of how the wait stood, and its share (format 5 on).
            yield measure, FEW_ANSWERS, MISSING
            continue
        yield measure, value, status


# Never None in a shown group's figures unless withheld as small (`group_table`).
_STATE_MEASURES = frozenset(("n_ended", "n_waiting", "n_gave_up", "n_gave_up_without_days",
                             "n_never_offered", "n_never_offered_without_days",
                             "share_gave_up", "share_never_offered"))

Names = Mapping[tuple[str, int], str]  # ("region" | "facility", id) -> name


def rows(view: View, release: int, translate: Translate,
         names: Names | None = None) -> Iterator[dict[str, Scalar]]:
    """Every row of the view's tidy file, as dicts keyed by NAMES (`names`: the places')."""
    base: dict[str, Scalar] = {
        "release": release, "filter_region_id": view.filter.region,
        "filter_facility_id": view.filter.facility,
        "filter_care": None if view.filter.care is None else CARE_BY_BIT.get(view.filter.care),
    }
    known = names or {}
    yield from _group_rows(base, "respondents", view.respondents, "", True, translate, known)
    for series in view.series:
        yield from _group_rows(base, series.series, series.group, "",
                               series.standard_days is not None, translate, known)


def _group_rows(base: dict[str, Scalar], series: str, group: ShownGroup[Summary],
                breakdown: str, has_standard: bool, translate: Translate, names: Names
                ) -> Iterator[dict[str, Scalar]]:
    outcome = breakdown == "outcome"
    dims = _dimensions(group.key)
    for kind in ("region", "facility"):
        if f"{kind}_id" in dims:
            dims[f"{kind}_name"] = names.get((kind, int(dims[f"{kind}_id"] or 0)))
    name = dims["period"] if breakdown in ("month", "quarter") and "period" in dims \
        else label_of(group, translate)
    common = {**base, "series": "outcome" if outcome else series, "breakdown": breakdown,
              "group_key": group.key, "group_name": name, **dims}
    kind = "respondents" if outcome else series
    held = _held(group, kind, has_standard)
    for measure, value, status in _measures(group, kind, has_standard):
        code = value if isinstance(value, str) else None
        yield {**dict.fromkeys(HELD_NAMES), **common, "measure": measure,
               "value": _number(value), "status": status, "code": code, **held.get(measure, {})}
    for child_breakdown in group.breakdowns:
        for child in child_breakdown.groups:
            yield from _group_rows(base, series, child, child_breakdown.name, has_standard,
                                   translate, names)


def _number(value: Any) -> float | None:
    # Always written as a decimal (57.0): one type for the whole column, so a reader that
    # guesses it from the first rows (polars) does not meet 0.25 after 57.
    if value is None or isinstance(value, str):
        return None
    return round(float(value), _DIGITS)


def _held(group: ShownGroup[Summary], series: str, has_standard: bool
          ) -> dict[str, dict[str, Scalar]]:
    """measure -> the held columns of a hidden group an earlier release showed (else none)."""
    held = group.held
    if held is None:
        return {}
    then: ShownGroup[Summary] = ShownGroup(group.key, group.label, False, held.count,
                                           held.figures, ())
    return {measure: {"held_from_release": held.release, "held_date": held.date.isoformat(),
                      "held_value": _number(value)}
            for measure, value, _status in _measures(then, series, has_standard)}


def schema(held: bool = False, status: str | None = None) -> dict[str, Any]:
    """The Frictionless Table Schema of the file (measure names listed from SUMMARY_COLUMNS);
    `held`: with the columns of a release that holds earlier figures; `status`: the
    description of `status` the release stored (None: `STATUS_BEFORE`)."""
    fields = []
    for name, kind, description in COLUMNS + (HELD_COLUMNS if held else ()):
        if name == "status" and status is not None:
            description = status
        field: dict[str, Any] = {"name": name, "type": kind, "description": description}
        if name == "measure":
            field["constraints"] = {"enum": list(SUMMARY_COLUMNS)}
        elif name == "status":
            field["constraints"] = {"required": True, "enum": [SHOWN, SUPPRESSED, MISSING]}
        elif name == "month":
            field["constraints"] = {"minimum": 1, "maximum": 12}
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}
