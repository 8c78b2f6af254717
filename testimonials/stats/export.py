"""Plain shapes of a protected report for templates, JSON and CSV.

Nothing here decides what is shown: suppressed groups already carry no figures, and every
function below only copies what is there, so the page, the CSV, the JSON and the API agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic

from testimonials.stats.bands import BANDS, BandCount
from testimonials.stats.intervals import Estimate, Intervals
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.report import F, ShownGroup
from testimonials.stats.summary import Summary

Scalar = int | float | str | None

_PERCENTILES = Intervals.PERCENTILES
_BAND_STATES = ("ended", "waiting", "gave_up", "never_offered")
# Each estimate's interval: its bounds, "more than N days" for an upper bound beyond the data,
# the answers it rests on, and why it is withheld (empty when shown).
_INTERVAL_PARTS = ("low", "high", "high_more_than", "n", "withheld")  # of a percentile
_SHARE_PARTS = ("low", "high", "n", "withheld")  # a share's bounds are always within 0..1

SUMMARY_COLUMNS: tuple[str, ...] = (
    "count",
    "n_ended",
    "n_waiting",
    "n_gave_up",
    "n_gave_up_without_days",
    "n_never_offered",
    "n_never_offered_without_days",
    "n_in_estimate",
    "share_gave_up",
    "share_never_offered",
    *(f"{name}_{part}" for name in _PERCENTILES
      for part in ("days", "more_than", *_INTERVAL_PARTS)),
    "standard_days",
    "share_over_standard",
    *(f"share_over_standard_{part}" for part in _SHARE_PARTS),
    "n_over_standard",
    "n_at_standard",
    *(f"{name}{part}" for name in Intervals.SHARES[1:]
      for part in ("", *(f"_{part}" for part in _SHARE_PARTS))),
    *(f"band_{band.key}_{state}" for band in BANDS for state in _BAND_STATES),
)


def summary_row(summary: Summary | None) -> dict[str, Scalar]:
    """One flat CSV row, keyed by SUMMARY_COLUMNS in order; all None for a hidden group."""
    if summary is None:
        return dict.fromkeys(SUMMARY_COLUMNS)
    row: dict[str, Scalar] = {
        "count": summary.count,
        "n_ended": summary.n_ended,
        "n_waiting": summary.n_waiting,
        "n_gave_up": summary.n_gave_up,
        "n_gave_up_without_days": summary.n_gave_up_without_days,
        "n_never_offered": summary.n_never_offered,
        "n_never_offered_without_days": summary.n_never_offered_without_days,
        "n_in_estimate": summary.n_in_estimate,
        "share_gave_up": summary.share_gave_up,
        "share_never_offered": summary.share_never_offered,
    }
    intervals = summary.intervals
    for name in _PERCENTILES:
        percentile: Percentile = getattr(summary, name)
        row[f"{name}_days"] = percentile.days
        row[f"{name}_more_than"] = percentile.more_than
        row.update(_interval_cells(name, intervals))
    row["standard_days"] = summary.standard_days
    row["share_over_standard"] = summary.share_over_standard
    row.update(_interval_cells("share_over_standard", intervals))
    row["n_over_standard"] = summary.n_over_standard
    row["n_at_standard"] = summary.n_at_standard
    for name in Intervals.SHARES[1:]:
        row[name] = None if intervals is None else getattr(intervals, name).value
        row.update(_interval_cells(name, intervals))
    for cell in summary.bands:
        for state in _BAND_STATES:
            row[f"band_{cell.band.key}_{state}"] = getattr(cell, state)
    return {column: row[column] for column in SUMMARY_COLUMNS}


def _interval_cells(name: str, intervals: Intervals | None) -> dict[str, Scalar]:
    """The interval columns of one estimate; all None without intervals (old releases)."""
    parts = _INTERVAL_PARTS if name in _PERCENTILES else _SHARE_PARTS
    if intervals is None:
        return {f"{name}_{part}": None for part in parts}
    estimate: Estimate = getattr(intervals, name)
    return {f"{name}_{part}": getattr(estimate, part) for part in parts}


def summary_dict(summary: Summary) -> dict[str, Any]:
    """The summary as nested JSON-ready values."""
    return {
        "count": summary.count,
        "n_ended": summary.n_ended,
        "n_waiting": summary.n_waiting,
        "n_gave_up": summary.n_gave_up,
        "n_gave_up_without_days": summary.n_gave_up_without_days,
        "n_never_offered": summary.n_never_offered,
        "n_never_offered_without_days": summary.n_never_offered_without_days,
        "n_in_estimate": summary.n_in_estimate,
        "share_gave_up": summary.share_gave_up,
        "share_never_offered": summary.share_never_offered,
        "percentiles": {name: _percentile_dict(getattr(summary, name)) for name in _PERCENTILES},
        "standard_days": summary.standard_days,
        "share_over_standard": summary.share_over_standard,
        "n_over_standard": summary.n_over_standard,
        "n_at_standard": summary.n_at_standard,
        "bands": [_band_dict(cell) for cell in summary.bands],
        "intervals": None if summary.intervals is None else {
            name: estimate_dict(getattr(summary.intervals, name)) for name in Intervals.NAMES},
    }


def estimate_dict(estimate: Estimate) -> dict[str, Any]:
    """One estimate with its 95% interval and n, JSON-ready."""
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "high_more_than": estimate.high_more_than,
        "n": estimate.n,
        "withheld": estimate.withheld,
    }


def _percentile_dict(percentile: Percentile) -> dict[str, Any]:
    return {
        "p": percentile.p,
        "reached": percentile.reached,
        "days": percentile.days,
        "more_than": percentile.more_than,
    }


def _band_dict(cell: BandCount) -> dict[str, Any]:
    band = cell.band
    return {
        "key": band.key,
        "label": band.label,
        "low": band.low,
        "high": band.high,
        "ended": cell.ended,
        "waiting": cell.waiting,
        "gave_up": cell.gave_up,
        "never_offered": cell.never_offered,
        "total": cell.total,
    }


def group_dict(group: ShownGroup[F], figures: Callable[[F], Any] | None = None) -> dict[str, Any]:
    """The protected group as nested JSON-ready values; `figures` converts its figures."""
    convert = figures or _default_figures
    return {
        "key": group.key,
        "label": group.label,
        "suppressed": group.suppressed,
        "count": group.count,
        "figures": None if group.figures is None else convert(group.figures),
        "breakdowns": [
            {
                "name": breakdown.name,
                "partition": breakdown.partition,
                "groups": [group_dict(child, figures) for child in breakdown.groups],
            }
            for breakdown in group.breakdowns
        ],
    }


def _default_figures(figures: Any) -> Any:
    return summary_dict(figures) if isinstance(figures, Summary) else figures


@dataclass(frozen=True)
class Row(Generic[F]):
    """One group in reading order, with the labels and breakdowns that lead to it."""

    path: tuple[str, ...]  # labels from the top-level group down to this one
    breakdowns: tuple[str, ...]  # breakdown names along the path (one fewer than labels)
    group: ShownGroup[F]

    @property
    def depth(self) -> int:
        return len(self.breakdowns)


def rows(report: Iterable[ShownGroup[F]]) -> Iterator[Row[F]]:
    """Every group of the report, depth first, parents before their breakdowns."""
    for group in report:
        yield from _rows(group, (group.label,), ())


def _rows(group: ShownGroup[F], path: tuple[str, ...], names: tuple[str, ...]) -> Iterator[Row[F]]:
    yield Row(path, names, group)
    for breakdown in group.breakdowns:
        for child in breakdown.groups:
            yield from _rows(child, (*path, child.label), (*names, breakdown.name))
