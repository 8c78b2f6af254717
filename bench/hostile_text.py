"""The CPU cost of cleaning one hostile form field (SPEC section 7: under 50 ms at 255 KB).

Run: .venv/bin/python bench/hostile_text.py [--kb 255] [--shape NAME ...]
(`make bench` does not run it: it needs no server.)

Prints, for each hostile shape, the CPU time of `testimonials.text.clean()` on a field of that
size, and on half of it (so that doubling the input can be seen to double the time, not
quadruple it). A shape that is quadratic shows a ratio near 4; a linear one near 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from testimonials.text import clean  # noqa: E402


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _long_attribute(size: int) -> str:
    return '<a title="' + "x" * (size - 12) + '">'


def _many_attributes(size: int) -> str:
    return ("<a " + "".join(f"a{i}=1 " for i in range(size)))[:size]


# The shapes the audit showed, and their neighbours.
SHAPES: dict[str, Callable[[int], str]] = {
    "'<a b ' repeated": _repeat("<a b "),
    "'<a b=\"' repeated": _repeat('<a b="'),
    "distinct attributes '<a a1=1 a2=1 ...'": _many_attributes,
    "'</a b ' repeated (end tag)": _repeat("</a b "),
    "nested '<<<<' then 'b>'": lambda size: "<" * (size - 2) + "b>",
    "'<<b>' repeated": _repeat("<<b>"),
    "'<' * N": _repeat("<"),
    "'<!--' repeated (unclosed comments)": _repeat("<!--"),
    "'<!' repeated": _repeat("<!"),
    "'&' * N": _repeat("&"),
    "'&#' repeated": _repeat("&#"),
    "'&amp;' repeated": _repeat("&amp;"),
    "long attribute value": _long_attribute,
    "'<b>' repeated (many tags)": _repeat("<b>"),
    "'<b>x' repeated (tags and text)": _repeat("<b>x"),
    "'<p>x' repeated (block tags)": _repeat("<p>x"),
    "blank lines '\\n \\t' repeated": _repeat("\n \t"),
    "noncharacters and controls": _repeat("\uffff\x00\ufdd0a"),
    "'<3 ' repeated (plain text)": _repeat("<3 "),
    "plain words": _repeat("I waited three months. "),
}


def cpu_ms(value: str) -> float:
    """The best of three CPU times of one clean(), in milliseconds (one try past a second)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        clean(value)
        best = min(best, time.process_time() - start)
        if best > 1:
            break
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=255, help="field size in KB (default 255)")
    parser.add_argument("--shape", action="append", help="only shapes containing this text")
    arguments = parser.parse_args()
    size = arguments.kb * 1024
    print(f"{'shape':42} {'half ms':>10} {'full ms':>10} {'ratio':>6}")
    for name, make in SHAPES.items():
        if arguments.shape and not any(part in name for part in arguments.shape):
            continue
        half, full = cpu_ms(make(size // 2)), cpu_ms(make(size))
        print(f"{name:42} {half:10.1f} {full:10.1f} {full / max(half, 0.001):6.2f}", flush=True)


if __name__ == "__main__":
    main()
