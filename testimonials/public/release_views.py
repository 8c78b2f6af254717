"""The list of statistics releases: /stats/releases (each one lives at /stats/releases/N)."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, url_for
from flask_babel import format_decimal, ngettext

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
        "held": _held_text(json.loads(changes)),
    } for number, cut_at, published_at, _people, changes in served.numbers(db.session())]
    return render_template("public/releases.html", releases=rows)


def _held_text(changes: dict[str, Any]) -> str:
    """How many hidden groups the release gives as earlier ones showed them ("" if none, and
    in releases cut before held figures)."""
    held = int(changes.get("held") or 0)
    if not held:
        return ""
    return ngettext("%(count)s hidden group given as an earlier release showed it",
                    "%(count)s hidden groups given as earlier releases showed them", held,
                    count=format_decimal(held))
