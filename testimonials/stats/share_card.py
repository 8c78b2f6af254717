"""The share image of a release (Open Graph, Twitter cards): its headline figure as a PNG.

1200 x 630, drawn by Pillow with the fonts of `chart_files`: the site's name, the headline's
share in large figures above a bar filled to that share, the headline sentence, and the
source. No third-party service sees the figures or the reader. Pure.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from testimonials.stats.chart_files import INK, MUTED, OVER, PAPER, font

WIDTH, HEIGHT = 1200, 630
BRAND, WASH = "#1d4f5e", "#f3f5f6"
MARGIN = 64


def _wrapped(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font(size)) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def share_png(site: str, figure: str, share: float | None, sentence: str, source: str) -> bytes:
    """The card; `figure` is the share as the reader's language writes it ("95%")."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=BRAND)
    draw.text((MARGIN, 64), site, fill=BRAND, font=font(34, True), anchor="ls")
    top = 90
    if share is not None:
        draw.text((MARGIN, top + 150), figure, fill=OVER, font=font(150, True), anchor="ls")
        bar = (MARGIN, top + 180, WIDTH - MARGIN, top + 210)
        draw.rectangle(bar, fill=WASH, outline=INK, width=2)
        filled = MARGIN + (WIDTH - 2 * MARGIN) * max(0.0, min(share, 1.0))
        draw.rectangle((MARGIN, bar[1], filled, bar[3]), fill=OVER)
        top += 260
    size = 38 if share is not None else 48
    for index, line in enumerate(_wrapped(draw, sentence, size, WIDTH - 2 * MARGIN)[:4]):
        draw.text((MARGIN, top + index * (size + 12)), line, fill=INK, font=font(size),
                  anchor="lt")
    draw.text((MARGIN, HEIGHT - 36), source, fill=MUTED, font=font(24), anchor="ls")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
