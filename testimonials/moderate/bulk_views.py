"""Bulk spam and rejection over a filtered queue: pick, confirm (naming the count), done.

The confirmation page carries the exact items it named; sending it decides those still
allowed (services.bulk), in one transaction, and says how many were left and why.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.bounds import database_int
from testimonials.models import RejectionReason, utcnow
from testimonials.moderate import bp, queue
from testimonials.moderate.access import current_account
from testimonials.moderate.queue_views import BULK_MAX
from testimonials.services import bulk
from testimonials.services.moderation import REASON_MAX, Conflict
from testimonials.text import clean

ERRORS = {
    "reason_missing": _l("Choose a reason, or write one: the patients read it."),
    "reason_too_long": _l("The reason must be 2,000 characters or fewer."),
    "reason_unknown": _l("That reason is no longer offered; choose another."),
    "changed": _l("Some of these items changed meanwhile; here they are as they are now."),
}


def _ids(values: list[str]) -> list[int]:
    found = [database_int(value) for value in values[:BULK_MAX]]
    return [value for value in found if value is not None]


def _action(raw: str) -> str:
    if raw not in bulk.ACTIONS:
        abort(400, description="Bulk actions are spam and reject only.")
    return raw


def _reasons() -> list[RejectionReason]:
    return list(db.session().scalars(select(RejectionReason)
                                     .where(RejectionReason.retired.is_(False))
                                     .order_by(RejectionReason.id)))


def _page(action: str, ids: list[int], filters: queue.Filters, form: dict[str, str],
          error: str | None = None, status: int = 200) -> tuple[str, int]:
    chosen = bulk.plan(db.session(), ids, current_account().account.id, utcnow())
    return render_template("moderate/bulk_confirm.html", action=action, chosen=chosen,
                           filters=filters, form=form, reasons=_reasons(),
                           error=ERRORS[error] if error else None), status


@bp.get("/bulk")
def bulk_confirm() -> Response | tuple[str, int]:
    filters = queue.parse_filters(request.args.to_dict())
    if not request.args.get("action") and not request.args.get("id"):
        # Nothing asked (e.g. back here after signing in again): say where to start.
        return render_template("moderate/bulk_confirm.html", nothing=True,
                               filters=filters), 200
    action = _action(request.args.get("action", ""))
    if request.args.get("scope") == "all" and filters.as_args():
        ids = [row.id for row in queue.page(db.session(), filters, None, size=BULK_MAX)]
    else:
        ids = _ids(request.args.getlist("id"))
    if not ids:
        flash(_("Tick the items to act on first, or take all those matching the filters."),
              "error")
        return redirect(url_for("moderate.queue_page", **filters.as_args()))
    return _page(action, ids, filters, {"reason_id": "", "reason": ""})


def _reason_for(form: dict[str, str]) -> tuple[Any, str | None]:
    """The reason each item gets (by its language), or an error code."""
    reason_id = database_int(form["reason_id"])
    typed = clean(form["reason"])
    if reason_id is not None:
        reason = db.session().get(RejectionReason, reason_id)
        if reason is None or reason.retired:
            return None, "reason_unknown"
        return (lambda item: reason.text_for(item.language.value)), None
    if not typed:
        return None, "reason_missing"
    if len(typed) > REASON_MAX:
        return None, "reason_too_long"
    return (lambda _item: typed), None


class ReasonRefused(Exception):
    """The reason chosen or typed cannot be given; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _usable_reason(form: dict[str, str]) -> Any:
    reason_for, error = _reason_for(form)
    if error:
        raise ReasonRefused(error)
    return reason_for


@bp.post("/bulk")
def bulk_decide() -> Response | tuple[str, int]:
    filters = queue.parse_filters(request.form.to_dict())
    action = _action(request.form.get("action", ""))
    ids = _ids(request.form.getlist("id"))
    form = {key: request.form.get(key, "") for key in ("reason_id", "reason")}
    try:
        with db.writing() as session:  # the reason is read under the write lock too
            reason_for = _usable_reason(form) if action == "reject" else None
            done = bulk.decide(session, ids, current_account().account, utcnow(), action,
                               reason_for)
    except ReasonRefused as refused:
        return _page(action, ids, filters, form, refused.code, 400)
    except Conflict:
        return _page(action, ids, filters, form, "changed", 409)
    decided = len(done.taken)
    text = (ngettext("Marked %(num)d item as spam.", "Marked %(num)d items as spam.", decided)
            if action == "spam" else
            ngettext("Rejected %(num)d item.", "Rejected %(num)d items.", decided))
    if done.left:
        text += " " + left_text(done)
    flash(text, "success")
    return redirect(url_for("moderate.queue_page", **filters.as_args()))


def left_text(chosen: bulk.Sorted) -> str:
    """How many items were left, and why, in one sentence per reason."""
    parts = []
    if chosen.flagged:
        parts.append(ngettext(
            "%(num)d item flagged for personal data or crisis language was left for one-by-one "
            "review.", "%(num)d items flagged for personal data or crisis language were left for "
            "one-by-one review.", len(chosen.flagged)))
    if chosen.claimed:
        parts.append(ngettext("%(num)d item someone else is reviewing was left.",
                              "%(num)d items someone else is reviewing were left.",
                              len(chosen.claimed)))
    if chosen.decided:
        parts.append(ngettext("%(num)d item was already decided.",
                              "%(num)d items were already decided.", len(chosen.decided)))
    return " ".join(parts)


# For templates: the same sentence the flash message says.
@bp.app_template_global("bulk_left_text")
def _left_text_global(chosen: bulk.Sorted) -> str:
    return left_text(chosen)

