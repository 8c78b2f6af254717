"""Quarters made from the months the aggregates hold: scopes, sums, merged histograms, labels,
the release document of format 3 and a format 2 one still read with its months."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import Counter

from testimonials.services.aggregates import counts_of, histograms_of
from testimonials.stats import quarters, releases, universe
from testimonials.stats.cells import cells
from testimonials.stats.page import Base, Filter, all_filters, build_view
from testimonials.vocab import WaitState

CUT = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
STANDARDS = {"intake": {"business_days": 10}, "first_return": {"business_days": 10},
             "between_returns": {"business_days": 10}, "psychiatry": {"business_days": 15},
             "urgent": {"hours": 48}}
SPANISH = {"Q1 %(year)s": "1.er trim. %(year)s", "Q2 %(year)s": "2.º trim. %(year)s",
           "Q2": "T2"}


def test_a_month_belongs_to_one_quarter_and_a_quarter_holds_three_months() -> None:
    assert [quarters.quarter_of(f"2025-{m:02d}") for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2025-Q1", "2025-Q1", "2025-Q2", "2025-Q2", "2025-Q3", "2025-Q3", "2025-Q4", "2025-Q4"]
    assert quarters.months_of("2025-Q4") == ("2025-10", "2025-11", "2025-12")
    for quarter in ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"):
        assert {quarters.quarter_of(m) for m in quarters.months_of(quarter)} == {quarter}


def test_month_scopes_and_quarter_scopes_map_onto_each_other() -> None:
    assert quarters.quarter_scope("care=2&month=2025-05") == "care=2&quarter=2025-Q2"
    assert quarters.quarter_scope("region=3&month=2025-12") == "region=3&quarter=2025-Q4"
    assert quarters.quarter_scope("region=3&care=2") is None
    assert quarters.month_scopes("region=3&quarter=2025-Q1") == (
        "region=3&month=2025-01", "region=3&month=2025-02", "region=3&month=2025-03")
    assert quarters.month_scopes("facility=4") == ("facility=4",)


def test_quarter_counts_are_the_sums_of_their_months_and_months_are_dropped() -> None:
    counts = {("respondents", "month=2025-04"): 3, ("respondents", "month=2025-06"): 5,
              ("respondents", "month=2025-07"): 2, ("intake", "care=1&month=2025-05"): 4,
              ("respondents", "all"): 10, ("respondents", "region=1"): 7}
    assert quarters.by_quarter(counts) == {
        ("respondents", "quarter=2025-Q2"): 8, ("respondents", "quarter=2025-Q3"): 2,
        ("intake", "care=1&quarter=2025-Q2"): 4, ("respondents", "all"): 10,
        ("respondents", "region=1"): 7}


def test_a_quarters_histogram_merges_its_months() -> None:
    stored = {("intake", "month=2025-01"): {(5, WaitState.ENDED): 2},
              ("intake", "month=2025-03"): {(5, WaitState.ENDED): 1, (9, WaitState.WAITING): 4},
              ("intake", "region=1"): {(7, WaitState.ENDED): 1}}
    asked: list[list[str]] = []

    def read(scopes: list[str]) -> dict:  # type: ignore[type-arg]
        asked.append(scopes)
        return {k: v for k, v in stored.items() if k[1] in scopes}

    found = quarters.merged_histograms(["quarter=2025-Q1", "region=1", "quarter=2025-Q2"], read)
    assert found == {("intake", "quarter=2025-Q1"): {(5, WaitState.ENDED): 3,
                                                     (9, WaitState.WAITING): 4},
                     ("intake", "region=1"): {(7, WaitState.ENDED): 1}}
    assert len(asked) == 1 and "month=2025-02" in asked[0] and "quarter=2025-Q1" not in asked[0]


def test_quarters_read_as_their_readers_write_them() -> None:
    assert quarters.label("2025-Q2", lambda text: text) == "Q2 2025"
    spanish = SPANISH.get
    assert quarters.label("2025-Q2", lambda text: spanish(text, text)) == "2.º trim. 2025"
    assert quarters.label("2024-Q1", lambda text: spanish(text, text)) == "1.er trim. 2024"
    assert quarters.short_label("2025-Q2", lambda text: spanish(text, text)) == "T2"
    assert quarters.label("2025-05", str) == "2025-05"  # not a quarter: as it is
    assert quarters.quarters(["quarter=2025-Q3", "quarter=2024-Q4", "care=1&quarter=2025-Q1",
                              "month=2025-01"]) == ("2024-Q4", "2025-Q3")


PEOPLE = [  # (facility, care, month, intake days)
    *[((1, 10), 1, "2026-01", 5 + n) for n in range(6)],
    *[((1, 10), 1, "2026-02", 20 + n) for n in range(6)],
    *[((1, 11), 2, "2026-04", 30 + n) for n in range(7)],
    *[((2, 20), 1, "2026-05", 40 + n) for n in range(5)],
    *[((2, 20), 1, None, 9) for _ in range(6)],
]


def _month_cells() -> Counter:  # type: ignore[type-arg]
    total: Counter = Counter()  # type: ignore[type-arg]
    for (region, facility), care, month, days in PEOPLE:
        when = dt.date.fromisoformat(month + "-01") if month else None
        total.update(cells(region, facility, care, when, 0, [("intake", "ended", days)]))
    return total


def _dims(period: str, periods: tuple[str, ...]) -> universe.Dimensions:
    return universe.Dimensions(
        (universe.Region(1, "East"), universe.Region(2, "West")),
        (universe.Facility(10, "A", 1), universe.Facility(11, "B", 1),
         universe.Facility(20, "C", 2)), periods, period)


def test_a_release_publishes_quarters_summed_from_months_and_reads_them_back() -> None:
    total = _month_cells()
    counts = quarters.by_quarter(counts_of(
        (scope, measure, n) for (scope, measure, days), n in total.items() if days == -1))
    rows = [(scope, measure, days, n) for (scope, measure, days), n in total.items()]
    dims = _dims(quarters.QUARTER, quarters.quarters(s for _, s in counts))
    assert dims.periods == ("2026-Q1", "2026-Q2")
    base = Base(1, CUT, dims, counts, universe.hidden_keys(dims, counts, 5), 5)
    histograms = quarters.merged_histograms(
        [s for f in all_filters(dims) for s in _scopes(f, dims)],
        lambda wanted: {k: v for k, v in histograms_of(rows).items() if k[1] in wanted})
    document = releases.build(base, histograms, STANDARDS)
    assert document["format"] == releases.FORMAT and document["quarters"] == ["2026-Q1", "2026-Q2"]
    assert "months" not in document
    groups = document["groups"]
    assert groups["respondents|quarter=2026-Q1"][0] == 12
    assert groups["respondents|quarter=2026-Q2"][0] == 12
    assert groups["respondents|all|none:quarter"][0] == 6  # no month given
    first = groups["intake|quarter=2026-Q1"][1]
    assert first["count"] == 12 and first["intervals"]["median"][1] is not None
    assert not any("month=" in group_key for group_key in groups)
    release = releases.decode(1, CUT, releases.encode(document)[0])
    assert release.dims == dims
    for view_filter in all_filters(dims):
        assert release.view(view_filter) == build_view(
            view_filter, releases.protected(base, histograms, STANDARDS), histograms, STANDARDS)


def _scopes(view_filter: Filter, dims: universe.Dimensions) -> list[str]:
    from testimonials.stats.page import needed_scopes
    return needed_scopes(view_filter, dims)


def test_a_format_2_release_is_still_read_with_its_months() -> None:
    total = _month_cells()
    counts = counts_of((s, m, n) for (s, m, d), n in total.items() if d == -1)
    dims = _dims(quarters.MONTH, ("2026-01", "2026-02", "2026-04", "2026-05"))
    base = Base(1, CUT, dims, counts, universe.hidden_keys(dims, counts, 5), 5)
    histograms = histograms_of((s, m, d, n) for (s, m, d), n in total.items())
    document = releases.build(base, histograms, STANDARDS)
    document["format"] = 2  # as release 1 of an older site was stored
    assert document["months"] == list(dims.periods)
    stored = zlib.compress(json.dumps(document).encode())
    release = releases.decode(1, CUT, stored)
    assert release.dims.period == quarters.MONTH and release.dims.periods == dims.periods
    view = release.view(Filter())
    names = [b.name for b in view.respondents.breakdowns]
    assert "month" in names and "quarter" not in names
    assert view == build_view(Filter(), releases.protected(base, histograms, STANDARDS),
                              histograms, STANDARDS)
