"""What the review page shows: the original with its matches marked, the answers at a glance.

Pure: the view passes a submission and names; the template gets plain values. Text is split
into segments (text, kind) so that the template marks matches with <mark> while Jinja
escapes every character the patient typed (no |safe anywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from testimonials.flags import Match, find_crisis, find_personal_data
from testimonials.models import Submission, Wait
from testimonials.moderate import labels
from testimonials.vocab import CareType, Flag, Outcome, Status, members
from testimonials.waits import standard_days


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str | None  # None: plain text; else a flags.* kind ("email", "name", "crisis"...)


@dataclass(frozen=True)
class WaitLine:
    label: Any
    state: Any
    amount: str  # "3 months (91 days)", or "" when none was given
    over_standard: bool | None  # None: no standard, or not known


def matches(text: str) -> list[Match]:
    """Personal data and crisis language, sorted, never overlapping (personal data wins)."""
    found = find_personal_data(text)
    for crisis in find_crisis(text):
        if all(crisis.end <= m.start or crisis.start >= m.end for m in found):
            found.append(crisis)
    return sorted(found, key=lambda m: m.start)


def segments(text: str | None, found: list[Match] | None = None) -> list[Segment]:
    """The text cut into plain and marked pieces, in order, joining back to exactly `text`."""
    if not text:
        return []
    found = matches(text) if found is None else found
    pieces: list[Segment] = []
    position = 0
    for match in found:
        if match.start > position:
            pieces.append(Segment(text[position:match.start], None))
        pieces.append(Segment(text[match.start:match.end], match.kind))
        position = match.end
    if position < len(text):
        pieces.append(Segment(text[position:], None))
    return pieces


def wait_lines(submission: Submission, standards: Mapping[str, Mapping[str, int]],
               length_text: Callable[[Wait], str]) -> list[WaitLine]:
    """Each wait; `length_text` words its length in the reader's language, plurals and all
    ("1 week (7 days)")."""
    lines = []
    for wait in submission.waits:
        given = wait.days is not None or (wait.amount is not None and wait.unit is not None)
        amount = length_text(wait) if given else ""
        limit = standard_days(wait.kind, submission.care_types, standards)
        over = None
        if limit is not None and wait.days is not None and not wait.state.days_optional:
            over = wait.days > limit
        lines.append(WaitLine(labels.WAIT_KIND[wait.kind], labels.WAIT_STATE[wait.state],
                              amount, over))
    return lines


def conflict_kind(status: Status, last_actor: str | None, patient: str) -> str:
    """What happened to an item while a moderator was reading it (their version was stale):
    "withdrawn", "patient_edit" (still pending, last changed by the patient), "changed"
    (still pending, changed otherwise) or "decided" (someone else decided it)."""
    if status is Status.WITHDRAWN:
        return "withdrawn"
    if status is Status.PENDING:
        return "patient_edit" if last_actor == patient else "changed"
    return "decided"


def typed_form(defaults: Mapping[str, str], posted: Mapping[str, str]) -> dict[str, str]:
    """The form as the moderator left it: what they sent, the item's own values for the
    fields their form did not hold (a reject form sends no public version)."""
    return {key: posted.get(key, value) for key, value in defaults.items()}


def fields_offered(submission: Submission) -> set[str]:
    """The text fields the review page offers for this item (as its template shows them)."""
    offered = set()
    if submission.status in (Status.PENDING, Status.APPROVED) and not submission.erased_at:
        offered.add("public_story")
    if submission.status is Status.PENDING or (submission.status is Status.APPROVED
                                               and submission.published_at is not None):
        offered.add("reason")
    return offered


def flag_list(flags: int) -> list[dict[str, Any]]:
    """Each flag set, with its label and text mark, crisis first."""
    order = [Flag.CRISIS, Flag.PERSONAL_DATA, Flag.DUPLICATE]
    return [{"key": flag.name.lower(), "label": labels.FLAG[flag],  # type: ignore[union-attr]
             "mark": labels.FLAG_MARK[flag]} for flag in order if flags & flag]


def answers(submission: Submission) -> dict[str, Any]:
    """The patient's other answers, as lists of labels."""
    return {
        "reporter": labels.REPORTER[submission.reporter],
        "care_types": [labels.CARE_TYPE[CareType(m)] for m in members(submission.care_types,
                                                                       CareType)],
        "outcomes": [labels.OUTCOME[Outcome(m)] for m in members(submission.outcomes, Outcome)],
        "consents": [
            ("publish", submission.consent_publish), ("stats", submission.consent_stats),
            ("share", submission.consent_share), ("contact", submission.consent_contact),
        ],
        "language": labels.LANGUAGE.get(submission.language.value, submission.language.value),
    }
