"""The release page's chart geometry (pure SVG builders): true axes, the part over the standard."""

from __future__ import annotations

import pytest

from testimonials.stats import charts

STANDARD = charts.Mark(14, "10 business days (14 calendar days)")
# The six bands of `bands`, the open last one drawn to a year and spread over 547 days.
BINS = [charts.Bin(0, 14, 30, 15), charts.Bin(15, 28, 28, 14), charts.Bin(29, 61, 33, 33),
        charts.Bin(62, 91, 0, 30), charts.Bin(92, 183, 46, 92), charts.Bin(184, 365, 547, 547)]


def histogram(standard: charts.Mark | None = STANDARD,
              bins: list[charts.Bin] = BINS) -> charts.Chart:
    return charts.wait_histogram("waits", "t", "d", bins, standard, 366,
                                 [(0, "0"), (90, "90"), (365, "365 days")], "per week", str)


def x_scale(chart: charts.Chart) -> tuple[float, float]:
    """The x of day 0 and the width of one day, read off the tick marks."""
    ticks = sorted({(line.x1) for line in chart.lines if line.css == "axis-line"
                    and line.x1 == line.x2})
    return ticks[0], (ticks[1] - ticks[0]) / 90


def test_histogram_bars_are_as_wide_as_their_days_on_one_day_axis() -> None:
    chart = histogram(None)
    zero, day = x_scale(chart)
    bars = sorted(chart.rects, key=lambda r: r.x)
    assert len(bars) == 5  # the empty band draws nothing
    for rect, bin_ in zip(bars, [b for b in BINS if b.count], strict=True):
        assert rect.x == pytest.approx(zero + bin_.low * day, abs=0.2)
        assert rect.width == pytest.approx((bin_.high + 1 - bin_.low) * day, abs=0.3)


def test_histogram_area_stands_for_the_count() -> None:
    chart = histogram(None)
    _zero, day = x_scale(chart)
    bars = sorted(chart.rects, key=lambda r: r.x)
    # Bars of the same weekly rate (30 in 15 days, 28 in 14) stand equally high;
    # a band twice as long with the same count stands half as high.
    assert bars[0].height == pytest.approx(bars[1].height, abs=0.2)
    assert bars[2].height == pytest.approx(bars[1].height * (33 / 33) / (28 / 14), abs=0.2)
    # The open last band is as high as its count spread over all its 547 days.
    assert bars[-1].height == pytest.approx(bars[0].height * (547 / 547) / (30 / 15), abs=0.2)


def test_histogram_colours_everything_beyond_the_standard_and_marks_it() -> None:
    chart = histogram()
    standard = next(line for line in chart.lines if line.css == "standard")
    zero, day = x_scale(chart)
    assert standard.x1 == pytest.approx(zero + 15 * day, abs=0.2)  # longer than 14 days
    within = [r for r in chart.rects if r.css == "bin-within"]
    over = [r for r in chart.rects if r.css == "bin-over"]
    assert [r.x + r.width for r in within] == [pytest.approx(standard.x1, abs=0.2)]
    assert all(r.x >= standard.x1 - 0.2 for r in over) and len(over) == 4
    assert any(t.text == STANDARD.label and t.css == "standard-label" for t in chart.texts)


def test_a_bar_the_standard_cuts_is_split_where_it_falls() -> None:
    chart = histogram(charts.Mark(21, "15 business days"))
    zero, day = x_scale(chart)
    second = sorted((r for r in chart.rects if zero + 14 * day < r.x + r.width <= zero + 30 * day
                     and r.x >= zero + 14 * day), key=lambda r: r.x)
    assert [r.css for r in second] == ["bin-within", "bin-over"]
    assert second[1].x == pytest.approx(zero + 22 * day, abs=0.2)
    assert second[0].height == second[1].height


