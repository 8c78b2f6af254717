"""From the submitted form to checked answers, with a kind message at each field that is wrong.

Nothing here throws an answer away: on any error the form keeps every raw value, so the page
comes back exactly as the patient left it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field

from testimonials.forms import oversize
from testimonials.services.submissions import Answers
from testimonials.share.forms import (
    CARE_TYPES,
    EMAIL_MAX,
    NAME_MAX,
    NOT_APPLICABLE,
    OTHER_FACILITY,
    OTHER_MAX,
    OUTCOMES,
    REPORTERS,
    STORY_MAX,
    STORY_MIN,
    TITLE_MAX,
    ShareForm,
    WaitEndedForm,
    WaitFields,
    add_error,
)
from testimonials.text import clean
from testimonials.vocab import Reporter, WaitKind, WaitState
from testimonials.waits import MAX_DAYS, WaitAnswer, WaitError, month_is_valid, parse_wait

WAIT_MESSAGES = {
    "state_invalid": _l("Choose one of the answers."),
    "amount_not_number": _l("Enter the wait as a number, like 3."),
    "negative": _l("A wait cannot be less than zero."),
    "unit_required": _l("Choose days, weeks or months."),
    "unit_invalid": _l("Choose days, weeks or months."),
    "too_long": _l("That is more than a hundred years. Enter how long you waited, like 3 "
                   "months or 30 months."),
    "shorter_than_so_far": _l("This is shorter than the time you had already waited. Enter "
                              "the whole wait, from the start."),
}
MONTH_MESSAGES = {
    "month_out_of_range": _l("Enter the month as a number from 1 to 12."),
    "before_2000": _l("Enter a year from 2000 on."),
    "in_future": _l("The month cannot be in the future."),
}


def read_share_form(form: ShareForm, facilities: Collection[int], today: dt.date) -> Answers | None:
    """The checked answers, or None with a message on each field that needs one."""
    form.validate()  # the CSRF token, when CSRF is on; the rest is checked below
    story = _text(form.story, STORY_MAX, _("Tell us what happened."), minimum=STORY_MIN)
    title = _text(form.title, TITLE_MAX)
    reporter = _reporter(form.reporter)
    facility_id, facility_other = _facility(form, facilities)
    care_types = _bits(form.care_types, CARE_TYPES)
    waits = tuple(answer for kind in WaitKind
                  if (answer := _wait(kind, form.wait_fields(kind).form)) is not None)
    month = _month(form, today)
    outcomes = _bits(form.outcomes, OUTCOMES)
    if not (form.consent_publish.data or form.consent_stats.data):
        add_error(form.consent_publish, _("Tick at least one: publish my story, or count my "
                                          "answers in the statistics."))
    display_name = _text(form.display_name, NAME_MAX)
    email = _email(form)
    if has_errors(form):
        return None
    assert story is not None and reporter is not None
    return Answers(
        story=story, title=title, reporter=reporter, facility_id=facility_id,
        facility_other=facility_other, care_types=care_types, outcomes=outcomes,
        experience_month=month, waits=waits,
        consent_publish=bool(form.consent_publish.data),
        consent_stats=bool(form.consent_stats.data),
        consent_share=bool(form.consent_share.data),
        consent_contact=bool(form.consent_contact.data),
        display_name=display_name, email=email,
    )


def read_ended_form(form: WaitEndedForm,
                    waiting: dict[WaitKind, int]) -> dict[WaitKind, WaitAnswer] | None:
    """Total waits for the "still waiting" answers given (`waiting`: days so far), or None."""
    form.validate()
    ended: dict[WaitKind, WaitAnswer] = {}
    for kind, so_far in waiting.items():
        fields = form.wait_fields(kind).form
        try:
            # No state: an empty amount is a wait not answered, any amount is one that ended.
            answer = parse_wait(kind, None, fields.amount.data, fields.unit.data,
                                max_days=MAX_DAYS)
        except WaitError as error:
            add_error(_wait_error_field(fields, error.code), str(WAIT_MESSAGES[error.code]))
            continue
        if answer is None:
            continue
        if answer.days is not None and answer.days < so_far:
            add_error(fields.amount, str(WAIT_MESSAGES["shorter_than_so_far"]))
            continue
        ended[kind] = answer
    if not ended and not has_errors(form) and waiting:
        first = form.wait_fields(next(iter(waiting))).form
        add_error(first.amount, _("Tell us how long at least one of the waits was."))
    return None if has_errors(form) else ended


def has_errors(form: Any) -> bool:
    return any(field.errors for field in _all_fields(form))


def error_summary(form: Any) -> list[tuple[str, str]]:
    """(id to link to, message) for every field with an error, in page order."""
    links: list[tuple[str, str]] = []
    for field in _all_fields(form):
        if field.name == "csrf_token":
            if field.errors:
                links.append(("send", _("Your session expired, please send the form again.")))
            continue
        grouped = field.type in ("RadioField", "SelectMultipleField")  # link to the first box
        target = f"{field.id}-0" if grouped else field.id
        links.extend((target, message) for message in field.errors)
    return links


def _all_fields(form: Any) -> list[Field]:
    fields: list[Field] = []
    for field in form:
        if field.type == "FormField":
            fields.extend(field.form)
        else:
            fields.append(field)
    return fields


def _text(field: Field, maximum: int, required: str | None = None, *,
          minimum: int = 0) -> str | None:
    """Cleaned text within its limits, None when empty and allowed to be."""
    if oversize(field):  # refused as sent (testimonials/forms.py): nothing to clean
        return None
    value = clean(field.data if isinstance(field.data, str) else "")
    if not any(char.isalnum() for char in value):  # markup, spaces or invisible characters
        value = ""
    if not value:
        if required:
            add_error(field, required)
        return None
    if len(value) > maximum:
        add_error(field, _("This can be at most %(maximum)s characters long; it is now "
                           "%(count)s. Please shorten it.", maximum=format_number(maximum),
                           count=format_number(len(value))))
    elif len(value) < minimum:
        add_error(field, _("Please tell us a little more: at least %(minimum)s characters "
                           "(you wrote %(count)s).", minimum=minimum, count=len(value)))
    return value


def _reporter(field: Field) -> Reporter | None:
    if field.data in {value for value, _label in REPORTERS}:
        return Reporter(field.data)
    add_error(field, _("Tell us who is telling the story."))
    return None


def _facility(form: ShareForm, allowed: Collection[int]) -> tuple[int | None, str | None]:
    chosen = (form.facility.data or "").strip()
    other = _text(form.facility_other, OTHER_MAX)
    if chosen in ("", OTHER_FACILITY):
        return None, other
    if chosen.isascii() and chosen.isdigit() and int(chosen) in allowed:
        return int(chosen), None
    add_error(form.facility, _("Choose a clinic from the list, or \u201cOther / not listed\u201d."))
    return None, None


def _bits(field: Field, choices: list[tuple[str, Any, Any]]) -> int:
    by_value = {value: bit for value, bit, _label in choices}
    chosen = field.data if isinstance(field.data, list) else []
    if any(value not in by_value for value in chosen):
        add_error(field, _("Choose from the list."))
        return 0
    total = 0
    for value in chosen:
        total |= int(by_value[value])
    return total


def _wait(kind: WaitKind, fields: WaitFields) -> WaitAnswer | None:
    state = fields.state.data if isinstance(fields.state.data, str) else ""
    if state == NOT_APPLICABLE:
        return None
    try:
        return parse_wait(kind, state, fields.amount.data, fields.unit.data, max_days=MAX_DAYS)
    except WaitError as error:
        if error.code == "amount_required":
            message = (_("Enter how long you have been waiting so far.")
                       if state == WaitState.WAITING.value else _("Enter how long you waited."))
        else:
            message = str(WAIT_MESSAGES[error.code])
        add_error(_wait_error_field(fields, error.code), message)
        return None


def _wait_error_field(fields: Any, code: str) -> Field:
    if code == "state_invalid":
        return fields.state
    return fields.unit if code in ("unit_required", "unit_invalid") else fields.amount


def _month(form: ShareForm, today: dt.date) -> dt.date | None:
    month_text, year_text = form.month.data or "", form.year.data or ""
    if not month_text and not year_text:
        return None
    if not month_text:
        add_error(form.month, _("Enter the month too, as a number from 1 to 12."))
        return None
    if not year_text:
        add_error(form.year, _("Enter the year too, like %(year)s.", year=today.year))
        return None
    month, year = _integer(month_text), _integer(year_text)
    if month is None:
        add_error(form.month, str(MONTH_MESSAGES["month_out_of_range"]))
        return None
    if year is None:
        add_error(form.year, _("Enter the year as four digits, like %(year)s.", year=today.year))
        return None
    code = month_is_valid(year, month, today=today)
    if code is not None:
        add_error(form.month if code == "month_out_of_range" else form.year,
                  str(MONTH_MESSAGES[code]))
        return None
    return dt.date(year, month, 1)


def _integer(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _email(form: ShareForm) -> str | None:
    typed = form.email.data if isinstance(form.email.data, str) else ""
    if oversize(form.email):
        return None
    if not typed:
        if form.consent_contact.data:
            add_error(form.email, _("Enter your e-mail address, so that we can contact you."))
        return None
    try:
        if len(typed) > EMAIL_MAX:
            raise EmailNotValidError("too long")
        return validate_email(typed, check_deliverability=False).normalized
    except EmailNotValidError:
        add_error(form.email, _("Enter an e-mail address like name@example.com."))
        return None
