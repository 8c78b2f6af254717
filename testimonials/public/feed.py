"""The Atom 1.0 feed of the newest stories (RFC 4287), built with ElementTree so that every
piece of text is escaped, whatever a story holds.

What the W3C feed validator checks, kept here (tests/unit/test_feed.py): the feed's id is its
canonical address on SITE_URL in its language (never the request's host, and the English and
Spanish feeds are two feeds); its self link is the address it was fetched at; every entry has
a unique id (the story's address), an author and an `updated` that moves when the public
version of the story changes (a moderator's edit, not only publication); the feed's `updated`
is the latest of its entries'; every date is RFC 3339 in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast
from xml.etree import ElementTree as ET

from testimonials.filter_params import CARE_NAMES
from testimonials.public import labels
from testimonials.public.queries import PublicStory
from testimonials.text import excerpt
from testimonials.timestamps import rfc3339

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SIZE = 50


@dataclass(frozen=True)
class FeedInfo:
    """The feed's own details, in the reader's language, with absolute URLs."""

    title: str
    subtitle: str
    feed_id: str  # the canonical address: the same whatever address fetched it
    self_url: str  # the address it was fetched at
    page_url: str
    author: str
    language: str
    anonymous: str
    untitled: str


def atom(info: FeedInfo, stories: Sequence[PublicStory], story_url: Callable[[int], str],
         now: dt.datetime) -> bytes:
    """The feed document as UTF-8 bytes."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: info.language})
    _text(feed, "id", info.feed_id)
    _text(feed, "title", info.title)
    _text(feed, "subtitle", info.subtitle)
    # The feed changed when its latest entry did; an empty feed, now.
    _text(feed, "updated", rfc3339(max((updated(story) for story in stories), default=now)))
    _link(feed, "self", "application/atom+xml", info.self_url)
    _link(feed, "alternate", "text/html", info.page_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", info.author)
    for story in stories:
        feed.append(_entry(info, story, story_url(story.id)))
    return cast(bytes, ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _entry(info: FeedInfo, story: PublicStory, url: str) -> ET.Element:
    # The language of the story's words (its title and text), not of the form it came from.
    entry = ET.Element(f"{{{ATOM}}}entry",
                       {XML_LANG: (story.story_language or story.language).value})
    _text(entry, "id", url)
    _text(entry, "title", story.title or info.untitled)
    _text(entry, "published", rfc3339(story.published_at))
    _text(entry, "updated", rfc3339(updated(story)))
    _link(entry, "alternate", "text/html", url)
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    _text(author, "name", story.display_name or info.anonymous)
    for name, bit in CARE_NAMES.items():
        if story.care_types & bit:
            ET.SubElement(entry, f"{{{ATOM}}}category",
                          {"term": name, "label": str(labels.CARE_TYPE[bit])})
    _text(entry, "summary", excerpt(story.story, 280), type="text")
    _text(entry, "content", story.story, type="text")
    return entry


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes).text = value


def _link(parent: ET.Element, rel: str, kind: str, href: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": kind, "href": href})


def updated(story: PublicStory) -> dt.datetime:
    """When the public version last changed; never before it was published."""
    return max(story.published_at, story.updated_at or story.published_at)
