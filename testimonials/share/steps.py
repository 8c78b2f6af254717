"""The staged journey's pages: their order, their fields, and which waits each patient is asked.

Pure: plain values in, plain values out. A draft's answers are raw form values keyed by field
name (a list for the two groups of checkboxes), exactly as the pages post them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from testimonials.vocab import WaitKind, WaitState

STORY, CONSENT, WHERE, CARE, OUTCOMES, ABOUT = (
    "story", "consent", "where", "care", "outcomes", "about")
WAIT_PREFIX = "wait-"
WAIT_STEPS = tuple(WAIT_PREFIX + kind.value for kind in WaitKind)
ALL_STEPS = (STORY, CONSENT, WHERE, CARE, *WAIT_STEPS, OUTCOMES, ABOUT)
# Pages a patient may pass with nothing filled in (they offer "Skip").
OPTIONAL = frozenset({WHERE, CARE, *WAIT_STEPS, OUTCOMES})
MULTI_VALUED = frozenset({"care_types", "outcomes"})
TEXT_FIELDS = ("story", "title", "facility_other", "display_name")

FIELDS: Mapping[str, tuple[str, ...]] = {
    STORY: ("story", "title"),
    CONSENT: ("consent_publish", "consent_stats", "consent_share", "consent_contact", "reporter"),
    WHERE: ("facility", "facility_other", "month", "year"),
    CARE: ("care_types",),
    **{WAIT_PREFIX + kind.value: (f"{kind.value}-state", f"{kind.value}-amount",
                                  f"{kind.value}-unit") for kind in WaitKind},
    OUTCOMES: ("outcomes",),
    ABOUT: ("display_name", "email"),
}
ANSWER_FIELDS = frozenset(name for names in FIELDS.values() for name in names)
NEVER_OFFERED = WaitState.NEVER_OFFERED.value
# A draft begun before "never offered" was its own answer said "never" (kept for a day at most).
_OLD_NEVER_OFFERED = "never"
THERAPY = frozenset({"individual", "group", "child"})


def wait_step(kind: WaitKind) -> str:
    return WAIT_PREFIX + kind.value


def wait_kind(step: str) -> WaitKind | None:
    return WaitKind(step[len(WAIT_PREFIX):]) if step.startswith(WAIT_PREFIX) else None


def waits_asked(answers: Mapping[str, Any]) -> list[WaitKind]:
    """The waits that fit the kinds of care chosen: everyone's first appointment; the return
    visits for therapy; the psychiatry appointment for psychiatry or medication."""
    chosen = set(_list(answers.get("care_types")))
    asked = [WaitKind.INTAKE]
    if chosen & THERAPY:
        asked += [WaitKind.FIRST_RETURN, WaitKind.BETWEEN_RETURNS]
    if "psychiatry" in chosen:
        asked.append(WaitKind.PSYCHIATRY)
    return asked


def sequence(answers: Mapping[str, Any]) -> list[str]:
    """This patient's pages in order (the waits depend on the care chosen)."""
    waits = [wait_step(kind) for kind in waits_asked(answers)]
    return [STORY, CONSENT, WHERE, CARE, *waits, OUTCOMES, ABOUT]


def next_step(answers: Mapping[str, Any], step: str) -> str | None:
    """The page after `step`, None after the last one (then: check your answers)."""
    order = sequence(answers)
    if step not in order:
        return order[0]
    index = order.index(step)
    return order[index + 1] if index + 1 < len(order) else None


def previous_step(answers: Mapping[str, Any], step: str) -> str | None:
    """The page before `step`, None before the first one (then: the start page)."""
    order = sequence(answers)
    if step not in order:
        return order[-1]
    index = order.index(step)
    return order[index - 1] if index > 0 else None


def position(answers: Mapping[str, Any], step: str) -> tuple[int, int]:
    """(this page's number, how many pages) for "Question 2 of 8"."""
    order = sequence(answers)
    return (order.index(step) + 1 if step in order else len(order), len(order))


def posted_values(step: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """This page's answers as posted: every field of the page, an unticked box as empty.

    `form` is a werkzeug MultiDict (getlist for the checkbox groups) or a plain mapping.
    """
    values: dict[str, Any] = {}
    for name in FIELDS[step]:
        if name in MULTI_VALUED:
            getlist = getattr(form, "getlist", None)
            values[name] = [str(v) for v in (getlist(name) if getlist else _list(form.get(name)))]
        else:
            raw = form.get(name)
            values[name] = raw if isinstance(raw, str) else ""
    return values


def for_sending(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that are sent: waits only for the care chosen, the e-mail only with "contact me"
    (an address typed before unticking it is not kept); "never offered" with no length."""
    asked = {kind.value for kind in waits_asked(answers)}
    sent = {name: value for name, value in answers.items() if name in ANSWER_FIELDS
            and (name.split("-")[0] in asked or "-" not in name)}
    if not answers.get("consent_contact"):
        sent.pop("email", None)
    for kind in asked:
        if sent.get(f"{kind}-state") in (NEVER_OFFERED, _OLD_NEVER_OFFERED):
            sent.update({f"{kind}-state": NEVER_OFFERED, f"{kind}-amount": "",
                         f"{kind}-unit": ""})
    return sent


def typed_text(answers: Mapping[str, Any]) -> str:
    """Everything the patient wrote in their own words, for the crisis check."""
    return "\n".join(value for name in TEXT_FIELDS
                     if isinstance(value := answers.get(name), str) and value)


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value in (None, "") else [value]
