"""The CPU cost of cleaning one hostile form field (SPEC section 7: under 50 ms at 255 KB).

Run: .venv/bin/python bench/hostile_text.py [--kb 255] [--shape NAME ...] [--through-app]
(`make bench` does not run it: it needs no server.) With --through-app it also prints the CPU
time of a whole POST /share (multipart, as the audit sent it) holding such a story, through
the Flask test client on a scratch SQLite database: what one request costs a worker.

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


def request_cpu_ms(kb: int, shapes: dict[str, Callable[[int], str]]) -> None:
    """The CPU time of one POST /share per shape, at `kb` KB and just under the field bound."""
    import os
    import shutil
    import tempfile

    os.environ["WAITLINE_ENV"] = "testing"
    from testimonials import create_app, db, migrate

    scratch = tempfile.mkdtemp()
    try:
        app = create_app({"DATABASE_URL": f"sqlite:///{scratch}/bench.db"})
        with app.app_context():
            migrate.upgrade(db.engine())
        client = app.test_client()
        client.get("/share")
        print(f"\n{'POST /share with a story of':42} {'size':>10} {'status':>6} {'CPU ms':>8}")
        for size in (kb * 1024, 39 * 1024):
            for name, make in shapes.items():
                form = {"reporter": "patient", "consent_stats": "y", "story": make(size)}
                best, status = float("inf"), 0
                for _ in range(3):
                    start = time.process_time()
                    status = client.post("/share", data=form,
                                         content_type="multipart/form-data").status_code
                    best = min(best, time.process_time() - start)
                print(f"{name:42} {size // 1024:8} KB {status:6} {best * 1000:8.1f}", flush=True)
        app.extensions["waitline.engine"].dispose()
    finally:
        shutil.rmtree(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=255, help="field size in KB (default 255)")
    parser.add_argument("--shape", action="append", help="only shapes containing this text")
    parser.add_argument("--through-app", action="store_true",
                        help="also time a whole POST /share per shape")
    arguments = parser.parse_args()
    size = arguments.kb * 1024
    shapes = {name: make for name, make in SHAPES.items()
              if not arguments.shape or any(part in name for part in arguments.shape)}
    print(f"{'clean() of a field of':42} {'half ms':>10} {'full ms':>10} {'ratio':>6}")
    for name, make in shapes.items():
        half, full = cpu_ms(make(size // 2)), cpu_ms(make(size))
        print(f"{name:42} {half:10.1f} {full:10.1f} {full / max(half, 0.001):6.2f}", flush=True)
    if arguments.through_app:
        request_cpu_ms(arguments.kb - 5, shapes)  # room for the other fields in 256 KB


if __name__ == "__main__":
    main()
