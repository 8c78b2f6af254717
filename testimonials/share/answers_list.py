"""The "check your answers" list: each answer of a draft in words, with the page that changes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from testimonials.share import steps
from testimonials.share.forms import CARE_TYPES, OUTCOMES, REPORTERS, UNITS
from testimonials.share.pages import month_text
from testimonials.vocab import WaitKind
from testimonials.waits import MAX_DAYS, WaitError, beyond_maximum, parse_wait

STORY_PREVIEW = 80  # two lines on a phone: enough to know which story it is
SHORT_ANSWER = 16  # characters: "3 months", "Not answered" beside the question
# Short names for the waits, so that each fits one line of a phone's summary.
WAIT_KEYS = {
    WaitKind.INTAKE: _l("First appointment"),
    WaitKind.FIRST_RETURN: _l("First follow-up"),
    WaitKind.BETWEEN_RETURNS: _l("Between appointments"),
    WaitKind.PSYCHIATRY: _l("Psychiatry appointment"),
}


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    value: str  # one answer a line
    step: str
    field: str  # the id to land on when changing it
    short: bool = False  # key and value fit one line (a short answer beside its question)


def rows(answers: Mapping[str, Any], facilities: Mapping[str, str]) -> list[Row]:
    """A row for each question page, in the order they were asked, "Not answered" where
    skipped: the page a "Change" link leads to holds every answer of its row."""
    title = answers.get("title")
    story = _preview(answers.get("story"))
    found = [
        _row(_("Your story"), f"{_text(title)}\n{story}" if _filled(title) else story,
             steps.STORY, "story"),
        _row(_("Your permission"),
             f"{_consents(answers)}\n{_label(REPORTERS, answers.get('reporter'))}",
             steps.CONSENT, "consent_publish"),
        _row(_("Where and when"), _where(answers, facilities), steps.WHERE, "facility"),
        _row(_("Kind of care"), _labels([(v, label) for v, _b, label in CARE_TYPES],
                                        answers.get("care_types")), steps.CARE, "care_types-0"),
    ]
    for kind in steps.waits_asked(answers):
        found.append(_row(str(WAIT_KEYS[kind]), wait_text(answers, kind), steps.wait_step(kind),
                          f"{kind.value}-state-0"))
    found.append(_row(_("Because of the wait"),
                      _labels([(v, label) for v, _b, label in OUTCOMES], answers.get("outcomes")),
                      steps.OUTCOMES, "outcomes-0"))
    name = _text(answers.get("display_name")) if _filled(answers.get("display_name")) else _(
        "Anonymous")
    if answers.get("consent_contact"):
        name = f"{name}\n{_text(answers.get('email'))}"
    found.append(_row(_("Name to show"), name, steps.ABOUT, "display_name"))
    return found


def _row(key: str, value: str, step: str, field: str) -> Row:
    """A row, its answer beside the question when it is one short line ("March 2025", "Not
    answered"): on a phone that saves a line a row."""
    return Row(key, value, step, field, short="\n" not in value and len(value) <= SHORT_ANSWER)


def wait_text(answers: Mapping[str, Any], kind: WaitKind) -> str:
    """"3 weeks", "Still waiting: 2 months so far", "Never offered one", "Not answered";
    "36 months (730 days or more)" for a wait longer than two years."""
    state = answers.get(f"{kind.value}-state") or ""
    amount = str(answers.get(f"{kind.value}-amount") or "").strip()
    unit_value = str(answers.get(f"{kind.value}-unit") or "")
    unit = dict(UNITS).get(unit_value, "")
    length = f"{amount} {unit}".strip() if amount and unit else amount
    if length and _beyond(kind, amount, unit_value):
        length = _("%(given)s (%(days)s)", given=length,
                   days=_("%(num)s days or more", num=MAX_DAYS))
    if state in (steps.NEVER_OFFERED, "never"):
        return _("Never offered one")
    if state == "gave_up":
        return _("Gave up after %(length)s", length=length) if length else _("Gave up")
    if state == "waiting":
        return _("Still waiting: %(length)s so far", length=length)
    if length:
        return length
    return _("Not answered")


def _beyond(kind: WaitKind, amount: str, unit: str) -> bool:
    try:
        answer = parse_wait(kind, None, amount, unit)
    except WaitError:
        return False
    return answer is not None and beyond_maximum(answer.amount, answer.unit)


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _preview(value: Any) -> str:
    text = " ".join(_text(value).split())  # one paragraph: the whole story is a page away
    return text if len(text) <= STORY_PREVIEW else text[:STORY_PREVIEW].rstrip() + "\u2026"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else _("Not answered")


def _label(choices: list[tuple[str, Any]], value: Any) -> str:
    return str(dict(choices).get(value, _("Not answered")))


def _labels(choices: list[tuple[str, Any]], values: Any) -> str:
    chosen = set(values) if isinstance(values, list) else set()
    words = [str(label) for value, label in choices if value in chosen]
    return ", ".join(words) if words else _("Not answered")


def _consents(answers: Mapping[str, Any]) -> str:
    given = [  # in a few words: the page a "Change" away says them in full
        ("consent_publish", _("Publish")),
        ("consent_stats", _("Statistics")),
        ("consent_share", _("Share with officials and the press")),
        ("consent_contact", _("Contact by e-mail")),
    ]
    words = [text for name, text in given if answers.get(name)]
    return ", ".join(words) if words else _("Not answered")


def _facility(answers: Mapping[str, Any], facilities: Mapping[str, str]) -> str:
    chosen = answers.get("facility") or ""
    other = answers.get("facility_other") or ""
    if chosen and chosen != "other":
        return facilities.get(chosen, _("Not answered"))
    if other:
        return str(other)
    return _("Other / not listed") if chosen == "other" else _("Not answered")


def _where(answers: Mapping[str, Any], facilities: Mapping[str, str]) -> str:
    facility, month = _facility(answers, facilities), _month(answers)
    given = [text for text in (facility, month) if text != _("Not answered")]
    return "\n".join(given) if given else _("Not answered")


def _month(answers: Mapping[str, Any]) -> str:
    month, year = str(answers.get("month") or ""), str(answers.get("year") or "")
    if month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and 2000 <= int(year) <= 9999:
        return month_text(dt.date(int(year), int(month), 1)) or ""
    return f"{month} {year}".strip() or _("Not answered")
