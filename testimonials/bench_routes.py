"""The benchmark's ceiling: a bare route that renders a 5 KB template compiled once.

Registered only when BENCH_ROUTES is on (the bench sets it); every page budget in SPEC
section 7 is a ratio to this route served by the same gunicorn in the same run.
"""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("bench", __name__, url_prefix="/_bench")


@bp.get("/ceiling")
def ceiling() -> str:
    return render_template("bench/ceiling.html", title="Ceiling", note="A plain page.",
                           first=1, items=["one", "two", "three"])
