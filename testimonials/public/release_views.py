"""The list of statistics releases: /stats/releases (each one lives at /stats/releases/N)."""

from __future__ import annotations

import json

from flask import render_template, url_for

from testimonials import db
from testimonials.i18n import moment_text
from testimonials.public import bp
from testimonials.services import published as served


@bp.get("/stats/releases")
def releases() -> str:
    rows = [{
        "number": number,
        "url": url_for("public.release_page", number=number),
        "csv": url_for("public.release_csv", number=number),
        "json": url_for("public.release_json", number=number),
        "cut_at": moment_text(cut_at),
        "published_at": moment_text(published_at),
        "changes": json.loads(changes),
    } for number, cut_at, published_at, _people, changes in served.numbers(db.session())]
    return render_template("public/releases.html", releases=rows)
