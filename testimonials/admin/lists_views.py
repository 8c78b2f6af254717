"""The team's reusable lists: rejection reasons and themes, each in English and Spanish.

A reason in use stays in the items that got it (its words were copied at the decision), so
retiring one only stops offering it. A theme removed is untagged everywhere. Audited.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.wrappers import Response

from testimonials import caching, db
from testimonials.admin import bp
from testimonials.models import RejectionReason, SubmissionTheme, Theme, utcnow
from testimonials.moderate.access import current_account
from testimonials.services import audit
from testimonials.services.moderation import REASON_MAX
from testimonials.text import clean

NAME_MAX = 80
ERRORS = {
    "missing": _l("Write it in both English and Spanish: the patient reads it in their language."),
    "too_long": _l("Too long: a reason is 2,000 characters at most, a theme 80."),
    "taken": _l("A theme with this name already exists."),
}


def _lists() -> dict[str, Any]:
    session = db.session()
    return {"reasons": session.scalars(select(RejectionReason)
                                       .where(RejectionReason.retired.is_(False))
                                       .order_by(RejectionReason.id)).all(),
            "themes": session.scalars(select(Theme).order_by(Theme.name_en)).all()}


def _page(errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          status: int = 200) -> tuple[str, int]:
    return render_template("admin/lists.html", errors=errors or {}, form=form or {},
                           **_lists()), status


@bp.get("/lists")
def lists_page() -> tuple[str, int]:
    return _page()


def _asked(limit: int) -> tuple[dict[str, str], str, str, str | None]:
    """The form's English and Spanish, cleaned, and what is wrong with them (None: nothing)."""
    form = {"en": request.form.get("en", ""), "es": request.form.get("es", "")}
    english, spanish = clean(form["en"]), clean(form["es"])
    error = ("missing" if not english or not spanish
             else "too_long" if len(english) > limit or len(spanish) > limit else None)
    return form, english, spanish, error


def _refused(kind: str, error: str, form: dict[str, str]) -> tuple[str, int]:
    """The page again, the error beside the `kind` form, which keeps what was typed."""
    return _page({kind: str(ERRORS[error])}, {f"{kind}_{k}": v for k, v in form.items()}, 400)


def _done(message: str) -> Response:
    """After the write block has committed: say so on the lists page."""
    flash(message, "success")
    return redirect(url_for("admin.lists_page"))


@bp.post("/reasons")
def add_reason() -> Response | tuple[str, int]:
    form, english, spanish, error = _asked(REASON_MAX)
    if error:
        return _refused("reason", error, form)
    now, me = utcnow(), current_account().account
    with db.writing() as session:
        reason = RejectionReason(text_en=english, text_es=spanish, created_at=now)
        session.add(reason)
        session.flush()
        audit.record(session, now, me, "reason.add", subject=f"reason:{reason.id}",
                     after={"text_en": english, "text_es": spanish})
    return _done(_("Reason added."))


@bp.post("/reasons/<int:reason_id>/retire")
def retire_reason(reason_id: int) -> Response:
    with db.writing() as session:
        reason = session.get(RejectionReason, reason_id)
        if reason is None:
            abort(404)
        if not reason.retired:
            reason.retired = True
            audit.record(session, utcnow(), current_account().account, "reason.retire",
                         subject=f"reason:{reason.id}")
    return _done(_("Reason retired: no longer offered."))


def slug_of(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "theme"


class ThemeTaken(Exception):
    """A theme with that name's slug exists."""


@bp.post("/themes")
def add_theme() -> Response | tuple[str, int]:
    form, english, spanish, error = _asked(NAME_MAX)
    if error:
        return _refused("theme", error, form)
    try:
        with db.writing() as session:
            if session.scalar(select(Theme.id).where(Theme.slug == slug_of(english))):
                raise ThemeTaken
            theme = Theme(slug=slug_of(english), name_en=english, name_es=spanish)
            session.add(theme)
            session.flush()
            audit.record(session, utcnow(), current_account().account, "theme.add",
                         subject=f"theme:{theme.id}", after={"slug": theme.slug,
                                                             "name_en": english,
                                                             "name_es": spanish})
            caching.public_changed(session)  # the readers' theme filter lists it
    except ThemeTaken:
        return _refused("theme", "taken", form)
    return _done(_("Theme added."))


@bp.post("/themes/<int:theme_id>/remove")
def remove_theme(theme_id: int) -> Response:
    with db.writing() as session:
        theme = session.get(Theme, theme_id)
        if theme is None:
            abort(404)
        audit.record(session, utcnow(), current_account().account, "theme.remove",
                     subject=f"theme:{theme.id}", before={"slug": theme.slug})
        session.execute(delete(SubmissionTheme).where(SubmissionTheme.theme_id == theme.id))
        session.delete(theme)
        caching.public_changed(session)
    return _done(_("Theme removed."))
