"""Plain-text normalisation: markup goes, everything the patient typed stays."""

from __future__ import annotations

import random
import re

import pytest

from testimonials.text import clean, content_fingerprint, excerpt

KEPT_AS_TYPED = [
    "I waited <3 months & cried",
    "a literal &amp; stays &amp;",
    "&lt;b&gt; typed as entities stays as typed",
    "&copy; &nbsp; &#39; &#x41; &#0; &notanentity;",
    "AT&T & Kaiser && more &&&",
    "1 < 2 and 3 > 2, x<y, a <- b",
    "<3<3<3",
    "\"quoted\" and 'single' and `back`",
    "50% of 100$ is #1 @ 9:00 — really?!",
    "👩‍👧 my daughter and I 🇺🇸 👍🏽 ❤️",
    "انتظرت ثلاثة أشهر للحصول على موعد",
    "我等了三个月才见到医生。",
    "Esperé tres meses; mi hija lloró. ¿Por qué?",
    "Z̷̢a̶͎l̸̰g̵̱o̴̟ text",
    "עברית ומספרים 123",
    "tab\tinside and\nnew line",
    "\\ backslashes \\n and {{ jinja }} {% raw %}",
    "'; DROP TABLE submission; --",
    "javascript:alert(1)",
    "${7*7} %s %n",
]


@pytest.mark.parametrize("typed", KEPT_AS_TYPED)
def test_clean_keeps_plain_text_byte_for_byte(typed: str) -> None:
    assert clean(typed) == typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<b>bold</b> move", "bold move"),
        ("<script>alert(1)</script>hi", "alert(1)hi"),
        ('<a href="https://evil.example">link</a> here', "link here"),
        ('<img src=x onerror="alert(1)">after', "after"),
        ("before<!-- comment -->after", "beforeafter"),
        ("<<b>script>alert(1)<</b>/script>", "script>alert(1)/script>"),
        ("<b>I waited <3 months & cried</b>", "I waited <3 months & cried"),
        ("<i>&amp;</i>", "&amp;"),
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("<style>p { color: red }</style>text", "p { color: red }text"),
    ],
)
def test_clean_strips_markup_and_only_markup(typed: str, stored: str) -> None:
    assert clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  padded \n\n", "padded"),
        ("windows\r\nline\rends", "windows\nline\nends"),
        ("a\n\n\n\n\nb", "a\n\n\nb"),
        ("a\n \n\t\n  \n\nb", "a\n\n\nb"),
        ("a\n\n\nb", "a\n\n\nb"),
        ("null\x00byte", "nullbyte"),
        ("bell\x07 escape\x1b[31m del\x7f", "bell escape[31m del"),
        ("form\x0cfeed\x0bvtab", "formfeedvtab"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("line\u2028separator", "line\nseparator"),
        ("e\u0301 composed", "\u00e9 composed"),
        ("zero\u200bwidth and rtl\u200f marks stay", "zero\u200bwidth and rtl\u200f marks stay"),
    ],
)
def test_clean_normalises_whitespace_controls_and_unicode(typed: str, stored: str) -> None:
    assert clean(typed) == stored


@pytest.mark.parametrize("typed", [None, "", "   ", "<b></b>", "\x00\x01", "\n\n\t"])
def test_clean_of_nothing_is_empty(typed: str | None) -> None:
    assert clean(typed) == ""


@pytest.mark.parametrize(
    "typed", [*KEPT_AS_TYPED, "<<b>script>x<</b>/script>", "&amp;lt;b&amp;gt;", "a\r\n\r\n\r\n\r\nb"]  # noqa: E501
)
def test_clean_is_idempotent(typed: str) -> None:
    assert clean(clean(typed)) == clean(typed)


def _fuzz_cases(count: int) -> list[str]:
    """Seeded random mixes of markup, entities and text, the same on every run."""
    pieces = [*"<>&;#/!=\"' \n3ab", "amp;", "lt;", "<b>", "</b>", "<!--", "-->", "&#", "script"]
    rng = random.Random(1367)
    return ["".join(rng.choices(pieces, k=rng.randint(1, 24))) for _ in range(count)]


