"""The geometry of the statistics charts, drawn by the server as SVG (pure).

Each function takes ready values (labels already translated, numbers already formatted) and
returns a `Chart`: rectangles, lines, circles and texts with their coordinates and CSS classes,
for a template to write out as SVG without any logic. No style attributes anywhere (the CSP
forbids them): on the page colours come from the classes in static/css/stats.css; the
downloadable files (`chart_files`) turn the same classes into presentation attributes.

The release page's charts (`wait_histogram`, `dot_chart`, `trend_chart`) are drawn `NARROW`
wide, so that their text stays legible when a phone shrinks them to 330 px; every position on
a value axis is proportional to its value (days from 0, months one step apart).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WIDTH = 640
NARROW = 400


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    css: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    css: str = "chart-text"
    anchor: str = "start"  # SVG text-anchor: start, middle or end


@dataclass(frozen=True)
class Chart:
    """An SVG chart: `title` and `description` are its text alternative (role="img")."""

    id: str
    title: str
    description: str
    width: int
    height: int
    rects: tuple[Rect, ...] = ()
    lines: tuple[Line, ...] = ()
    texts: tuple[Text, ...] = ()
    circles: tuple[Circle, ...] = ()


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart.

    `value` None draws no bar (`text` says why, e.g. the hidden-group marker); `open_ended`
    draws a bar that is only a lower bound ("more than N days").
    """

    label: str
    value: float | None
    text: str
    open_ended: bool = False


@dataclass(frozen=True)
class Mark:
    """A reference line (the legal standard) at `value`, with its label."""

    value: float
    label: str


@dataclass
class _Shapes:
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)

    def chart(self, id_: str, title: str, description: str, height: float,
              width: int = WIDTH) -> Chart:
        return Chart(id_, title, description, width, math.ceil(height),
                     tuple(self.rects), tuple(self.lines), tuple(self.texts),
                     tuple(self.circles))


def _r(value: float) -> float:
    return round(value, 1)


def nice_ticks(top: float, most: int = 5) -> list[int]:
    """Round tick values from 0 to at least `top`, at most `most` + 1 of them."""
    if top <= 0:
        return [0, 1]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(int(step), 1)
    return list(range(0, int(math.ceil(top / step)) * step + 1, step))


def bar_chart(id_: str, title: str, description: str, bars: Sequence[Bar],
              standard: Mark | None = None, width: int = WIDTH) -> Chart:
    """Horizontal bars, one per row, each labelled above it; the standard as a dashed line."""
    left, text_room, top, row = 8.0, 150.0, 28.0, 40.0
    plot_w = width - left - text_room
    shapes = _Shapes()
    values = [b.value for b in bars if b.value is not None]
    if standard is not None:
        values.append(standard.value)
    scale = plot_w / max(max(values, default=1.0), 1.0)
    for index, bar in enumerate(bars):
        y = top + index * row
        shapes.texts.append(Text(left, _r(y + 13), bar.label, "bar-label"))
        end = left
        if bar.value is not None:
            end = left + bar.value * scale
            css = "bar-open" if bar.open_ended else "bar"
            shapes.rects.append(Rect(left, _r(y + 18), _r(max(bar.value * scale, 1.0)), 14, css))
        css = "value" if bar.value is not None else "hidden-note"
        shapes.texts.append(Text(_r(end + 6), _r(y + 30), bar.text, css))
    height = top + len(bars) * row + 6
    if standard is not None:
        x = _r(left + standard.value * scale)
        shapes.lines.append(Line(x, top - 8, x, height - 4, "standard"))
        shapes.texts.append(Text(x + 4, top - 12, standard.label, "standard-label"))
    return shapes.chart(id_, title, description, height, width)


# The release page's charts: true axes, the standard marked, what lies beyond it coloured.

@dataclass(frozen=True)
class Bin:
    """One histogram bin: whole days `low` to `high` inclusive, drawn to scale.

    `true_days` is how many days the bin really spans (the open last band is drawn only to the
    axis' end but spread over all its days, so its area still stands for its count).
    """

    low: int
    high: int
    count: int
    true_days: int


@dataclass(frozen=True)
class Dot:
    """One place (or month) with its estimate and 95% interval, all in days.

    `high` None with `low` set: the interval's upper end was not reached (open to the right).
    `open_ended`: the value itself is only a lower bound ("more than N days").
    """

    label: str
    value: float
    text: str
    low: float | None = None
    high: float | None = None
    open_ended: bool = False
    short: str = ""  # the text without its interval, where the whole one has no room


def boundary(standard_days: int) -> int:
    """Where "longer than the standard" starts on a whole-day axis (day `standard + 1`)."""
    return standard_days + 1


