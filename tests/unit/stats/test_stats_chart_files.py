"""Charts as files: a standalone SVG and a PNG of the same geometry, with source and date."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from testimonials.stats import chart_files, charts

SOURCE = ["Source: Waitline, statistics release 3, figures as of 5 December 2026.",
          "https://waitline.example.org/stats/releases/3 · CC-BY-4.0"]
SVG = "{http://www.w3.org/2000/svg}"


def chart() -> charts.Chart:
    dots = [charts.Dot("North <Clinic> & Co", 30, "30 days (20–41)", 20, 41),
            charts.Dot("South", 10, "10 days")]
    return charts.dot_chart("facility-intake", "Median wait by facility: first appointment",
                            "One row per group.", dots, charts.Mark(14, "10 business days"), str)


def test_the_svg_file_stands_alone_with_its_title_source_and_colours() -> None:
    text = chart_files.svg_document(chart(), SOURCE)
    root = ET.fromstring(text.encode())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    written = [t.text for t in root.iter(f"{SVG}text")]
    assert written[0] == "Median wait by facility: first appointment"
    assert "North <Clinic> & Co" in written  # escaped in the file, whole when read
    everything = " ".join(t or "" for t in written)  # the source may wrap
    assert "statistics release 3" in everything and "5 December 2026" in everything
    assert "style" not in text and "class=" not in text  # no stylesheet needed
    fills = {e.get("fill") for e in root.iter(f"{SVG}circle")}
    assert fills == {chart_files.OVER, chart_files.WITHIN_EDGE}
    assert float(root.get("height")) > chart().height  # room for the title and source


def test_the_png_is_the_same_canvas_at_twice_the_size() -> None:
    data = chart_files.png_bytes(chart(), SOURCE)
    image = Image.open(io.BytesIO(data))
    root = ET.fromstring(chart_files.svg_document(chart(), SOURCE).encode())
    assert image.format == "PNG"
    assert image.size == (int(root.get("width")) * chart_files.SCALE,
                          int(root.get("height")) * chart_files.SCALE)
    colours = {colour for _count, colour in image.convert("RGB").getcolors(1 << 20)}
    assert (0xB6, 0x3B, 0x00) in colours  # the dot over the standard, in its colour
