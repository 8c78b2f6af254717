"""Quarters, the time dimension releases publish, made from the months the aggregates hold (pure).

The aggregates (table stat_cell) count each submission in the month of its experience
("month=2025-05", and paired: "region=3&month=2025-05", "care=2&month=2025-05"). Releases
publish quarters instead: a month has too few answers to show anywhere but the largest
groups, and the figures are published "by region, facility, care type and quarter". Counts
and histograms are additive, so a quarter's are the sums of its three months', and no
aggregate table changes: "quarter=2025-Q2" is made here from "month=2025-04", "-05" and "-06".

A quarter is written "2025-Q2" in keys and documents (ISO 8601 has no quarter notation; this
is the common "YYYY-Qn"); readers see "Q2 2025" or "2.º trim. 2025" (`label`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from testimonials.stats.histogram import Key, merge
from testimonials.stats.methods import N_

MONTH, QUARTER = "month", "quarter"
_MONTH_PART = re.compile(r"month=([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_QUARTER_PART = re.compile(r"quarter=([0-9]{4})-Q([1-4])")


def quarter_of(month: str) -> str:
    """"2025-05" -> "2025-Q2"."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def months_of(quarter: str) -> tuple[str, str, str]:
    """"2025-Q2" -> ("2025-04", "2025-05", "2025-06")."""
    year, number = quarter[:4], int(quarter[-1])
    first = (number - 1) * 3 + 1
    return (f"{year}-{first:02d}", f"{year}-{first + 1:02d}", f"{year}-{first + 2:02d}")


def period_scope(period: str, value: str) -> str:
    """The scope of one month or quarter: period_scope("quarter", "2025-Q2")."""
    return f"{period}={value}"


def quarter_scope(scope: str) -> str | None:
    """The quarter scope a month scope belongs to ("care=2&month=2025-05" ->
    "care=2&quarter=2025-Q2"); None for a scope without a month."""
    found = _MONTH_PART.search(scope)
    if found is None:
        return None
    year, month = found.group(1), found.group(2)
    return scope.replace(found.group(0), f"quarter={quarter_of(f'{year}-{month}')}")


def month_scopes(scope: str) -> tuple[str, ...]:
    """The month scopes a quarter scope is the sum of; the scope itself when it has no quarter."""
    found = _QUARTER_PART.search(scope)
    if found is None:
        return (scope,)
    quarter = f"{found.group(1)}-Q{found.group(2)}"
    return tuple(scope.replace(found.group(0), f"month={month}") for month in months_of(quarter))


def by_quarter(counts: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Group counts with every month scope summed into its quarter (the months dropped: no
    release publishes them any more, and a protection run need not carry them)."""
    found: dict[tuple[str, str], int] = {}
    for (family, scope), count in counts.items():
        quarter = quarter_scope(scope)
        target = (family, quarter if quarter is not None else scope)
        found[target] = found.get(target, 0) + count
    return found


def merged_histograms(scopes: Iterable[str], read: Callable[[list[str]], Mapping[
        tuple[str, str], Mapping[Key, int]]]) -> dict[tuple[str, str], dict[Key, int]]:
    """The histograms of `scopes`, a quarter scope's merged from its months' (`read` gives
    the stored histograms of plain scopes: (series, scope) -> histogram)."""
    wanted = list(dict.fromkeys(scopes))
    parts = {scope: month_scopes(scope) for scope in wanted}
    stored = read(list(dict.fromkeys(part for found in parts.values() for part in found)))
    by_series: dict[str, dict[str, Mapping[Key, int]]] = {}
    for (series, scope), histogram in stored.items():
        by_series.setdefault(series, {})[scope] = histogram
    found: dict[tuple[str, str], dict[Key, int]] = {}
    for series, held in by_series.items():
        for scope in wanted:
            pieces = [held[part] for part in parts[scope] if part in held]
            if pieces:
                found[(series, scope)] = merge(*pieces) if len(pieces) > 1 else dict(pieces[0])
    return found


def quarters(scopes: Iterable[str]) -> tuple[str, ...]:
    """The quarters named by plain quarter scopes ("quarter=2025-Q2"), ascending, once each."""
    return tuple(sorted({scope.split("=", 1)[1] for scope in scopes
                         if scope.startswith("quarter=") and "&" not in scope}))


def parts(quarter: str) -> tuple[int, int] | None:
    """"2025-Q2" -> (2025, 2); None for anything else."""
    found = _QUARTER.fullmatch(quarter)
    return (int(found.group(1)), int(found.group(2))) if found else None


# "Q2 2025"; in Spanish "2.º trim. 2025" (the RAE abbreviations: 1.er, 2.º, 3.er, 4.º trim.),
# hence one message per quarter. On a chart's axis, "Q2" ("T2", as the INE writes it).
LABELS = {1: N_("Q1 %(year)s"), 2: N_("Q2 %(year)s"), 3: N_("Q3 %(year)s"),
          4: N_("Q4 %(year)s")}
SHORT_LABELS = {1: N_("Q1"), 2: N_("Q2"), 3: N_("Q3"), 4: N_("Q4")}


def label(quarter: str, translate: Callable[[str], str]) -> str:
    """The quarter as readers write it, in their language; the text itself when not one."""
    found = parts(quarter)
    if found is None:
        return quarter
    return translate(LABELS[found[1]]) % {"year": found[0]}


def short_label(quarter: str, translate: Callable[[str], str]) -> str:
    """"Q2" (the year is written once under the axis, `label` says it in full)."""
    found = parts(quarter)
    return quarter if found is None else translate(SHORT_LABELS[found[1]])