def wait_histogram(id_: str, title: str, description: str, bins: Sequence[Bin],
                   standard: Mark | None, axis_end: int, x_ticks: Sequence[tuple[int, str]],
                   y_label: str, number: Callable[[int], str]) -> Chart:
    """A histogram of waits on a true day axis: each bar as wide as its days, its area its count.

    The height is answers per week of wait (count / days x 7). The part of every bar beyond the
    standard is drawn in the "over" colour (a bar the standard cuts is split where it falls).
    """
    left, right, top, bottom, height = 44.0, 14.0, 44.0, 36.0, 250.0
    plot_w, plot_h = NARROW - left - right, height - top - bottom
    shapes = _Shapes()

    def x_of(days: float) -> float:
        return _r(left + min(days, axis_end) / axis_end * plot_w)

    weekly = [b.count / max(b.true_days, 1) * 7 for b in bins]
    ticks = nice_ticks(max(weekly, default=0.0), 4)
    scale = plot_h / ticks[-1]
    for tick in ticks:
        y = _r(top + plot_h - tick * scale)
        shapes.lines.append(Line(left, y, NARROW - right, y, "grid"))
        shapes.texts.append(Text(left - 6, y + 4, number(tick), "axis", "end"))
    shapes.texts.append(Text(left - 40, top - 28, y_label, "axis"))
    over_from = boundary(int(standard.value)) if standard is not None else None
    for bin_, per_week in zip(bins, weekly, strict=True):
        if not bin_.count:
            continue
        start, end = bin_.low, min(bin_.high + 1, axis_end)
        y, h = _r(top + plot_h - per_week * scale), _r(per_week * scale)
        parts = [(start, end, "bin-within")]
        if over_from is not None:
            parts = [(start, min(end, over_from), "bin-within"),
                     (max(start, over_from), end, "bin-over")]
        for part_start, part_end, css in parts:
            if part_end > part_start:
                shapes.rects.append(Rect(x_of(part_start), y,
                                         _r(x_of(part_end) - x_of(part_start)), h, css))
    for index, (days, label) in enumerate(x_ticks):
        shapes.lines.append(Line(x_of(days), top + plot_h, x_of(days), top + plot_h + 4,
                                 "axis-line"))
        anchor = "end" if index == len(x_ticks) - 1 and index else "middle"
        shapes.texts.append(Text(x_of(days), height - bottom + 18, label, "axis", anchor))
    shapes.lines.append(Line(left, top + plot_h, NARROW - right, top + plot_h, "axis-line"))
    if standard is not None and over_from is not None:
        x = x_of(over_from)
        shapes.lines.append(Line(x, top - 14, x, top + plot_h, "standard"))
        anchor = "start" if x < NARROW / 2 else "end"
        shapes.texts.append(Text(_r(x + (4 if anchor == "start" else -4)), top - 4,
                                 standard.label, "standard-label", anchor))
    return shapes.chart(id_, title, description, height, NARROW)


LABEL_CHARACTERS = 46  # a row name longer than this (13px bold, 400 wide) takes two lines


def text_width(text: str, size: float = 12) -> float:
    """About how wide a line of text is drawn (an average glyph of DejaVu Sans is 0.62 of
    the font size; narrower fonts only leave more room)."""
    return len(text) * size * 0.62