@pytest.mark.parametrize("typed", _fuzz_cases(300))
def test_clean_reaches_plain_text_in_one_call(typed: str) -> None:
    once = clean(typed)
    assert clean(once) == once  # nothing left that bleach would still strip
    if "<" not in typed:  # no markup: only whitespace may change
        assert once == re.sub(r"\n(?:[ \t]*\n){3,}", "\n\n\n", typed).strip()


@pytest.mark.parametrize(
    ("typed", "max_length", "stored"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("cut here please", 8, "cut here"),
        ("trailing space cut", 9, "trailing"),
        ("family 👩‍👧 emoji", 9, "family"),
        ("flag 🇺🇸🇲🇽", 7, "flag 🇺🇸"),
        ("cafe\u0301s", 4, "caf\u00e9"),  # composed first, so the accent counts for nothing
        ("xq\u0301", 2, "x"),  # no composed q-acute: the mark stays with its letter
        ("q\u0300\u0301\u0302\u0303", 3, "q\u0300\u0301"),  # one huge grapheme is split
    ],
)
def test_clean_cuts_at_max_length_without_splitting_characters(
    typed: str, max_length: int, stored: str
) -> None:
    assert clean(typed, max_length=max_length) == stored


def test_clean_measures_max_length_after_stripping_markup() -> None:
    assert clean("<b>" * 50 + "kept", max_length=4) == "kept"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("I waited three months", "i WAITED   three\n\nmonths"),
        ("  same story ", "same story"),
        ("Café", "Cafe\u0301"),
        ("ＦＵＬＬ width", "full width"),
        ("Straße", "STRASSE"),
    ],
)
def test_fingerprint_ignores_case_width_and_whitespace(first: str, second: str) -> None:
    assert content_fingerprint(first) == content_fingerprint(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [("I waited three months", "I waited four months"), ("a b", "ab"), ("<3", "3")],
)
def test_fingerprint_tells_different_stories_apart(first: str, second: str) -> None:
    assert content_fingerprint(first) != content_fingerprint(second)


def test_fingerprint_is_sha256_hex() -> None:
    fingerprint = content_fingerprint("story")
    assert len(fingerprint) == 64 and set(fingerprint) <= set("0123456789abcdef")


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("short story", 20, "short story"),
        ("exactly twenty chars", 20, "exactly twenty chars"),
        ("I waited three months for a call", 20, "I waited three…"),
        ("I waited three months", 15, "I waited three…"),
        ("I waited, then waited more", 10, "I waited…"),
        ("line one\n\nline two is longer", 14, "line one line…"),
        ("Supercalifragilisticexpialidocious", 10, "Supercali…"),
        ("我等了三个月才见到医生我等了三个月", 6, "我等了三个…"),
        ("wait 👩‍👧👩‍👧👩‍👧", 8, "wait…"),
        ("anything", 1, "…"),
    ],
)
def test_excerpt_cuts_at_a_word_boundary_with_an_ellipsis(
    text: str, length: int, expected: str
) -> None:
    assert excerpt(text, length) == expected


@pytest.mark.parametrize("length", [1, 5, 12, 40])
def test_excerpt_never_exceeds_length(length: int) -> None:
    assert len(excerpt("The wait for my first appointment was eleven weeks long.", length)) <= length  # noqa: E501


def test_excerpt_rejects_zero_length() -> None:
    with pytest.raises(ValueError):
        excerpt("text", 0)


@pytest.mark.parametrize("forbidden", ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe",
                                       "\U0010ffff", "\x01", "\x1f", "\x9f"])
def test_clean_drops_characters_xml_forbids(forbidden: str) -> None:
    assert clean(f"wait{forbidden}ed\tthree\nmonths") == "waited\tthree\nmonths"
