"""The words readers see for the domain's values, and the sentences built from them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from testimonials.public.queries import PublicWait
from testimonials.stats.universe import CARE_LABELS
from testimonials.vocab import CareType, Outcome, WaitKind, WaitState
from testimonials.waits import MAX_DAYS, URGENT

# The words the statistics name their groups with: one set for /stories and /stats.
CARE_TYPE = {CareType(bit): _l(label) for bit, label in CARE_LABELS.items()}
# Nouns, so that they read alike in a filter ("What happened: ...") and on a story, and do
# not share the form's first-person wording in translation.
OUTCOME = {
    Outcome.EMERGENCY_ROOM: _l("A visit to an emergency room"),
    Outcome.PAID_OUT_OF_POCKET: _l("Paying out of pocket for care elsewhere"),
    Outcome.STOPPED_TREATMENT: _l("Stopping treatment"),
    Outcome.GOT_WORSE: _l("A condition getting worse"),
    Outcome.REFERRED_OUT: _l("A referral outside the network"),
}
WAIT_KIND = {
    WaitKind.INTAKE: _l("First (intake) appointment"),
    WaitKind.FIRST_RETURN: _l("First return appointment after intake"),
    WaitKind.BETWEEN_RETURNS: _l("Usual gap between return appointments"),
    WaitKind.PSYCHIATRY: _l("First psychiatry or medication appointment"),
}


_WORDS: dict[tuple[int, str], dict[Any, str]] = {}


def words(mapping: Mapping[Any, Any]) -> dict[Any, str]:
    """`mapping` with its lazy strings translated into this request's language, once each.

    Catalogues do not change while the app runs, so the translations are kept per language:
    a page of twenty stories would otherwise translate the same labels hundreds of times.
    """
    key = (id(mapping), str(get_locale()))
    found = _WORDS.get(key)
    if found is None:
        found = _WORDS[key] = {member: str(label) for member, label in mapping.items()}
    return found


def days(number: int) -> str:
    return ngettext("%(num)s day", "%(num)s days", number)


def wait_text(wait: PublicWait) -> str:
    """How long the wait was, as a reader would say it."""
    if wait.days is not None and wait.days >= MAX_DAYS:  # counted as "730 days or more"
        return {WaitState.ENDED: _("%(num)s days or more", num=MAX_DAYS),
                WaitState.WAITING: _("still waiting after %(num)s days or more", num=MAX_DAYS),
                WaitState.GAVE_UP: _("gave up after %(num)s days or more", num=MAX_DAYS),
                WaitState.NEVER_OFFERED: _("never offered one in %(num)s days or more",
                                           num=MAX_DAYS)}[wait.state]
    if wait.state is WaitState.ENDED and wait.days is not None:
        return days(wait.days)
    if wait.state is WaitState.WAITING and wait.days is not None:
        return ngettext("still waiting after %(num)s day", "still waiting after %(num)s days",
                        wait.days)
    if wait.state is WaitState.NEVER_OFFERED:
        if wait.days is not None:
            return ngettext("never offered one in %(num)s day", "never offered one in %(num)s days",
                            wait.days)
        return str(_l("never offered an appointment"))
    if wait.days is not None:
        return ngettext("gave up after %(num)s day", "gave up after %(num)s days", wait.days)
    return str(_l("gave up"))


def standard_text(kind: WaitKind, care_types: int,
                  standards: Mapping[str, Mapping[str, int]]) -> str | None:
    """The legal standard for this wait as the law words it ("10 business days")."""
    key = URGENT if kind is WaitKind.INTAKE and care_types & CareType.CRISIS else kind.value
    rule = standards.get(key) or {}
    if "business_days" in rule:
        return ngettext("%(num)s business day", "%(num)s business days", rule["business_days"])
    if "hours" in rule:
        return ngettext("%(num)s hour", "%(num)s hours", rule["hours"])
    if "days" in rule:
        return days(rule["days"])
    return None


def over_standard(wait: PublicWait) -> bool | None:
    """True past the standard, False within it, None when not known (see waits.exceeds_standard)."""
    if wait.standard_days is None or wait.days is None:
        return None
    if wait.days > wait.standard_days:
        return True
    return False if wait.state is WaitState.ENDED else None


def members(value: int, labels: Mapping[Any, Any]) -> list[str]:
    """The labels of the bits set in `value`, in the order of the enumeration."""
    return [label for member, label in words(labels).items() if value & member]
