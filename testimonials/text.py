"""Plain-text normalisation of what patients type.

Text is stored as typed, minus markup: "I waited <3 months & cried" is stored byte for byte,
and Jinja escapes it on the way out. Every step is linear in the input (a hostile 255 KB
field costs milliseconds; bench/hostile_text.py measures it). Pure: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from testimonials.markup import strip_markup

_NEWLINES = re.compile(r"\r\n?|[\u0085\u2028\u2029]")
# Four or more line breaks with only spaces or tabs between them are three or more blank
# lines; they become two blank lines.
_EXCESS_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){3,}")
_WHITESPACE = re.compile(r"\s+")
# Control characters but tab and newline (Unicode's Cc), lone surrogates (Cs), and the
# noncharacters: XML forbids them all, and one of them makes a whole Atom feed unreadable.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# The noncharacters beyond the first plane (U+1FFFE, U+1FFFF, ... U+10FFFF), looked for only
# in text that has such characters at all (a long class of them is slow on every character).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_DROPPED = re.compile(
    "[" + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF)
                  for plane in range(0x10000, 0x110000, 0x10000)) + "]")
# Characters that continue the grapheme before them: a cut must not separate them from it.
_ZWJ = "\u200d"
_ELLIPSIS = "\u2026"
_TRAILING_PUNCTUATION = ",;:-\u2013\u2014([{"


def clean(value: str | None, *, max_length: int | None = None) -> str:
    """Plain text as typed minus markup and control characters: NFC, LF line ends, trimmed.

    With `max_length`, the result is cut to at most that many code points, never inside a
    grapheme; callers that must not lose text validate the length before relying on it.
    """
    if not value:
        return ""
    text = _NEWLINES.sub("\n", value)
    text = _drop_controls(text)
    text = strip_markup(text)
    text = unicodedata.normalize("NFC", text)
    text = _EXCESS_BLANK_LINES.sub("\n\n\n", text).strip()
    if max_length is not None and len(text) > max_length:
        text = _cut(text, max_length).rstrip()
    return text


def content_fingerprint(text: str) -> str:
    """A sha256 hex digest equal for texts that differ only in case, width or whitespace."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    collapsed = " ".join(folded.split())  # str.split: the same whitespace as \s, ten times faster
    return hashlib.sha256(collapsed.encode("utf-8")).hexdigest()


def excerpt(text: str, length: int) -> str:
    """One line of at most `length` characters; a cut ends at a word boundary with an ellipsis."""
    if length < 1:
        raise ValueError("length must be at least 1")
    line = _WHITESPACE.sub(" ", text).strip()
    if len(line) <= length:
        return line
    room = length - len(_ELLIPSIS)
    head = _cut(line, room + 1)  # one more so a word ending exactly at `room` is kept whole
    boundary = head.rfind(" ")
    # Scripts without spaces (CJK) or one very long word: a hard cut beats a stub.
    if boundary > room // 2:
        head = head[:boundary]
    else:
        head = _cut(line, room)
    return head.rstrip().rstrip(_TRAILING_PUNCTUATION).rstrip() + _ELLIPSIS


def _drop_controls(text: str) -> str:
    """Text without control characters (but newline and tab), lone surrogates or noncharacters."""
    text = _DROPPED.sub("", text)
    return _ASTRAL_DROPPED.sub("", text) if _ASTRAL.search(text) else text


def _cut(text: str, limit: int) -> str:
    """The longest prefix of at most `limit` code points that does not split a grapheme."""
    end = max(limit, 0)
    while 0 < end < len(text) and _continues_grapheme(text, end):
        end -= 1
    # A single grapheme longer than the limit (Zalgo text) is split rather than dropped.
    return text[: end or limit]


def _continues_grapheme(text: str, index: int) -> bool:
    """Whether the character at `index` belongs with the one before it."""
    char = text[index]
    if text[index - 1] == _ZWJ or char == _ZWJ:
        return True
    if unicodedata.category(char) in ("Mn", "Me", "Mc"):
        return True
    # Variation selectors, emoji skin tones, tag characters (flags of subdivisions).
    code = ord(char)
    return (
        0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or _is_second_regional_indicator(text, index)
    )


def _is_second_regional_indicator(text: str, index: int) -> bool:
    """Whether `index` is the second letter of a flag emoji (a pair of regional indicators)."""
    start = index
    while start > 0 and 0x1F1E6 <= ord(text[start - 1]) <= 0x1F1FF:
        start -= 1
    return 0x1F1E6 <= ord(text[index]) <= 0x1F1FF and (index - start) % 2 == 1
