"""Markup stripping in one pass of the regular-expression engine, linear in the input.

The tokens are the HTML tokenizer's (WHATWG 13.2.5), so that what a browser would read as a
tag, a comment or a declaration goes, and every other character stays as typed:
- `<` + ASCII letter starts a tag, `</` + ASCII letter an end tag; either runs to the first `>`
  outside a quoted attribute value. `</>` goes too.
- `<!--` starts a comment (to `-->` or `--!>`; `<!-->` and `<!--->` close at once); any other
  `<!`, `<?`, and `</` followed by anything else, start a bogus comment, to the first `>`.
- A comment left open at the end of the text goes to the end; a tag left open there stays as
  text ("x<y, a <- b"), as bleach keeps it: it is no tag to a browser. So does a `</` with no
  `>` after it ("I </3 this clinic"): a browser would hide the rest, never run it.
- `<` followed by anything else ("<3", "< 2") is text.
Removing markup could join the text on its two sides into new markup ("<<b>script>"); so the
"<"s just before markup go with it, and one call leaves no markup (no fixed point to reach by
passes, which nested input makes quadratic). Every pattern is possessive: no backtracking, and
a tag either closes or runs to the end of the text, so each character is read a bounded number
of times. A run of markup holding a block-level start tag ("<p>", "<li>") becomes a line break
after text, as bleach and browsers show it. Pure: no Flask, no bleach.
"""

from __future__ import annotations

import re

_WS = r"[\t\n\f ]"
_NAME = r"(?:=|[^\t\n\f />=])[^\t\n\f />=]*+"
_VALUE = r"""(?:"[^"]*+"|'[^']*+'|[^\t\n\f >]*+)"""
_ATTRIBUTES = rf"(?:[\t\n\f /]++|{_NAME}(?:{_WS}*+={_WS}*+{_VALUE})?+)*+"
_CLOSE = r"(?:>|\Z)"
# One piece of markup: a comment, a declaration, an end tag or a start tag; it closes or
# runs to the end of the text.
_MARKUP = (
    r"<(?:!--(?:-?>|.*?--!?>|.*\Z)"
    rf"|[!?][^>]*+{_CLOSE}"
    rf"|/(?:>|[A-Za-z][^\t\n\f />]*+{_ATTRIBUTES}{_CLOSE}|[^>]*+{_CLOSE})"
    rf"|[A-Za-z][^\t\n\f />]*+{_ATTRIBUTES}{_CLOSE})"
)
# A run of markup, with the "<"s just before and between its pieces; `last` is its last piece.
_RUN = re.compile(rf"(?<!<)(?:<(?=<))*+(?:(?P<last>{_MARKUP})(?:<(?=<))*+)++", re.DOTALL)

# Block-level elements (bleach's list, after MDN): their start tag is a line break in text.
_BLOCK_START = re.compile(
    r"<(?:address|article|aside|blockquote|details|dialog|dd|div|dl|dt|fieldset|figcaption"
    r"|figure|footer|form|h[1-6]|header|hgroup|hr|li|main|nav|ol|p|pre|section|table|ul)"
    r"[\t\n\f />]", re.IGNORECASE)


def strip_markup(text: str) -> str:
    """`text` without tags, comments and declarations; everything else as typed."""
    return _RUN.sub(_replacement, text)


def _replacement(run: re.Match[str]) -> str:
    last = run.group("last")
    if last[-1] != ">" and last[1] not in "!?" and run.end() == len(run.string):
        # A tag left open at the end: the markup before it goes, the tag stays as text.
        before = run.string[run.start():run.start("last")]
        return _strip_closed(before) + last
    if run.start() and run.string[run.start() - 1] != "\n" and _BLOCK_START.search(run.group()):
        return "\n"
    return ""


def _strip_closed(run: str) -> str:
    """What a run of closed markup leaves: nothing, or a line break for a block element."""
    return "\n" if _BLOCK_START.search(run) else ""
