"""sitemap.xml (sitemaps.org 0.9): an index of files, each of at most PER_FILE addresses.

The index lists one file of the site's own pages (with the statistics releases) and as many
files of published stories as their number needs, so that no file nears the protocol's
limits (50,000 addresses, 50 MB) and each is one indexed query. Every address carries its
last change (`lastmod`, RFC 3339). Built with ElementTree: every address is escaped.
Pure: no Flask, no database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import cast
from xml.etree import ElementTree as ET

from testimonials.timestamps import rfc3339

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PER_FILE = 10_000

Entry = tuple[str, dt.datetime | None]  # an absolute address and when it last changed


def story_files(published: int) -> int:
    """How many story files `published` stories need (one at least: an empty one is valid)."""
    return max(1, math.ceil(published / PER_FILE))


def urlset(entries: Iterable[Entry]) -> bytes:
    """One sitemap file."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}urlset")
    for location, changed in entries:
        _entry(root, "url", location, changed)
    return cast(bytes, ET.tostring(root, encoding="utf-8", xml_declaration=True))


def index(files: Iterable[Entry]) -> bytes:
    """The sitemap index that lists the files."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}sitemapindex")
    for location, changed in files:
        _entry(root, "sitemap", location, changed)
    return cast(bytes, ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _entry(root: ET.Element, tag: str, location: str, changed: dt.datetime | None) -> None:
    element = ET.SubElement(root, f"{{{NS}}}{tag}")
    ET.SubElement(element, f"{{{NS}}}loc").text = location
    if changed is not None:
        ET.SubElement(element, f"{{{NS}}}lastmod").text = rfc3339(changed)
