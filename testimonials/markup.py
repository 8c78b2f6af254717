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
# Block-level elements (bleach's list, after MDN), spelled as a tree so that a tag's name is
# told apart in a few character tests: their start tag is a line break in text.
_BLOCK_NAME = (
    r"(?i:a(?:ddress|rticle|side)|blockquote|d(?:etails|ialog|iv|[dlt])"
    r"|f(?:ieldset|igcaption|igure|ooter|orm)|h(?:[1-6r]|eader|group)|li|main|nav|ol|p(?:re)?"
    r"|section|table|ul)(?=[\t\n\f />])"
)
# A start tag; its empty group is set when the element is block-level.
_START_TAG = rf"<(?:(?={_BLOCK_NAME})()|)[A-Za-z][^\t\n\f />]*+{_ATTRIBUTES}{_CLOSE}"
# Any other markup: a comment, a declaration, an end tag. Each closes or runs to the end.
_OTHER = (
    r"<(?:!--(?:-?>|.*?--!?>|.*\Z)"
    rf"|[!?][^>]*+{_CLOSE}"
    rf"|/(?:>|[A-Za-z][^\t\n\f />]*+{_ATTRIBUTES}{_CLOSE}|[^>]*+{_CLOSE}))"
)
_LTS = r"(?:<(?=<))*+"
# A run of markup, with the "<"s just before and between its pieces; group 1 is set when the
# run holds a block-level start tag.
_RUN = re.compile(rf"(?<!<){_LTS}(?:(?:{_START_TAG}|{_OTHER}){_LTS})++", re.DOTALL)
_PIECE = re.compile(rf"<(?=<)|{_START_TAG}|{_OTHER}", re.DOTALL)


def strip_markup(text: str) -> str:
    """`text` without tags, comments and declarations; everything else as typed."""
    if not text:
        return text
    end, open_end = len(text), text[-1] != ">"

    def replacement(run: re.Match[str]) -> str:
        """Nothing, or a line break for a block element after text; a tag left open at the
        end of the text stays (the markup before it goes). Called once per run of markup:
        kept short, it is most of the cost of hostile input."""
        if open_end and run.end() == end:
            return _left_open_end(run.group())
        if run.group(1) is None:
            return ""
        start = run.start()
        return "\n" if start and text[start - 1] != "\n" else ""

    return _RUN.sub(replacement, text)


def _left_open_end(run: str) -> str:
    last = None
    for last in _PIECE.finditer(run):  # noqa: B007 - only the last piece is wanted
        pass
    if last is None or last.group() == "<" or last.group()[1] in "!?":  # comments go to the end
        return ""
    kept = last.group()
    before = run[: last.start()]
    block = any(piece.group(1) is not None for piece in _PIECE.finditer(before))
    return ("\n" if block else "") + kept
