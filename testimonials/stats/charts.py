"""The geometry of the statistics charts, drawn by the server as SVG (pure).

Each function takes ready values (labels already translated, numbers already formatted) and
returns a `Chart`: rectangles, lines and texts with their coordinates and CSS classes, for a
template to write out as SVG without any logic. No style attributes anywhere (the CSP forbids
them): colours come from the classes in static/css/stats.css.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from testimonials.stats.bands import BANDS

WIDTH = 640


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


@dataclass(frozen=True)
class Stack:
    """One column of the band chart: answers by state."""

    label: str
    ended: int
    waiting: int
    gave_up: int


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart (or one column of a column chart).

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

    def chart(self, id_: str, title: str, description: str, height: float) -> Chart:
        return Chart(id_, title, description, WIDTH, math.ceil(height),
                     tuple(self.rects), tuple(self.lines), tuple(self.texts))


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


def standard_position(days: int) -> float:
    """Where a number of days falls on the band axis, in columns (band 2 spans 2.0 to 3.0)."""
    for index, band in enumerate(BANDS):
        if band.high is None:
            return index + min((days - band.low + 1) / 180, 1.0)
        if band.contains(days):
            return index + (days - band.low + 1) / (band.high - band.low + 1)
    return 0.0


def band_chart(id_: str, title: str, description: str, stacks: Sequence[Stack],
               standard: Mark | None, number: Callable[[int], str]) -> Chart:
    """Columns of answers per band, stacked by state, with the standard as a dashed line."""
    left, right, top, bottom, height = 56.0, 12.0, 30.0, 34.0, 280.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    shapes = _Shapes()
    ticks = nice_ticks(max((s.ended + s.waiting + s.gave_up for s in stacks), default=0))
    scale = plot_h / ticks[-1]
    for tick in ticks:
        y = _r(top + plot_h - tick * scale)
        shapes.lines.append(Line(left, y, WIDTH - right, y, "grid"))
        shapes.texts.append(Text(left - 6, y + 4, number(tick), "axis", "end"))
    slot = plot_w / max(len(stacks), 1)
    for index, stack in enumerate(stacks):
        x, base = left + index * slot + slot * 0.15, top + plot_h
        for value, css in ((stack.ended, "bar-ended"), (stack.waiting, "bar-waiting"),
                           (stack.gave_up, "bar-gave-up")):
            if value:
                shapes.rects.append(Rect(_r(x), _r(base - value * scale), _r(slot * 0.7),
                                         _r(value * scale), css))
                base -= value * scale
        shapes.texts.append(Text(_r(left + (index + 0.5) * slot), height - bottom + 18,
                                 stack.label, "axis", "middle"))
    if standard is not None:
        x = _r(left + standard_position(int(standard.value)) * slot)
        shapes.lines.append(Line(x, top - 6, x, top + plot_h, "standard"))
        anchor = "end" if x > WIDTH * 0.7 else "start"
        shapes.texts.append(Text(x + (-4 if anchor == "end" else 4), top - 10, standard.label,
                                 "standard-label", anchor))
    shapes.lines.append(Line(left, top + plot_h, WIDTH - right, top + plot_h, "axis-line"))
    return shapes.chart(id_, title, description, height)


def bar_chart(id_: str, title: str, description: str, bars: Sequence[Bar],
              standard: Mark | None = None) -> Chart:
    """Horizontal bars, one per row, each labelled above it; the standard as a dashed line."""
    left, text_room, top, row = 8.0, 150.0, 28.0, 40.0
    plot_w = WIDTH - left - text_room
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
    return shapes.chart(id_, title, description, height)


def column_chart(id_: str, title: str, description: str, columns: Sequence[Bar],
                 standard: Mark | None, number: Callable[[int], str]) -> Chart:
    """Vertical columns (a trend by month); a column without a value gets a small mark.

    A column's `label` is written under it only when not empty (say, one month in six).
    """
    left, right, top, bottom, height = 48.0, 12.0, 30.0, 34.0, 260.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    shapes = _Shapes()
    values = [c.value for c in columns if c.value is not None]
    if standard is not None:
        values.append(standard.value)
    ticks = nice_ticks(max(values, default=0))
    scale = plot_h / ticks[-1]
    for tick in ticks:
        y = _r(top + plot_h - tick * scale)
        shapes.lines.append(Line(left, y, WIDTH - right, y, "grid"))
        shapes.texts.append(Text(left - 6, y + 4, number(tick), "axis", "end"))
    slot = plot_w / max(len(columns), 1)
    for index, column in enumerate(columns):
        x = left + index * slot
        if column.value is not None:
            css = "bar-open" if column.open_ended else "bar"
            h = max(column.value * scale, 1.0)
            shapes.rects.append(Rect(_r(x + slot * 0.15), _r(top + plot_h - h),
                                     _r(max(slot * 0.7, 1.0)), _r(h), css))
        else:
            shapes.rects.append(Rect(_r(x + slot * 0.15), _r(top + plot_h - 3),
                                     _r(max(slot * 0.7, 1.0)), 3, "hidden-mark"))
        if column.label:
            shapes.texts.append(Text(_r(x + slot / 2), height - bottom + 18, column.label,
                                     "axis", "middle"))
    if standard is not None:
        y = _r(top + plot_h - standard.value * scale)
        shapes.lines.append(Line(left, y, WIDTH - right, y, "standard"))
        # Above the plot, where no column can cover it; the legend says what the line is.
        shapes.texts.append(Text(WIDTH - right, top - 12, standard.label, "standard-label", "end"))
    shapes.lines.append(Line(left, top + plot_h, WIDTH - right, top + plot_h, "axis-line"))
    return shapes.chart(id_, title, description, height)