def dots() -> list[charts.Dot]:
    return [charts.Dot("A clinic with a rather long name - Behavioral Health Department", 91,
                       "91 days (49–147)", 49, 147),
            charts.Dot("North", 30, "30 days (20–41)", 20, 41),
            charts.Dot("South", 10, "10 days", None, None),
            charts.Dot("West", 61, "more than 61 days", 35, None, open_ended=True)]


def test_dots_sit_on_a_true_day_axis_with_their_intervals() -> None:
    chart = charts.dot_chart("places", "t", "d", dots(), STANDARD, str, lambda n: f"{n} days")
    ticks = {t.text: t.x for t in chart.texts if t.css == "axis"}
    zero = ticks["0"]
    last_text = next(text for text in ticks if text.endswith("days"))
    day = (ticks[last_text] - zero) / int(last_text.split()[0])
    assert [c.cx for c in chart.circles] == [pytest.approx(zero + v * day, abs=0.2)
                                             for v in (91, 30, 10, 61)]
    intervals = [line for line in chart.lines if line.css in ("ci", "ci-open")]
    assert intervals[0].x1 == pytest.approx(zero + 49 * day, abs=0.2)
    assert intervals[0].x2 == pytest.approx(zero + 147 * day, abs=0.2)
    assert intervals[-1].css == "ci-open"  # the upper end lies beyond the data
    assert [c.css for c in chart.circles] == ["dot-over", "dot-over", "dot-within", "dot-open"]


def test_the_standard_never_runs_through_the_names() -> None:
    chart = charts.dot_chart("places", "t", "d", dots(), STANDARD, str)
    names = [t for t in chart.texts if t.css == "bar-label"]
    assert len(names) == 5  # the long name takes two lines
    for line in (line for line in chart.lines if line.css == "standard"):
        for name in names:
            assert not line.y1 <= name.y - 4 <= line.y2 and not line.y1 <= name.y - 12 <= line.y2
    over = [r for r in chart.rects if r.css == "lane-over"]
    assert len(over) == 4 and all(r.x + r.width <= chart.width for r in over)


def test_values_are_written_inside_the_chart() -> None:
    chart = charts.dot_chart("places", "t", "d", dots(), STANDARD, str)
    for text in (t for t in chart.texts if t.css == "value"):
        width = charts.text_width(text.text)
        left = text.x - width if text.anchor == "end" else text.x
        assert 0 <= left and left + width <= chart.width + 1


def test_a_month_without_a_figure_leaves_a_gap_in_time() -> None:
    points = [charts.Dot("2025-01", 20, "20 days", 14, 30), None,
              charts.Dot("2025-03", 10, "10 days")]
    chart = charts.trend_chart("month", "t", "d", points, ["2025", "", ""], STANDARD, str)
    xs = [c.cx for c in chart.circles]
    gap = next(r for r in chart.rects if r.css == "hidden-mark")
    assert xs[0] < gap.x < xs[1]
    assert xs[1] - (gap.x + gap.width / 2) == pytest.approx((gap.x + gap.width / 2) - xs[0],
                                                             abs=0.2)
    assert [c.css for c in chart.circles] == ["dot-over", "dot-within"]
    assert any(r.css == "area-over" for r in chart.rects)


def test_long_names_wrap_in_two_lines_at_most() -> None:
    assert charts.wrap_label("North") == ["North"]
    lines = charts.wrap_label("word " * 40, 20)
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines)
    assert lines[1].endswith("…")


def test_a_value_without_room_for_its_interval_is_written_without_it() -> None:
    dot = charts.Dot("Clinic", 91, "91 days (49–147)", 49, 147, short="91 days")
    chart = charts.dot_chart("places", "t", "d", [dot], STANDARD, str)
    assert [t.text for t in chart.texts if t.css == "value"] == ["91 days"]
    roomy = charts.Dot("Clinic", 30, "30 days (25–40)", 25, 40, short="30 days")
    chart = charts.dot_chart("places", "t", "d", [roomy, dot], STANDARD, str)
    assert [t.text for t in chart.texts if t.css == "value"][0] == "30 days (25–40)"
