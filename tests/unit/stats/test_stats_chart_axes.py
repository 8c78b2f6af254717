"""The charts' geometry: round ticks that reach the top, and a hidden group drawn as a marker."""

from __future__ import annotations

import pytest

from testimonials.stats import charts


@pytest.mark.parametrize(("top", "ticks"), [
    (0, [0, 1]), (1, [0, 1]), (7, [0, 2, 4, 6, 8]), (2405, [0, 500, 1000, 1500, 2000, 2500]),
    (100, [0, 20, 40, 60, 80, 100]),
])
def test_axis_ticks_are_round_and_reach_the_top(top, ticks) -> None:
    assert charts.nice_ticks(top) == ticks


def test_a_hidden_group_gets_the_marker_and_no_bar() -> None:
    bars = [charts.Bar("North", 21, "21 days"), charts.Bar("South", None, "hidden (fewer than 11)"),
            charts.Bar("West", 730, "more than 730 days", open_ended=True)]
    chart = charts.bar_chart("y", "t", "d", bars, charts.Mark(14, "Standard"))
    assert [r.css for r in chart.rects] == ["bar", "bar-open"]
    assert [t.text for t in chart.texts if t.css == "hidden-note"] == ["hidden (fewer than 11)"]
    assert max(r.x + r.width for r in chart.rects) <= chart.width
