"""The reader of SPEC section 5 (tests/adversary.py) against a real demo site, timed.

    python -m tests.adversary_demo [--count 200] [--approve 12] [--url DATABASE_URL]

Builds a demo site with the app's own commands (`flask demo load`, which cuts release 1 with
the protection audit as configured), adds `--approve` pending items that a demo moderator
approves (every third counted for statistics only: no story published), cuts release 2, and
runs the adversary over every release and the stories each cut published. Prints how many
hidden counts it narrowed below the protection width (expected 0), how many it left
undecided (a program past its time limit), the differences and statistics-only findings, and
the CPU seconds of each step. With `--url` of an existing site, only the adversary runs.

Too slow for the suite's budget at 200 people (tens of CPU seconds for the two audited
releases and as many for the adversary): tests/integration/test_stats_demo_adversary.py runs
a smaller demo through the same steps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def flask(url: str, *args: str) -> float:
    """Run a flask command on the site; its CPU seconds (children's)."""
    before = os.times()
    env = dict(os.environ, DATABASE_URL=url, WAITLINE_ENV="development",
               PYTHONPATH=str(ROOT))
    subprocess.run([*FLASK, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user
            + after.children_system - before.children_system)


def approve_pending(url: str, count: int) -> int:
    """A demo moderator approves up to `count` pending items, oldest first; every third one's
    story is left unpublished (counted for statistics only)."""
    from testimonials import create_app
    from testimonials.models import Account, Submission
    from testimonials.services import moderation
    from testimonials.vocab import Status

    app = create_app({"DATABASE_URL": url})
    with app.app_context(), Session(create_engine(url)) as session:
        moderator = session.scalars(
            select(Account).where(Account.email == "moderator@example.org")).one()
        items = session.scalars(select(Submission).where(Submission.status == Status.PENDING)
                                .order_by(Submission.id).limit(count)).all()
        now = dt.datetime.now(dt.UTC)
        for index, item in enumerate(items):
            moderation.approve(session, item, moderator, now, version=item.version,
                               title=None if index % 3 == 0 else item.original_title,
                               story=item.original_story)
            session.commit()
    app.extensions["waitline.engine"].dispose()
    return len(items)


def build(url: str, count: int, approvals: int) -> dict[str, float]:
    seconds = {"db upgrade": flask(url, "db", "upgrade")}
    seconds["demo load + release 1"] = flask(
        url, "demo", "load", "--count", str(count), "--seed", "2026", "--until", "2026-11-01")
    # The demo holds few pending items: add some, as submitted, for the moderator.
    seconds["more pending"] = flask(
        url, "demo", "load", "--count", str(approvals), "--seed", "9", "--until",
        "2026-11-05", "--only", "pending", "--no-release")
    started = time.process_time()
    approve_pending(url, approvals)
    seconds["approvals"] = time.process_time() - started
    seconds["release 2"] = flask(url, "stats", "release", "--force", "--allow-few")
    return seconds


def served(url: str) -> tuple[list, list]:  # type: ignore[type-arg]
    """Every release as stored and the stories its cut published, as a reader has them."""
    from testimonials.models import StatRelease
    from testimonials.stats import releases

    cuts, stories = [], []
    with Session(create_engine(url)) as session:
        for row in session.scalars(select(StatRelease).order_by(StatRelease.number)):
            cuts.append(releases.decode(row.number, row.cut_at, row.document))
            known = json.loads(zlib.decompress(row.document)).get("stories", {})
            stories.append({tuple(key.split("|", 1)): number for key, number in known.items()})
    return cuts, stories


def attack(url: str, time_limit: float) -> dict[str, object]:
    from tests import adversary

    cuts, stories = served(url)
    width = cuts[-1].min_cell
    started = time.process_time()
    undecided: set[tuple[int, str]] = set()
    found = adversary.narrowed(cuts, width, stories, undecided=undecided,
                               time_limit=time_limit)
    return {"releases": len(cuts),
            "hidden counts": sum(len(cut.hidden) for cut in cuts),
            "narrowed below the width": sorted(found.items()),
            "undecided": sorted(undecided),
            "differences": adversary.differences(cuts, width),
            "statistics only": sorted(adversary.statistics_only(cuts, stories, width)),
            "adversary CPU s": round(time.process_time() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--approve", type=int, default=12)
    parser.add_argument("--url", help="an existing site: run the adversary only")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per program (default: tests/adversary.py's)")
    options = parser.parse_args()
    from tests import adversary

    limit = options.time_limit or adversary.TIME_LIMIT
    if options.url:
        print(json.dumps(attack(options.url, limit), indent=1, default=str))
        return
    with tempfile.TemporaryDirectory(prefix="adversary-demo-") as folder:
        url = f"sqlite:///{folder}/site.db"
        steps = build(url, options.count, options.approve)
        print(json.dumps({"CPU s": {k: round(v, 1) for k, v in steps.items()},
                          **attack(url, limit)}, indent=1, default=str))


if __name__ == "__main__":
    main()
