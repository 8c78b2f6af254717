"""The queue page: urgent items first (newest first), then the rest oldest first, with counts
and filters.

Each moderator's whole page is kept for PAGE_SECONDS (`caching.remembered`, so also only for
one generation, which every decision moves), for the bench's "/moderate/ (100,000 pending)"
line (budget 0.4 of the ceiling), which fails without it: in process on SQLite at 100,000
pending, a kept page costs about 0.7 ms of CPU (0.8 ms on PostgreSQL), a rendered one about
8 ms (23,000 calls). The counts by status are read from stored rows (queue.status_counts), never
counted on a request. A new submission (which moves no generation) shows within PAGE_SECONDS.

Claims must show at once ("being reviewed by ..."), and they change without a new generation
(and lapse by time alone): so the live claims, read on every request (one small indexed
query: a claim per moderator at most), are part of the key. They are read in the signed-in
account's own statement (auth.read_beside_account), through a plain connection
(db.one_read): a kept page opens no ORM session and makes one round trip on PostgreSQL
(a session would add BEGIN and ROLLBACK, a read of its own another). A claim taken, taken
over, released or lapsed changes the key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import current_app, render_template, request
from flask import session as cookie_session
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext, ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import auth, caching, db, i18n, timestamps
from testimonials.bounds import database_int
from testimonials.models import Facility, Region, utcnow
from testimonials.moderate import bp, labels, queue
from testimonials.moderate.review import flag_list
from testimonials.services import claims

PAGE_SECONDS = 2.0
# The most items one bulk action takes (a filtered wave of spam is hundreds, not thousands).
BULK_MAX = 1000


def status_counts(session: Session) -> dict[str, int]:
    """The counts by status, and pending urgent items under "urgent"."""
    return queue.status_counts(session)


# Built once: the statement's cache key is then computed once, not on every queue page.
_FACILITIES_BY_REGION = (
    select(Region.id, Region.name, Facility.id, Facility.name, Facility.city)
    .join(Facility, Facility.region_id == Region.id)
    .where(Facility.merged_into_id.is_(None))
    .order_by(Region.name, Region.id, Facility.name))


def filter_choices(session: Session) -> dict[str, Any]:
    """Regions and their facilities (merged ones left out), for the filter menus.

    One query, regions by name and each one's facilities by name; a region all of whose
    facilities moved away has nothing to filter and is left out (the inner join does it).
    """
    regions: list[tuple[int, str]] = []
    groups: list[dict[str, Any]] = []
    for region_id, region_name, facility_id, name, city in session.execute(
            _FACILITIES_BY_REGION):
        if not regions or regions[-1][0] != region_id:
            regions.append((region_id, region_name))
            groups.append({"name": region_name, "facilities": []})
        groups[-1]["facilities"].append((facility_id, f"{name} ({city})"))
    return {"regions": regions, "groups": groups}


def filter_form(session: Session, filters: queue.Filters) -> Markup:
    """The filter form."""
    return Markup(render_template(
        "moderate/_queue_filters.html", filters=filters, choices=filter_choices(session),
        flag_filters=labels.FLAG_FILTER, languages=labels.LANGUAGE))


def _age(seconds: float) -> str:
    """"3 days", "5 hours", "12 minutes": coarse, translated."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size or unit == "minute":
            return _age_words(unit, max(int(seconds // size), 0))
    raise AssertionError("unreachable")


def _age_words(unit: str, number: int) -> str:
    if unit == "day":
        return ngettext("%(num)d day ago", "%(num)d days ago", number)
    if unit == "hour":
        return ngettext("%(num)d hour ago", "%(num)d hours ago", number)
    return ngettext("%(num)d minute ago", "%(num)d minutes ago", number)


def _flags(flags: int) -> Markup:
    """The flags as HTML."""
    return Markup(render_template("moderate/_flags.html", flags=flag_list(flags)))


def rows_view(rows: list[queue.QueueRow], filters: queue.Filters,
              held: dict[int, claims.Holder] | None = None) -> list[dict[str, Any]]:
    now: dt.datetime = utcnow()
    held = held or {}
    suffix = "?" + urlencode(filters.as_args()) if filters.as_args() else ""
    language_names = {code: str(name) for code, name in labels.LANGUAGE.items()}
    # Each distinct combination of flags rendered once (at most seven), not once per row:
    # a template render per row was a fifth of the page's time.
    marks = {value: _flags(value) for value in {row.flags for row in rows if row.flags}}
    pick = gettext("Select #%(id)s")  # translated once, filled in per row
    return [{"id": row.id, "urgent": row.is_urgent, "href": f"/moderate/{row.id}{suffix}",
             "pick_label": pick % {"id": row.id},
             "flags": marks.get(row.flags, ""), "title": row.title,
             "opening": row.opening, "language": language_names.get(row.language, row.language),
             "place": row.facility_name or row.facility_other,
             "age": _age((now - row.created_at).total_seconds()),
             "created_at": timestamps.rfc3339(row.created_at),
             "claimed_by": held[row.id].email if row.id in held else None} for row in rows]


def _claims_key(held: dict[int, claims.Holder]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((item, who.account_id) for item, who in held.items()))


def _content(session: Session, filters: queue.Filters, raw_after: str,
             held: dict[int, claims.Holder]) -> str:
    after_id = database_int(raw_after)
    after = queue.position(session, after_id) if after_id is not None else None
    rows = queue.page(session, filters, after, queue.PAGE_SIZE + 1)
    # "All N matching" is offered for a filtered queue only: the whole queue at once is
    # never one bulk decision.
    matching = queue.count_matching(session, filters) if filters.as_args() else None
    return render_template(
        "moderate/_queue_content.html", rows=rows_view(rows[:queue.PAGE_SIZE], filters, held),
        matching=matching, claimed=len(held), bulk_max=BULK_MAX,
        more=len(rows) > queue.PAGE_SIZE, counts=status_counts(session), filters=filters,
        filter_form=filter_form(session, filters), paged=after is not None,
        urgent_shown=any(row.is_urgent for row in rows[:queue.PAGE_SIZE]),
    )


def _whole_page_key(claims_key: Any) -> tuple[Any, ...] | None:
    """What the whole page depends on besides the queue, or None when it must be rendered.

    The header shows who is signed in and carries their session's CSRF token (a signed copy
    stays valid for the token's lifetime); a pending flash message is shown once, so such a
    page is never kept.
    """
    raw_csrf = cookie_session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if raw_csrf is None or cookie_session.get("_flashes"):
        return None
    account = current_user.account
    # The language's code (i18n chose it once for the request), not Flask-Babel's Locale,
    # which a kept page would build for nothing else (about 3% of its CPU time).
    return ("queue", claims_key, i18n.select_locale(), request.full_path, account.id,
            account.email, current_user.is_admin, account.keyboard_shortcuts, raw_csrf)


def _render(filters: queue.Filters, raw_after: str, held: dict[int, claims.Holder]) -> str:
    content = Markup(_content(db.session(), filters, raw_after, held))
    return render_template("moderate/queue.html", content=content)


@bp.get("/")
def queue_page() -> str:
    filters = queue.parse_filters(request.args.to_dict())
    raw_after = request.args.get("after", "")[:12]
    held: dict[int, claims.Holder] = auth.read_with_account()
    key = _whole_page_key(_claims_key(held))
    if key is None:
        return _render(filters, raw_after, held)
    return caching.remembered(key, lambda: _render(filters, raw_after, held),
                              seconds=PAGE_SECONDS)


@bp.record_once
def _read_claims_with_the_account(_state: BlueprintSetupState) -> None:
    """The live claims come in the signed-in account's own statement (one round trip on
    PostgreSQL for the whole of a kept page): the access check loads the account before the
    view runs. Registered with the blueprint, when every module is imported (the claims
    service imports this package)."""
    auth.read_beside_account(
        "moderate.queue_page", claims.beside,
        lambda rows: claims.live_in(rows, auth.LOOKUP_COLUMNS))
