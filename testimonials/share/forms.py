"""The patient's forms: their fields and choices, in the order the page asks them.

Fields take raw text only; `reading.py` turns them into checked answers with a kind message
for every way an answer can be wrong. The choices live here as plain lists (`OPTIONS`, for
the templates), not in WTForms: its own choice checks are off, so that a tampered value gets
one of our messages rather than a generic one.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.i18n import messages_path

from testimonials.forms import BoundedForm
from testimonials.models import Submission
from testimonials.vocab import CareType, Outcome, Reporter, WaitKind

STORY_MIN, STORY_MAX = 50, 10_000
TITLE_MAX, NAME_MAX, OTHER_MAX, EMAIL_MAX = 120, 80, 200, 254
OTHER_FACILITY = "other"
NOT_APPLICABLE = "none"

REPORTERS = [
    (Reporter.PATIENT.value, _l("I am the patient")),
    (Reporter.PARENT.value, _l("I am the patient's parent or guardian")),
    (Reporter.FAMILY.value, _l("I am another family member or carer")),
]
CARE_TYPES: list[tuple[str, CareType, Any]] = [
    ("individual", CareType.INDIVIDUAL, _l("Individual therapy")),
    ("group", CareType.GROUP, _l("Group therapy")),
    ("psychiatry", CareType.PSYCHIATRY, _l("Psychiatry or medication")),
    ("crisis", CareType.CRISIS, _l("Crisis or urgent care")),
    ("child", CareType.CHILD, _l("Care for a child or teenager")),
    ("intake_only", CareType.INTAKE_ONLY, _l("Only an intake appointment so far")),
]
OUTCOMES: list[tuple[str, Outcome, Any]] = [
    ("emergency_room", Outcome.EMERGENCY_ROOM, _l("Went to an emergency room")),
    ("paid_out_of_pocket", Outcome.PAID_OUT_OF_POCKET,
     _l("Paid out of pocket for care somewhere else")),
    ("stopped_treatment", Outcome.STOPPED_TREATMENT, _l("Stopped treatment")),
    ("got_worse", Outcome.GOT_WORSE, _l("My condition (or theirs) got worse")),
    ("referred_out", Outcome.REFERRED_OUT, _l("Was referred outside the network")),
]
UNITS = [("", _l("Choose")), ("days", _l("days")), ("weeks", _l("weeks")),
         ("months", _l("months"))]
# The legend and hint of each wait's fieldset, in the order the form asks them.
WAIT_QUESTIONS: dict[WaitKind, tuple[Any, Any]] = {
    WaitKind.INTAKE: (_l("First (intake) appointment"),
                      _l("From the day you asked for care to the first appointment.")),
    WaitKind.FIRST_RETURN: (_l("First return (follow-up) appointment after intake"),
                            _l("From the intake appointment to the next one.")),
    WaitKind.BETWEEN_RETURNS: (_l("Usual gap between return appointments"),
                               _l("Once treatment started, how far apart appointments were.")),
    WaitKind.PSYCHIATRY: (_l("First psychiatry or medication appointment"),
                          _l("From the day it was requested to the appointment.")),
}

# What the templates list for each group of choices: (value, label).
OPTIONS = {
    "reporters": REPORTERS,
    "care_types": [(value, label) for value, _bit, label in CARE_TYPES],
    "outcomes": [(value, label) for value, _bit, label in OUTCOMES],
    "units": UNITS,
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class WaitFields(Form):
    """One wait: what happened, and how long (or how long so far)."""

    state = RadioField(validate_choice=False)
    amount = StringField(filters=[_strip])
    unit = SelectField(validate_choice=False)


class EndedFields(Form):
    """A wait that has ended: its total length."""

    amount = StringField(filters=[_strip])
    unit = SelectField(validate_choice=False)


# Read once per language: a read costs about 3 ms, at least once in each of the form's steps,
# which the bench's "1,000 form posts ... at least 0.25 of the bare insert" line cannot spare.
@functools.cache
def _wtforms_messages(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class PatientForm(BoundedForm):
    """A form of the patients' pages, with WTForms' own messages in the page's language.

    Flask-WTF reads WTForms' catalogue from disk once per request (every field without a
    label asks for one); it is read here once per language and process.
    """

    # BoundedForm.Meta is FlaskForm.Meta; named so here, as mypy cannot see it through
    # Flask-WTF's untyped class.
    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            locale = get_locale()
            return _wtforms_messages(str(locale) if locale else "en")


class ShareForm(PatientForm):
    """The whole story form; the edit page uses it too."""

    max_lengths = {"story": STORY_MAX, "title": TITLE_MAX, "display_name": NAME_MAX,
                   "facility_other": OTHER_MAX, "email": EMAIL_MAX}

    story = TextAreaField()
    title = StringField()
    reporter = RadioField(validate_choice=False)
    facility = SelectField(validate_choice=False)
    facility_other = StringField()
    care_types = SelectMultipleField(validate_choice=False)
    intake = FormField(WaitFields)
    first_return = FormField(WaitFields)
    between_returns = FormField(WaitFields)
    psychiatry = FormField(WaitFields)
    month = StringField(filters=[_strip])
    year = StringField(filters=[_strip])
    outcomes = SelectMultipleField(validate_choice=False)
    consent_publish = BooleanField()
    consent_stats = BooleanField()
    consent_share = BooleanField()
    consent_contact = BooleanField()
    display_name = StringField()
    email = StringField(filters=[_strip])
    # The honeypot: hidden from people (and from screen readers), filled in only by robots.
    website = StringField()
    # One per form shown: the same form sent twice is the same story (services.form_token).
    nonce = HiddenField()

    def wait_fields(self, kind: WaitKind) -> FormField:
        return getattr(self, kind.value)

    def trap_filled(self) -> bool:
        return bool((self.website.data or "").strip())


class WaitEndedForm(PatientForm):
    """The total length of each wait that was "still waiting"."""

    intake = FormField(EndedFields)
    first_return = FormField(EndedFields)
    between_returns = FormField(EndedFields)
    psychiatry = FormField(EndedFields)

    def wait_fields(self, kind: WaitKind) -> FormField:
        return getattr(self, kind.value)


class LinkForm(PatientForm):
    """Where the receipt sends the private link (this once; the address is not stored)."""

    email = StringField()


class ConfirmForm(PatientForm):
    """A form with nothing but its CSRF token (the withdrawal's confirmation)."""


def add_error(field: Field, message: str) -> None:
    """Attach a message to a field, whether or not WTForms validated it yet."""
    field.errors = [*field.errors, message]


def answers_from(submission: Submission) -> dict[str, Any]:
    """The stored answers as raw form values keyed by field name (a draft's shape, see
    share/steps.py), exactly as the patient gave them: where an edit starts."""
    waits = {wait.kind: wait for wait in submission.waits}
    month = submission.experience_month
    answers: dict[str, Any] = {
        "story": submission.original_story or "", "title": submission.original_title or "",
        "reporter": submission.reporter.value,
        "facility": str(submission.facility_id) if submission.facility_id
        else (OTHER_FACILITY if submission.facility_other else ""),
        "facility_other": submission.facility_other or "",
        "care_types": [v for v, bit, _label in CARE_TYPES if submission.care_types & bit],
        "outcomes": [v for v, bit, _label in OUTCOMES if submission.outcomes & bit],
        "month": str(month.month) if month else "", "year": str(month.year) if month else "",
        "display_name": submission.display_name or "", "email": submission.email or "",
    }
    for name in ("consent_publish", "consent_stats", "consent_share", "consent_contact"):
        answers[name] = "y" if getattr(submission, name) else ""
    for kind in WaitKind:
        wait = waits.get(kind)
        answers[f"{kind.value}-state"] = wait.state.value if wait else ""
        answers[f"{kind.value}-amount"] = (_amount_text(wait.amount) if wait and
                                           wait.amount is not None else "")
        answers[f"{kind.value}-unit"] = wait.unit.value if wait and wait.unit else ""
    return answers


def _amount_text(amount: Decimal) -> str:
    return str(int(amount)) if amount == amount.to_integral_value() else str(amount.normalize())
