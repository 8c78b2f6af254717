"""Held figures: a group hidden in a release that an earlier release showed is given, apart
from this release's count and figures, what the latest such release showed (`releases.carry`,
`Release.held_of`, `view_of`), and every file says it in fields of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from testimonials.stats import document, releases, tidy
from testimonials.stats.page import Filter
from testimonials.stats.report import Held, ShownGroup
from testimonials.stats.summary import Summary, summarise
from testimonials.vocab import WaitState

CUT_1 = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
CUT_2 = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
FACILITY = "intake|facility=10"
REGION = "intake|region=1"
SUMMARY = summarise({(5, WaitState.ENDED): 12, (40, WaitState.ENDED): 20}, 14)
FIGURES = releases._encode(SUMMARY)


def doc(groups: dict[str, list[Any]], *, period: str = "quarters",
        held: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """A release document of one region with one facility (groups not given count 0)."""
    found: dict[str, Any] = {
        "format": 5, "min_cell": 11, "standards": {}, "series_standards": {"intake": 14},
        "regions": [[1, "East Bay"]], "facilities": [[10, "Big Clinic", 1]],
        period: ["2026-Q2"] if period == "quarters" else ["2026-05"], "groups": groups}
    if held is not None:
        found["held"] = held
    return found


def test_a_group_hidden_now_takes_what_the_previous_release_showed() -> None:
    before = doc({FACILITY: [32, FIGURES], REGION: [40, FIGURES]})
    now = doc({FACILITY: [None, None], REGION: [52, FIGURES]})
    assert releases.carry(1, CUT_1, before, now) == {FACILITY: [1, "2026-11-30", 32, FIGURES]}


def test_a_group_hidden_twice_keeps_the_latest_release_that_showed_it() -> None:
    first = doc({FACILITY: [32, FIGURES]})
    second = doc({FACILITY: [None, None]})
    second["held"] = releases.carry(1, CUT_1, first, second)
    third = doc({FACILITY: [None, None]})
    assert releases.carry(2, CUT_2, second, third) == {
        FACILITY: [1, "2026-11-30", 32, FIGURES]}


def test_a_group_shown_again_is_not_held() -> None:
    second = doc({FACILITY: [None, None]}, held={FACILITY: [1, "2026-11-30", 32, FIGURES]})
    third = doc({FACILITY: [45, FIGURES]})
    assert releases.carry(2, CUT_2, second, third) == {}


def test_nothing_is_carried_between_months_and_quarters_nor_from_an_empty_group() -> None:
    by_month = doc({"intake|month=2026-05": [30, FIGURES], FACILITY: [0, None]},
                   period="months")
    by_quarter = doc({"intake|quarter=2026-Q2": [None, None], FACILITY: [None, None]})
    assert releases.carry(1, CUT_1, by_month, by_quarter) == {}


def test_a_wait_whose_standard_changed_is_not_held_and_the_chain_does_not_bring_it_back() -> None:
    # Its share over the standard was of the standard then; the page shows this release's.
    people = "respondents|facility=10"
    first = doc({FACILITY: [32, FIGURES], people: [32, None]})
    second = doc({FACILITY: [None, None], people: [None, None]})
    second["series_standards"] = {"intake": 21}
    second["held"] = releases.carry(1, CUT_1, first, second)
    assert second["held"] == {people: [1, "2026-11-30", 32, None]}  # not a wait: held
    third = doc({FACILITY: [None, None]})
    third["series_standards"] = {"intake": 21}
    assert releases.carry(2, CUT_2, second, third) == {}
    # A document cut before series' standards were stored: its standards are compared.
    old = {key: value for key, value in first.items() if key != "series_standards"}
    assert releases.carry(1, CUT_1, old, doc({FACILITY: [None, None]})) == {
        FACILITY: [1, "2026-11-30", 32, FIGURES]}
    changed = doc({FACILITY: [None, None]})
    changed["standards"] = {"intake": {"business_days": 15}}
    assert releases.carry(1, CUT_1, old, changed) == {}


def test_a_group_whose_count_is_shown_without_figures_is_not_held() -> None:
    # Rule 3 of stats/protection.py: the count shown, its figures withheld; whole-group only.
    before = doc({FACILITY: [32, FIGURES]})
    now = doc({FACILITY: [44, None]})
    assert releases.carry(1, CUT_1, before, now) == {}
    release = releases.from_document(2, CUT_2, {**now, "held": {}})
    group = facility_group(release)
    assert (group.count, group.figures, group.held) == (44, None, None)


def facility_group(release: releases.Release) -> ShownGroup[Summary]:
    view = release.view(Filter(facility=10))
    return next(s.group for s in view.series if s.series == "intake")


def test_a_view_gives_a_hidden_group_the_held_figures_apart_from_its_own() -> None:
    before = doc({FACILITY: [32, FIGURES]})
    now = doc({FACILITY: [None, None]})
    now["held"] = releases.carry(1, CUT_1, before, now)
    group = facility_group(releases.from_document(2, CUT_2, now))
    assert group.suppressed and group.count is None and group.figures is None
    assert group.held == Held(1, dt.date(2026, 11, 30), 32, releases._decode(FIGURES))
    # A document cut before held figures came holds none.
    old = doc({FACILITY: [None, None]})
    assert facility_group(releases.from_document(2, CUT_2, old)).held is None


def test_changes_count_the_held_groups_only_where_the_document_holds_them() -> None:
    before = doc({FACILITY: [32, FIGURES]})
    now = doc({FACILITY: [None, None]})
    assert "held" not in releases.changes(before, now, 1)
    now["held"] = releases.carry(1, CUT_1, before, now)
    assert releases.changes(before, now, 1)["held"] == 1


def test_the_json_and_the_csv_give_held_figures_apart_from_the_current_ones() -> None:
    now = doc({FACILITY: [None, None]}, held={FACILITY: [1, "2026-11-30", 32, FIGURES]})
    view = releases.from_document(2, CUT_2, now).view(Filter(facility=10))
    data = document.document(view, filters={}, methods="", hidden_text="hidden",
                             language="en")
    intake = next(w["group"] for w in data["waits"] if w["series"] == "intake")
    assert intake["count"] is None and intake["figures"] is None
    assert intake["held"]["release"] == 1 and intake["held"]["date"] == "2026-11-30"
    assert intake["held"]["count"] == 32
    assert intake["held"]["figures"]["n_in_estimate"] == 32
    assert "held" not in data["respondents"]  # shown as 0 here: nothing held
    rows = [row for row in tidy.rows(view, 2, str) if row["group_key"] == FACILITY]
    count = next(row for row in rows if row["measure"] == "count")
    assert (count["value"], count["status"]) == (None, tidy.SUPPRESSED)
    assert (count["held_from_release"], count["held_date"], count["held_value"]) == (
        1, "2026-11-30", 32.0)
    median = next(row for row in rows if row["measure"] == "median_days")
    assert median["value"] is None and median["held_value"] == float(SUMMARY.median.days or 0)
    assert tidy.names(True)[-3:] == ("held_from_release", "held_date", "held_value")
    assert tidy.names(False) == tidy.NAMES
