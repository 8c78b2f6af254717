"""Markup stripping: what a browser's tokenizer reads as markup goes, in time linear in the
input; a hostile field of the shapes an audit used costs no more per character when doubled."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from bleach._vendor.html5lib._tokenizer import HTMLTokenizer
from bleach._vendor.html5lib.constants import tokenTypes
from hypothesis import given, settings
from hypothesis import strategies as st

from testimonials.markup import strip_markup
from testimonials.text import clean

# What a parser builds elements, comments or doctypes from; characters and errors are text.
MARKUP_TOKENS = {tokenTypes[name] for name in
                 ("StartTag", "EndTag", "EmptyTag", "Comment", "Doctype")}
PIECES = [*"<>/!?-=\"' \n\tab3&;", "<b>", "</b>", "<!--", "-->", "--!>", "<p ", "script",
          "<a href=\"", "'>", "<![CDATA[", "]]>", "<?", "</", "é"]


def markup_in(text: str) -> list[dict[str, object]]:
    """The tokens of html5lib's tokenizer (the HTML standard's) that are markup.

    But one kind: "</" and a character other than a letter (a broken heart, "</3") with no
    ">" after it is kept as typed, as bleach keeps it; a browser reads the rest of the text as
    a comment, which hides but never runs.
    """
    return [token for token in HTMLTokenizer(text) if token["type"] in MARKUP_TOKENS
            and not (token["type"] == tokenTypes["Comment"] and ">" not in token["data"]
                     and text.endswith(f"</{token['data']}"))]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=1000, deadline=None)
def test_a_browser_finds_no_markup_in_what_is_kept(typed: str) -> None:
    stripped = strip_markup(typed)
    assert markup_in(stripped) == []
    assert strip_markup(stripped) == stripped  # one call reaches plain text


@given(st.text(alphabet=st.characters(blacklist_characters="<"), max_size=80))
@settings(max_examples=500)
def test_text_without_a_tag_opener_is_kept_whole(typed: str) -> None:
    assert strip_markup(typed) == typed


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # The "<"s just before markup go with it, so no removal can join a new tag.
        ("<<b>script>alert(1)<</b>/script>", "script>alert(1)/script>"),
        ("<" * 6 + "b>" * 6 + "after", "b>" * 5 + "after"),
        ("</<b>script>x", "script>x"),  # "</<b>" is a comment to a browser
        ("<b><3 months", "<3 months"),
        ("x</>y", "xy"),
        ("x<!-->y<!--->z<!-- a --!>w", "xyzw"),
        ("x<!doctype html>y<?php echo 1 ?>z<![CDATA[c]]>w", "xyzw"),
        ("x<a title='>'>y<a title=\">\">z", "xyz"),
        ("x<a/b>y<A\tB=c>z", "xyz"),
        ("x<!-- never closed <b>", "x"),
        ("x<é>y < 3 <3 </3", "x<é>y < 3 <3 </3"),  # no tag starts: as typed
        ("x</ b>y</3 z>w", "xyw"),  # comments to a browser
        ("x<y, a <- b", "x<y, a <- b"),  # a tag left open at the end is no tag: kept
        ("a<p>b</p><li>c", "a\nb\nc"),
        ("a<b>x<a title=x", "ax<a title=x"),
    ],
)
def test_markup_goes_and_text_stays(typed: str, kept: str) -> None:
    assert strip_markup(typed) == kept


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


HOSTILE = {
    "<a b ": _repeat("<a b "),
    '<a b="': _repeat('<a b="'),
    "attributes": lambda size: ("<a " + "".join(f"a{i}=1 " for i in range(size)))[:size],
    "nested": lambda size: "<" * (size // 2) + "b>" * (size // 4),
    "<<b>": _repeat("<<b>"),
    "<": _repeat("<"),
    "<!--": _repeat("<!--"),
    "&": _repeat("&"),
    "long attribute": lambda size: '<a title="' + "x" * size + '">',
    "blank lines": _repeat("\n \t"),
}


def _cpu(value: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        clean(value)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_doubling_a_hostile_field_about_doubles_the_cost(shape: str) -> None:
    """Linear, not quadratic: twice the input costs about twice (a quadratic one costs 4x).

    Compared with the cost of plain text of the same size, so a slow machine moves both."""
    size = 64 * 1024
    make = HOSTILE[shape]
    small, large = _cpu(make(size)), _cpu(make(2 * size))
    plain = _cpu("I waited three months. " * (2 * size // 23))
    assert large < 3 * small + 0.002, (shape, small, large)
    assert large < 40 * plain + 0.005, (shape, large, plain)
