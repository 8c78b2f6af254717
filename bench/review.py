"""What a weekly statistics release costs as releases pile up (bench group "review", asked for
by name: it takes about four minutes).

The protection audit judges every earlier release again at a pattern review (every
STATS_PATTERN_REVIEW_EVERY releases: the 5th, 9th...) and after a withdrawal, so its cost
grows with the releases. A 2,000-person demo (`flask demo load`, the audit on as configured
by default), then each week 25 more people, approved and published, and a release (`flask
stats release --force`), in a SQLite file of its own: the audit is pure CPU, the same on
either database. Each release's seconds are the command's own report of its computation.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from datasets import FLASK, ROOT, environment

PEOPLE, WEEKLY = 2000, 25
_CUT = re.compile(r"release (\d+) cut (?:at .* )?in ([\d.]+) s")


def release_seconds(releases: int, log: Callable[[str], None]) -> dict[int, float]:
    """{release number: seconds to compute it} for releases 1 to `releases`."""
    with tempfile.TemporaryDirectory(prefix="waitline-review-") as folder:
        env = environment(f"sqlite:///{Path(folder) / 'review.db'}")

        def flask(*args: str) -> str:
            done = subprocess.run([*FLASK, *args], cwd=ROOT, env=env, check=True,
                                  capture_output=True, text=True)
            return done.stdout + done.stderr

        flask("db", "upgrade")
        found = dict(cuts(flask("demo", "load", "--count", str(PEOPLE), "--seed", "2026",
                                 "--until", "2026-06-01")))
        for week in range(1, releases):
            flask("demo", "load", "--count", str(WEEKLY), "--seed", str(100 + week),
                  "--until", f"2026-06-{1 + week:02d}", "--only", "approved", "--no-release")
            found.update(cuts(flask("stats", "release", "--force")))
            log(f"  review: release {week + 1} in {found.get(week + 1, float('nan')):.1f} s")
        return found


def cuts(output: str) -> list[tuple[int, float]]:
    """(release number, seconds) of each release a command's output says it cut."""
    return [(int(number), float(seconds)) for number, seconds in _CUT.findall(output)]
