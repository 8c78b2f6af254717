"""A chart as a file to take away: a standalone SVG, or a PNG drawn from the same geometry.

The page's SVG takes its colours from static/css/stats.css; a file must carry its own, so the
CSS classes of `charts` are turned into presentation attributes here (`STYLES`, kept in step
with stats.css). Each file has the chart's title above it and its source and date below it.
The PNG is drawn by Pillow from the very shapes of the SVG, scaled by `SCALE`, with DejaVu
Sans when the system has it (Debian: fonts-dejavu-core), else Pillow's own font. Pure.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont

from testimonials.stats.charts import Chart, Circle, Line, Rect, Text, wrap_label

INK, MUTED, GRID, PAPER = "#1b1f23", "#505a64", "#b1b4b6", "#ffffff"
WITHIN, WITHIN_EDGE, OVER = "#56b4e9", "#0072b2", "#b63b00"  # Okabe-Ito; apart in grey too

# Class -> (fill, stroke, stroke width, dash, font size, bold).
STYLES: dict[str, tuple[str, str, float, tuple[int, ...], int, bool]] = {
    "grid": ("none", GRID, 1, (), 0, False),
    "axis-line": ("none", INK, 1, (), 0, False),
    "standard": ("none", INK, 2, (6, 4), 0, False),
    "ci": ("none", INK, 2, (), 0, False),
    "ci-open": ("none", INK, 2, (3, 3), 0, False),
    "bin-within": (WITHIN, WITHIN_EDGE, 1, (), 0, False),
    "bin-over": (OVER, OVER, 1, (), 0, False),
    "bar": (WITHIN_EDGE, "none", 0, (), 0, False),
    "lane-over": ("#f9e0d4", "none", 0, (), 0, False),
    "area-over": ("#fbece4", "none", 0, (), 0, False),
    "hidden-mark": ("#767676", "none", 0, (), 0, False),
    "dot-within": (WITHIN_EDGE, PAPER, 1, (), 0, False),
    "dot-over": (OVER, PAPER, 1, (), 0, False),
    "dot-open": (PAPER, INK, 2, (), 0, False),
    "chart-text": (INK, "none", 0, (), 14, False),
    "axis": (MUTED, "none", 0, (), 12, False),
    "bar-label": (INK, "none", 0, (), 13, True),
    "value": (INK, PAPER, 3, (), 12, False),  # a white halo where it crosses a line
    "hidden-note": (MUTED, "none", 0, (), 12, False),
    "standard-label": (INK, "none", 0, (), 12, True),
    "file-title": (INK, "none", 0, (), 15, True),
    "file-source": (MUTED, "none", 0, (), 11, False),
}
SCALE = 2  # PNG pixels per SVG unit: sharp on a slide or a phone


@dataclass(frozen=True)
class Framed:
    """A chart with its title and source lines, on one canvas."""

    width: int
    height: int
    rects: tuple[Rect, ...]
    lines: tuple[Line, ...]
    circles: tuple[Circle, ...]
    texts: tuple[Text, ...]


TITLE_LINE, SOURCE_LINE = 20, 14


def framed(chart: Chart, source: Sequence[str]) -> Framed:
    """The chart moved down under its title, with its source lines under it (all wrapped)."""
    title = wrap_label(chart.title, int(chart.width / (15 * 0.62)))
    head = 12 + TITLE_LINE * len(title)

    def down(y: float) -> float:
        return round(y + head, 1)

    texts = [Text(8, 22 + TITLE_LINE * index, line, "file-title")
             for index, line in enumerate(title)]
    texts += [Text(t.x, down(t.y), t.text, t.css, t.anchor) for t in chart.texts]
    lines = [part for line in source
             for part in wrap_label(line, int(chart.width / (11 * 0.6)), 3)]
    bottom = chart.height + head
    texts += [Text(8, bottom + 16 + SOURCE_LINE * index, line, "file-source")
              for index, line in enumerate(lines)]
    return Framed(
        chart.width, bottom + 12 + SOURCE_LINE * len(lines),
        tuple(Rect(r.x, down(r.y), r.width, r.height, r.css) for r in chart.rects),
        tuple(Line(ln.x1, down(ln.y1), ln.x2, down(ln.y2), ln.css) for ln in chart.lines),
        tuple(Circle(c.cx, down(c.cy), c.r, c.css) for c in chart.circles),
        tuple(texts))


def _paint(css: str) -> str:
    fill, stroke, width, dash, size, bold = STYLES.get(css, STYLES["chart-text"])
    parts = [f'fill="{fill}"']
    if stroke != "none" and width:
        parts.append(f'stroke="{stroke}" stroke-width="{width:g}"')
    if dash:
        parts.append(f'stroke-dasharray="{" ".join(map(str, dash))}"')
    if size:
        parts.append(f'font-size="{size}"' + (' font-weight="bold"' if bold else ""))
        if stroke != "none":
            parts.append('paint-order="stroke"')
    return " ".join(parts)


def svg_document(chart: Chart, source: Sequence[str]) -> str:
    """A standalone SVG file: title, chart and source, colours as attributes."""
    frame = framed(chart, source)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame.width}" '
        f'height="{frame.height}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(chart.title)}</title>",
        f"<desc>{escape(chart.description)}</desc>",
        f'<rect x="0" y="0" width="{frame.width}" height="{frame.height}" fill="{PAPER}"/>',
    ]
    out += [f'<rect x="{r.x}" y="{r.y}" width="{r.width}" height="{r.height}" {_paint(r.css)}/>'
            for r in frame.rects]
    out += [f'<line x1="{ln.x1}" y1="{ln.y1}" x2="{ln.x2}" y2="{ln.y2}" {_paint(ln.css)}/>'
            for ln in frame.lines]
    out += [f'<circle cx="{c.cx}" cy="{c.cy}" r="{c.r}" {_paint(c.css)}/>'
            for c in frame.circles]
    out += [f'<text x="{t.x}" y="{t.y}" text-anchor={quoteattr(t.anchor)} {_paint(t.css)}>'
            f"{escape(t.text)}</text>" for t in frame.texts]
    out.append("</svg>")
    return "\n".join(out) + "\n"


FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _dashed(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float],
            colour: str, width: int, dash: tuple[int, ...]) -> None:
    """A dashed straight line (Pillow draws only solid ones)."""
    (x1, y1), (x2, y2) = start, end
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    if not dash or length == 0:
        draw.line((x1, y1, x2, y2), fill=colour, width=width)
        return
    on, off = dash[0] * SCALE, dash[1] * SCALE
    done = 0.0
    while done < length:
        stop = min(done + on, length)
        draw.line((x1 + (x2 - x1) * done / length, y1 + (y2 - y1) * done / length,
                   x1 + (x2 - x1) * stop / length, y1 + (y2 - y1) * stop / length),
                  fill=colour, width=width)
        done = stop + off


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def png_bytes(chart: Chart, source: Sequence[str]) -> bytes:
    """The same file as `svg_document`, as a PNG."""
    frame = framed(chart, source)
    image = Image.new("RGB", (frame.width * SCALE, frame.height * SCALE), PAPER)
    draw = ImageDraw.Draw(image)
    for r in frame.rects:
        fill, stroke, width, _dash, _size, _bold = STYLES.get(r.css, STYLES["bar"])
        box = (r.x * SCALE, r.y * SCALE, (r.x + r.width) * SCALE, (r.y + r.height) * SCALE)
        draw.rectangle(box, fill=None if fill == "none" else fill,
                       outline=None if stroke == "none" else stroke,
                       width=int(width * SCALE) if stroke != "none" else 0)
    for ln in frame.lines:
        _fill, stroke, width, dash, _size, _bold = STYLES.get(ln.css, STYLES["grid"])
        _dashed(draw, (ln.x1 * SCALE, ln.y1 * SCALE), (ln.x2 * SCALE, ln.y2 * SCALE), stroke,
                max(int(width * SCALE), 1), dash)
    for c in frame.circles:
        fill, stroke, width, _dash, _size, _bold = STYLES.get(c.css, STYLES["dot-within"])
        box = ((c.cx - c.r) * SCALE, (c.cy - c.r) * SCALE, (c.cx + c.r) * SCALE,
               (c.cy + c.r) * SCALE)
        draw.ellipse(box, fill=fill, outline=None if stroke == "none" else stroke,
                     width=int(width * SCALE))
    for t in frame.texts:
        fill, stroke, width, _dash, size, bold = STYLES.get(t.css, STYLES["chart-text"])
        halo = stroke != "none"  # Pillow's defaults, width 0 and no colour, draw none
        draw.text((t.x * SCALE, t.y * SCALE), t.text, fill=fill,
                  font=font((size or 14) * SCALE, bold), anchor=_ANCHORS[t.anchor],
                  stroke_width=int(width * SCALE / 2) if halo else 0,
                  stroke_fill=stroke if halo else None)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
