"""The "check your answers" list: each answer of a draft in words, with the page that changes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from testimonials.share import steps
from testimonials.share.forms import CARE_TYPES, OUTCOMES, REPORTERS, UNITS, WAIT_QUESTIONS
from testimonials.share.pages import month_text
from testimonials.vocab import WaitKind

STORY_PREVIEW = 280


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    value: str
    step: str
    field: str  # the id to land on when changing it


def rows(answers: Mapping[str, Any], facilities: Mapping[str, str]) -> list[Row]:
    """Every answer of the journey in the order it was asked, "Not answered" where skipped."""
    found = [
        Row(_("Your story"), _preview(answers.get("story")), steps.STORY, "story"),
        Row(_("Title"), _text(answers.get("title")), steps.STORY, "title"),
        Row(_("What we may do with it"), _consents(answers), steps.CONSENT, "consent_publish"),
        Row(_("Who is telling"), _label(REPORTERS, answers.get("reporter")), steps.CONSENT,
            "reporter-0"),
        Row(_("Clinic or medical center"), _facility(answers, facilities), steps.WHERE,
            "facility"),
        Row(_("When"), _month(answers), steps.WHERE, "month"),
        Row(_("Kind of care"), _labels([(v, label) for v, _b, label in CARE_TYPES],
                                       answers.get("care_types")), steps.CARE, "care_types-0"),
    ]
    for kind in steps.waits_asked(answers):
        found.append(Row(str(WAIT_QUESTIONS[kind][0]), wait_text(answers, kind),
                         steps.wait_step(kind), f"{kind.value}-state-0"))
    found.append(Row(_("Because of the wait"),
                     _labels([(v, label) for v, _b, label in OUTCOMES], answers.get("outcomes")),
                     steps.OUTCOMES, "outcomes-0"))
    found.append(Row(_("Name to show"), _text(answers.get("display_name")) if
                     answers.get("display_name") else _("Anonymous"), steps.ABOUT,
                     "display_name"))
    if answers.get("consent_contact"):
        found.append(Row(_("E-mail address"), _text(answers.get("email")), steps.ABOUT, "email"))
    return found


def wait_text(answers: Mapping[str, Any], kind: WaitKind) -> str:
    """"3 weeks", "Still waiting: 2 months so far", "Never offered one", "Not answered"."""
    state = answers.get(f"{kind.value}-state") or ""
    amount = str(answers.get(f"{kind.value}-amount") or "").strip()
    unit = dict(UNITS).get(str(answers.get(f"{kind.value}-unit") or ""), "")
    length = f"{amount} {unit}".strip() if amount and unit else amount
    if state == "never":
        return _("Never offered one")
    if state == "gave_up":
        return _("Gave up after %(length)s", length=length) if length else _("Gave up")
    if state == "waiting":
        return _("Still waiting: %(length)s so far", length=length)
    if length:
        return length
    return _("Not answered")


def _preview(value: Any) -> str:
    text = _text(value)
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
    given = [
        ("consent_publish", _("publish your story")),
        ("consent_stats", _("count your answers in the statistics")),
        ("consent_share", _("share your story with legislators, regulators and the press")),
        ("consent_contact", _("contact you by e-mail")),
    ]
    words = [text for name, text in given if answers.get(name)]
    joined = "; ".join(words)
    return joined[:1].upper() + joined[1:] if words else _("Not answered")


def _facility(answers: Mapping[str, Any], facilities: Mapping[str, str]) -> str:
    chosen = answers.get("facility") or ""
    other = answers.get("facility_other") or ""
    if chosen and chosen != "other":
        return facilities.get(chosen, _("Not answered"))
    if other:
        return str(other)
    return _("Other / not listed") if chosen == "other" else _("Not answered")


def _month(answers: Mapping[str, Any]) -> str:
    month, year = str(answers.get("month") or ""), str(answers.get("year") or "")
    if month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and 2000 <= int(year) <= 9999:
        return month_text(dt.date(int(year), int(month), 1)) or ""
    return f"{month} {year}".strip() or _("Not answered")
