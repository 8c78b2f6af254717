"""Ready values for the patient's pages, so that templates only show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_skeleton
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from testimonials.models import Submission, Wait
from testimonials.services.submissions import can_edit, waiting
from testimonials.share.forms import CARE_TYPES, OUTCOMES, REPORTERS, WAIT_QUESTIONS
from testimonials.share.queries import facility_label
from testimonials.vocab import CareType, Status, Unit, WaitKind, WaitState
from testimonials.waits import (
    MAX_DAYS,
    URGENT,
    WaitAnswer,
    beyond_maximum,
    exceeds_standard,
    standard_days,
)

STATUS_HEADINGS = {
    Status.PENDING: _l("Waiting for a moderator"),
    Status.APPROVED: _l("Approved"),
    Status.REJECTED: _l("Not published"),
    Status.SPAM: _l("Not published"),
    Status.WITHDRAWN: _l("Withdrawn and erased"),
}
TAKEN_DOWN_HEADING = _l("Taken off the site")


@dataclass(frozen=True, slots=True)
class WaitRow:
    question: str
    answer: str
    standard: str | None
    verdict: str | None
    over: bool


@dataclass(frozen=True, slots=True)
class Summary:
    """The patient's answers in words."""

    reporter: str
    facility: str | None
    care_types: list[str]
    month: str | None
    waits: list[WaitRow]
    outcomes: list[str]
    consents: list[str] | None  # None where they are not shown (the complaint summary)


@dataclass(frozen=True, slots=True)
class Actions:
    edit: bool
    wait_ended: bool
    complaint: bool
    withdraw: bool


def taken_down(submission: Submission) -> bool:
    """Approved for publishing, then taken off the site by a moderator (unpublished)."""
    # Approval publishes an item whose patient consented; a patient's edit sends it back to
    # the queue. So approved, consented and not published means a moderator unpublished it.
    return (submission.status is Status.APPROVED and submission.consent_publish
            and submission.published_at is None)


def heading(submission: Submission) -> str:
    """The status in a few words, as the patient's page names it."""
    if taken_down(submission):
        return str(TAKEN_DOWN_HEADING)
    return str(STATUS_HEADINGS[submission.status])


def actions(submission: Submission) -> Actions:
    alive = submission.status is not Status.WITHDRAWN
    return Actions(edit=can_edit(submission), wait_ended=alive and bool(waiting(submission)),
                   complaint=alive, withdraw=alive)


def summary(session: Session, submission: Submission,
            standards: Mapping[str, Mapping[str, int]], *, with_consents: bool = True) -> Summary:
    reporters = dict(REPORTERS)
    facility = facility_label(session, submission.facility_id) or submission.facility_other
    return Summary(
        reporter=str(reporters[submission.reporter.value]),
        facility=facility,
        care_types=[str(label) for _v, bit, label in CARE_TYPES if submission.care_types & bit],
        month=month_text(submission.experience_month),
        waits=[wait_row(wait, submission.care_types, standards) for wait in in_order(submission)],
        outcomes=[str(label) for _v, bit, label in OUTCOMES if submission.outcomes & bit],
        consents=consents(submission) if with_consents else None,
    )


def consents(submission: Submission) -> list[str]:
    given = [
        (submission.consent_publish, _("publish your story")),
        (submission.consent_stats, _("count your answers in the statistics")),
        (submission.consent_share,
         _("share your story with legislators, regulators and the press")),
        (submission.consent_contact, _("contact you by e-mail")),
    ]
    return [text for agreed, text in given if agreed] or [_("nothing yet")]


def in_order(submission: Submission) -> list[Wait]:
    """The waits in the form's order (the relationship sorts them by name)."""
    order = list(WaitKind)
    return sorted(submission.waits, key=lambda wait: order.index(wait.kind))


def month_text(month: dt.date | None) -> str | None:
    """"May 2026", "mayo de 2026"."""
    return format_skeleton("yMMMM", month, locale=get_locale()) if month else None


def wait_row(wait: Wait, care_types: int, standards: Mapping[str, Mapping[str, int]]) -> WaitRow:
    question = str(WAIT_QUESTIONS[wait.kind][0])
    answer = WaitAnswer(wait.kind, wait.state, wait.days, None, None)
    limit = standard_days(wait.kind, care_types, standards)
    over = exceeds_standard(answer, care_types, standards)
    # The same rule as waits.standard_days: an intake for crisis care is urgent care.
    urgent = wait.kind is WaitKind.INTAKE and bool(care_types & CareType.CRISIS)
    key = URGENT if urgent else wait.kind.value
    verdict = None
    if limit is not None:
        verdict = {True: _("Longer than the standard"), False: _("Within the standard"),
                   None: _("Not known yet")}[over]
    return WaitRow(question, wait_answer_text(wait), describe_standard(standards.get(key)),
                   verdict, bool(over))


def wait_answer_text(wait: Wait) -> str:
    """"3 weeks (21 days)", "still waiting: 2 months so far", "never offered one"."""
    if wait.state is WaitState.NEVER_OFFERED:
        if wait.days is None:
            return _("Never offered an appointment")
        return _("Never offered an appointment, in %(length)s", length=length_text(wait))
    if wait.state is WaitState.GAVE_UP:
        if wait.days is None:
            return _("Gave up")
        return _("Gave up after %(length)s", length=length_text(wait))
    if wait.state is WaitState.WAITING:
        return _("Still waiting: %(length)s so far", length=length_text(wait))
    return length_text(wait)


def length_text(wait: Wait) -> str:
    """"3 weeks (21 days)"; "36 months (730 days or more)" for a wait longer than counted."""
    days = wait.days or 0
    in_days = ngettext("%(num)s day", "%(num)s days", days)
    if beyond_maximum(wait.amount, wait.unit):
        in_days = _("%(num)s days or more", num=MAX_DAYS)
        if wait.unit is Unit.DAYS:
            return _("%(given)s (%(days)s)", given=ngettext(
                "%(num)s day", "%(num)s days", int(Decimal(wait.amount or 0))), days=in_days)
    if wait.amount is None or wait.unit is None or wait.unit is Unit.DAYS:
        return in_days
    amount = Decimal(wait.amount)
    shown = format_decimal(amount.normalize() if amount == amount.to_integral() else amount)
    count = int(amount) if amount == amount.to_integral() else 2
    if wait.unit is Unit.WEEKS:
        given = ngettext("%(amount)s week", "%(amount)s weeks", count, amount=shown)
    else:
        given = ngettext("%(amount)s month", "%(amount)s months", count, amount=shown)
    return _("%(given)s (%(days)s)", given=given, days=in_days)


def describe_standard(rule: Mapping[str, int] | None) -> str | None:
    """A configured standard in words: "10 business days", "48 hours"."""
    if not rule:
        return None
    if "business_days" in rule:
        return ngettext("%(num)s business day", "%(num)s business days", rule["business_days"])
    if "hours" in rule:
        return ngettext("%(num)s hour", "%(num)s hours", rule["hours"])
    if "days" in rule:
        return ngettext("%(num)s day", "%(num)s days", rule["days"])
    return None


def standards_list(standards: Mapping[str, Mapping[str, int]]) -> list[tuple[str, str]]:
    """(what, standard) for each configured standard, for the complaint summary."""
    names = {kind.value: str(WAIT_QUESTIONS[kind][0]) for kind in WaitKind}
    names[URGENT] = _("Urgent care")
    return [(names.get(key, key), text) for key, rule in standards.items()
            if (text := describe_standard(rule)) is not None]
