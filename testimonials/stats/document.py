"""A protected view as the JSON document of /stats.json and /api/v1/stats.

Nothing here decides what is shown: hidden groups already carry no count and no figures, and
these functions only copy what is there, so the page, the CSV (stats/tidy.py), the JSON and
the API agree.
Pure: plain values in and out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from testimonials.stats import quarters
from testimonials.stats.export import summary_dict
from testimonials.stats.intervals import Intervals
from testimonials.stats.page import TOTAL_LABEL, Series, View
from testimonials.stats.report import Held, ShownBreakdown, ShownGroup
from testimonials.stats.summary import Summary
from testimonials.stats.universe import SERIES_LABELS

# Figures that compare with the standard, emptied when no standard is configured.
_STANDARD_FIELDS = ("standard_days", "share_over_standard", "n_over_standard", "n_at_standard")
_SHARE_DIGITS = 4  # 0.7345: finer than any sample here can support
_SHARES = ("share_over_standard", "share_gave_up", "share_never_offered")

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def label_of(group: ShownGroup[Any], translate: Translate) -> str:
    """The group's label in the reader's language (names of places and months stay as they
    are; a quarter is written as readers write it, "Q2 2025", "2.º trim. 2025")."""
    scope = group.key.split("|", 1)[1] if "|" in group.key else group.key
    if "|none:" not in group.key and scope.rsplit("&", 1)[-1].startswith("quarter="):
        return quarters.label(group.label, translate)
    if "|none:" in group.key or scope.rsplit("&", 1)[-1].startswith("care=") \
            or group.key.startswith("outcome:") or group.label == TOTAL_LABEL:
        return translate(group.label)
    return group.label


def when(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _english(_key: str, label: str) -> str:
    return label


BandLabel = Callable[[str, str], str]  # (band key, today's label) -> the label to write


def _figures(summary: Summary, has_standard: bool, band_label: BandLabel = _english
             ) -> dict[str, Any]:
    data = summary_dict(summary)
    for band in data["bands"]:
        band["label"] = band_label(band["key"], band["label"])
    for name in _SHARES:
        data[name] = _rounded(data[name])
    intervals = data["intervals"]
    if intervals is not None:
        for name in Intervals.SHARES:
            estimate = intervals[name]
            for part in ("value", "low", "high"):
                estimate[part] = _rounded(estimate[part])
    if not has_standard:
        data.update(dict.fromkeys(_STANDARD_FIELDS))
        if intervals is not None:
            intervals.update(dict.fromkeys(Intervals.SHARES))
    return data


def _rounded(share: Any) -> Any:
    return round(share, _SHARE_DIGITS) if isinstance(share, float) else share


def group_data(group: ShownGroup[Summary], has_standard: bool = True,
               skip: frozenset[str] = frozenset(), translate: Translate = _same,
               band_label: BandLabel = _english) -> dict[str, Any]:
    """One protected group, with its breakdowns (except those named in `skip`)."""
    data = {
        "key": group.key,
        "label": label_of(group, translate),
        "suppressed": group.suppressed,
        "count": group.count,
        "figures": None if group.figures is None else _figures(group.figures, has_standard,
                                                               band_label),
        "breakdowns": [_breakdown(b, has_standard, translate, band_label)
                       for b in group.breakdowns if b.name not in skip],
    }
    if group.held is not None:  # only in releases that hold earlier figures
        data["held"] = held_data(group.held, has_standard, band_label)
    return data


def held_data(held: Held[Summary], has_standard: bool = True,
              band_label: BandLabel = _english) -> dict[str, Any]:
    """What an earlier release showed of a group hidden now, apart from this one's figures."""
    return {**_held_count(held),
            "figures": None if held.figures is None else _figures(held.figures, has_standard,
                                                                  band_label)}


def _held_count(held: Held[Summary]) -> dict[str, Any]:
    """Which earlier release, cut when, and the count it showed (an outcome's whole held)."""
    return {"release": held.release, "date": held.date.isoformat(), "count": held.count}


def _breakdown(breakdown: ShownBreakdown[Summary], has_standard: bool,
               translate: Translate, band_label: BandLabel) -> dict[str, Any]:
    return {
        "name": breakdown.name,
        "partition": breakdown.partition,
        "groups": [group_data(child, has_standard, translate=translate, band_label=band_label)
                   for child in breakdown.groups],
    }


def document(view: View, *, filters: dict[str, Any], methods: str, hidden_text: str,
             language: str, translate: Translate = _same,
             band_label: BandLabel = _english) -> dict[str, Any]:
    """The JSON document of a view; `filters` as given back to the reader; `translate` and
    `band_label` give the words the release stored (`stats.wording`)."""
    return {
        "filters": filters,
        "scope": view.filter.scope,
        "data_version": view.version,
        "data_as_of": when(view.changed_at),
        "min_cell": view.min_cell,
        "language": language,
        "suppressed_text": hidden_text,
        "methods": methods,
        "respondents": group_data(view.respondents, skip=frozenset({"outcome"}),
                                  translate=translate, band_label=band_label),
        "waits": [_series(series, translate, band_label) for series in view.series],
        "outcomes": [_outcome(group, translate) for group in view.outcomes],
    }


def _outcome(group: ShownGroup[Summary], translate: Translate) -> dict[str, Any]:
    data: dict[str, Any] = {
        "outcome": group.key.split("|", 1)[0].split(":", 1)[1], "key": group.key,
        "label": translate(group.label), "suppressed": group.suppressed, "count": group.count}
    if group.held is not None:
        data["held"] = _held_count(group.held)
    return data


def _series(series: Series, translate: Translate, band_label: BandLabel) -> dict[str, Any]:
    return {
        "series": series.series,
        "label": translate(SERIES_LABELS[series.series]),
        "standard_days": series.standard_days,
        "group": group_data(series.group, series.standard_days is not None,
                            translate=translate, band_label=band_label),
    }
