"""Picking the stories of the officials' and press report: /moderate/report-stories.

For one place (the site, a region or a facility), a moderator or admin sees the stories picked
for its report, in order, and the stories that may be picked (approved, published, shared with
legislators, regulators and press); adds, moves up or down and removes them with buttons that
are plain forms (keyboard and no JavaScript alike). Each change is audited by the service.
"""

from __future__ import annotations

from typing import Any

from flask import Response as FlaskResponse
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.bounds import database_int
from testimonials.errors import render_error
from testimonials.models import utcnow
from testimonials.moderate import bp
from testimonials.moderate.access import current_account
from testimonials.public.report_views import NamedPlace, PlaceRefused, named
from testimonials.public.stats_views import places
from testimonials.services import report_picks
from testimonials.stats.place_report import FACILITY, REGION, PlaceError, parse_place

REFUSALS = {
    "not_shareable": lambda: _("That story cannot be picked: only approved, published stories "
                               "shared with legislators, regulators and press can."),
    "elsewhere": lambda: _("That story is not about this place."),
    "already": lambda: _("That story is already in this report."),
    "full": lambda: _("This report already has %(count)s stories: take one out first.",
                      count=report_picks.MAX_PICKS),
    "unknown": lambda: _("That story is not in this report."),
}


def chosen_place(value: str | None) -> NamedPlace:
    """The place named by `place=` (the site when absent); PlaceRefused for any other value."""
    try:
        place = parse_place(value or "site")
    except PlaceError as error:
        raise PlaceRefused(404, _("Choose the site, a region or a facility from the list."
                                  )) from error
    return named(places(db.session()), place.id if place.scope == REGION else None,
                 place.id if place.scope == FACILITY else None)


@bp.get("/report-stories")
def report_stories() -> str | tuple[FlaskResponse | str, int]:
    try:
        where = chosen_place(request.args.get("place"))
    except PlaceRefused as refused:
        return render_error(refused.status, refused.reason)
    session = db.session()
    known = places(session)
    return render_template(
        "moderate/report_stories.html", where=where, place=str(where.place),
        picked=report_picks.shown(session, where.place),
        candidates=report_picks.candidates(session, where.place),
        regions=[(f"region:{r.id}", r.name) for r in known.regions],
        facilities=[(f"facility:{f.id}", f.name) for f in known.facilities],
        report_url=url_for("public.report", **where.query),
        max_picks=report_picks.MAX_PICKS,
    )


@bp.post("/report-stories/pick")
def pick_report_story() -> Response | tuple[FlaskResponse | str, int]:
    return change_report_stories("pick")


@bp.post("/report-stories/move")
def move_report_story() -> Response | tuple[FlaskResponse | str, int]:
    return change_report_stories("move")


@bp.post("/report-stories/remove")
def remove_report_story() -> Response | tuple[FlaskResponse | str, int]:
    return change_report_stories("remove")


def change_report_stories(action: str) -> Response | tuple[FlaskResponse | str, int]:
    try:
        where = chosen_place(request.form.get("place"))
    except PlaceRefused as refused:
        return render_error(refused.status, refused.reason)
    submission_id = database_int(request.form.get("submission_id", ""))
    direction = request.form.get("direction", "")
    if submission_id is None:
        return render_error(400, _("The story must be given by its number."))
    if action == "move" and direction not in (report_picks.UP, report_picks.DOWN):
        return render_error(400, _("A story moves up or down."))
    account = current_account().account
    try:
        with db.writing(after_reads=True) as session:  # the place was read before
            _apply(action, session, where, submission_id, direction, account)
    except report_picks.PickRefused as refused:
        flash(REFUSALS[refused.code](), "error")
    else:
        flash(_done(action, submission_id, direction), "success")
    anchor = f"pick-{submission_id}" if action != "remove" else "picked"
    return redirect(url_for("moderate.report_stories", place=str(where.place), _anchor=anchor))


def _apply(action: str, session: Any, where: NamedPlace, submission_id: int, direction: str,
           account: Any) -> None:
    now = utcnow()
    if action == "pick":
        report_picks.pick(session, where.place, submission_id, account, now)
    elif action == "move":
        report_picks.move(session, where.place, submission_id, direction, account, now)
    else:
        report_picks.remove(session, where.place, submission_id, account, now)


def _done(action: str, submission_id: int, direction: str) -> str:
    if action == "pick":
        return _("Story #%(id)s added to the report.", id=submission_id)
    if action == "remove":
        return _("Story #%(id)s taken out of the report.", id=submission_id)
    if direction == report_picks.UP:
        return _("Story #%(id)s moved up.", id=submission_id)
    return _("Story #%(id)s moved down.", id=submission_id)