def wrap_label(text: str, width: int = LABEL_CHARACTERS, most: int = 2) -> list[str]:
    """A text in at most `most` lines of `width` characters, cut with "…" beyond."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1:])]
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]


def dot_chart(id_: str, title: str, description: str, dots: Sequence[Dot],
              standard: Mark | None, number: Callable[[int], str],
              days: Callable[[int], str] | None = None) -> Chart:
    """One row per group, sorted by the caller: its name above a lane with a dot and interval.

    The lane beyond the standard is tinted and a dot beyond it takes the "over" colour; the
    standard is drawn within each lane only, never across the names. The value is written in
    the lane beside its dot; a long name takes two lines.
    """
    left, right, top, line_height, lane = 8.0, 14.0, 26.0, 16.0, 20.0
    plot_w = NARROW - left - right
    shapes = _Shapes()
    reach = [d.value for d in dots] + [d.high or d.low or 0.0 for d in dots]
    if standard is not None:
        reach.append(float(boundary(int(standard.value))))
    ticks = nice_ticks(max(reach, default=1.0) * 1.05, 4)
    end = ticks[-1]

    def x_of(days: float) -> float:
        return _r(left + min(days, end) / end * plot_w)

    over_from = boundary(int(standard.value)) if standard is not None else None
    y = top
    for dot in dots:
        for line in wrap_label(dot.label):
            shapes.texts.append(Text(left, _r(y + 12), line, "bar-label"))
            y += line_height
        lane_top, lane_mid = _r(y + 2), _r(y + 2 + lane / 2)
        if over_from is not None:
            x = x_of(over_from)
            shapes.rects.append(Rect(x, lane_top, _r(NARROW - right - x), lane, "lane-over"))
            shapes.lines.append(Line(x, lane_top, x, _r(lane_top + lane), "standard"))
        if dot.low is not None:
            high = dot.high if dot.high is not None else end
            css = "ci" if dot.high is not None else "ci-open"
            shapes.lines.append(Line(x_of(dot.low), lane_mid, x_of(high), lane_mid, css))
        over = over_from is not None and dot.value >= over_from
        css = "dot-open" if dot.open_ended else ("dot-over" if over else "dot-within")
        cx = x_of(dot.value)
        shapes.circles.append(Circle(cx, lane_mid, 5.0, css))
        # The value on the dot's own side of the standard (never across its line when it
        # fits there), right of the dot and its interval if it can, else left of them, else
        # the same without the interval; when nothing fits, right of the dot, kept inside the
        # chart (its halo keeps it legible).
        after = max(cx, x_of(dot.high) if dot.high is not None else
                    (x_of(end) if dot.low is not None else cx))
        before = min(cx, x_of(dot.low)) if dot.low is not None else cx
        lo, hi = left, NARROW - right
        if over_from is not None:
            lo, hi = (x_of(over_from), hi) if over else (lo, x_of(over_from))
        for text in dict.fromkeys((dot.text, dot.short or dot.text)):
            needed = text_width(text) + 9
            if after + needed <= hi:
                shapes.texts.append(Text(_r(after + 9), _r(lane_mid + 4), text, "value"))
                break
            if before - needed >= lo:
                shapes.texts.append(Text(_r(before - 9), _r(lane_mid + 4), text, "value", "end"))
                break
        else:
            x = min(cx + 9, NARROW - 2 - needed + 9)
            shapes.texts.append(Text(_r(x), _r(lane_mid + 4), text, "value"))
        y += lane + 12
    for tick in ticks:
        last = tick == ticks[-1]
        anchor = "start" if tick == 0 else ("end" if last else "middle")
        text = days(tick) if last and days is not None else number(tick)
        shapes.texts.append(Text(x_of(tick), _r(y + 4), text, "axis", anchor))
    if standard is not None:
        # Above the rows at the left, where it never runs off the chart; the lanes show where.
        shapes.texts.append(Text(left, 14, standard.label, "standard-label"))
    return shapes.chart(id_, title, description, y + 12, NARROW)


def trend_chart(id_: str, title: str, description: str, points: Sequence[Dot | None],
                x_labels: Sequence[str], standard: Mark | None,
                number: Callable[[int], str], y_label: str = "",
                x_years: Sequence[str] = ()) -> Chart:
    """One column per quarter (or month), evenly spaced in time: the estimate as a dot with
    its 95% interval as a vertical line.

    A period without a published figure (hidden, or too few) is a short grey mark on the axis,
    so a gap in time stays a gap. The area above the standard is tinted. `x_years`, when
    given, is a second row of axis labels (the year under its first quarter).
    """
    left, right, top, bottom, height = 44.0, 14.0, 44.0, 34.0, 254.0
    if any(x_years):
        bottom, height = 50.0, 270.0
    plot_w, plot_h = NARROW - left - right, height - top - bottom
    shapes = _Shapes()
    if y_label:
        shapes.texts.append(Text(left - 40, 12, y_label, "axis"))
    reach = [v for p in points if p is not None for v in (p.value, p.high or p.low or 0.0)]
    over_from = boundary(int(standard.value)) if standard is not None else None
    if over_from is not None:
        reach.append(float(over_from))
    ticks = nice_ticks(max(reach, default=1.0) * 1.05, 4)
    scale = plot_h / ticks[-1]

    def y_of(days: float) -> float:
        return _r(top + plot_h - min(days, ticks[-1]) * scale)

    if over_from is not None:
        shapes.rects.append(Rect(left, top, _r(plot_w), _r(y_of(over_from) - top), "area-over"))
    for tick in ticks:
        shapes.lines.append(Line(left, y_of(tick), NARROW - right, y_of(tick), "grid"))
        shapes.texts.append(Text(left - 6, _r(y_of(tick) + 4), number(tick), "axis", "end"))
    slot = plot_w / max(len(points), 1)
    for index, point in enumerate(points):
        cx = _r(left + (index + 0.5) * slot)
        if point is None:
            shapes.rects.append(Rect(_r(cx - 2), _r(top + plot_h - 4), 4, 4, "hidden-mark"))
        else:
            if point.low is not None:
                high = point.high if point.high is not None else ticks[-1]
                css = "ci" if point.high is not None else "ci-open"
                shapes.lines.append(Line(cx, y_of(point.low), cx, y_of(high), css))
            over = over_from is not None and point.value >= over_from
            css = "dot-open" if point.open_ended else ("dot-over" if over else "dot-within")
            shapes.circles.append(Circle(cx, y_of(point.value), 4.0, css))
        if index < len(x_labels) and x_labels[index]:
            shapes.texts.append(Text(cx, height - bottom + 18, x_labels[index], "axis",
                                     "middle"))
        if index < len(x_years) and x_years[index]:
            shapes.texts.append(Text(cx, height - bottom + 36, x_years[index], "axis",
                                     "middle"))
    shapes.lines.append(Line(left, top + plot_h, NARROW - right, top + plot_h, "axis-line"))
    if standard is not None and over_from is not None:
        shapes.lines.append(Line(left, y_of(over_from), NARROW - right, y_of(over_from),
                                 "standard"))
        shapes.texts.append(Text(NARROW - right, top - 10, standard.label, "standard-label",
                                 "end"))
    return shapes.chart(id_, title, description, height, NARROW)
