"""Pure generation of demo submissions: the same seed and chunk always give the same rows.

Work is cut into chunks with their own seeds, so chunks can be generated in parallel
processes and still come out identical. Rows are plain dicts ready for a bulk insert.

The data set looks like a site in use: submissions come in a little faster as the campaign
grows; each is decided by one of the demo accounts some hours or days after it arrived, in
working hours, and the decision is in the audit log; what has not been decided by `until`
is the queue, so the queue holds the last days' stories, never ones years old.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import math
import random
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from testimonials.demo.texts import story_for
from testimonials.text import content_fingerprint
from testimonials.vocab import (
    CareType,
    Flag,
    Language,
    Outcome,
    Reporter,
    Status,
    Unit,
    WaitKind,
    WaitState,
)
from testimonials.waits import to_days

# kind: (share answered, median days of an ended wait, spread, share still waiting, gave up)
WAIT_PROFILES = {
    WaitKind.INTAKE: (0.85, 18, 0.8, 0.07, 0.04),
    WaitKind.FIRST_RETURN: (0.75, 56, 0.7, 0.14, 0.07),
    WaitKind.BETWEEN_RETURNS: (0.55, 35, 0.6, 0.06, 0.05),
    WaitKind.PSYCHIATRY: (0.45, 42, 0.75, 0.12, 0.08),
}
CARE_SHARES = [(CareType.INDIVIDUAL, 0.7), (CareType.GROUP, 0.3), (CareType.PSYCHIATRY, 0.35),
               (CareType.CRISIS, 0.07), (CareType.CHILD, 0.15), (CareType.INTAKE_ONLY, 0.08)]
OUTCOME_SHARES = [(Outcome.EMERGENCY_ROOM, 0.08), (Outcome.PAID_OUT_OF_POCKET, 0.2),
                  (Outcome.STOPPED_TREATMENT, 0.15), (Outcome.GOT_WORSE, 0.35),
                  (Outcome.REFERRED_OUT, 0.12)]
# What a decision was, once made: most approved; about a fifth refused (not about waiting,
# or not to be told without identifying someone); some spam from the open form.
DECISION_SHARES = [(Status.APPROVED, 0.72), (Status.REJECTED, 0.22), (Status.SPAM, 0.06)]
DECISION_ACTIONS = {Status.APPROVED: "approve", Status.REJECTED: "reject", Status.SPAM: "spam"}
# Hours from arrival to decision: a volunteer team decides most items within a few days
# (median 60 hours), a few wait up to three weeks; crisis items, pinned on top, within hours.
DECISION_MEDIAN_HOURS, DECISION_SPREAD, DECISION_MAX_HOURS = 60.0, 0.9, 21 * 24.0
CRISIS_DECISION_HOURS = (0.3, 8.0)
# Moderators work from 7 in the morning to 10 at night, Pacific (standard) time.
PACIFIC_OFFSET_HOURS, WORK_STARTS, WORK_ENDS = -8, 7.0, 22.0
# The first demo account (the moderator) makes most decisions; the others share the rest.
LEAD_MODERATOR_SHARE = 0.7
# Submissions per day grow as e^(GROWTH x share of the span gone): the last days get about
# twice the average, as a campaign that is being heard does.
GROWTH = 2.0
OTHER_FACILITIES = ["Private practice", "County behavioral health clinic", "Community clinic",
                    "University counseling center", "Telehealth provider"]
FIRST_NAMES = ["Maria", "James", "Ana", "David", "Lupe", "Chris", "Jenny", "Luis", "Sam", "Rosa",
               "Mike", "Alex", "Teresa", "Kim", "Jordan", "Carmen", "Tony", "Leah", "Omar", "Grace"]
REJECT_REASONS = ["The story did not describe waiting for care.",
                  "We could not remove the identifying details without changing the story."]
SPAN_DAYS = 3 * 365
# Plain values for the hot loop (an enum's .value and flag arithmetic cost more than the
# random draws around them); the answers are the same.
_CARE_BITS = [(int(bit), share) for bit, share in CARE_SHARES]
_OUTCOME_BITS = [(int(bit), share) for bit, share in OUTCOME_SHARES]
_CHILD, _INDIVIDUAL = int(CareType.CHILD), int(CareType.INDIVIDUAL)
_WAIT_PROFILES = [(kind.value, WAIT_PROFILES[kind]) for kind in WaitKind]
# Few distinct (amount, unit) pairs, each worked out once: about 8 microseconds a call saved on
# two million waits, some 16 s of the bench's "demo load --count 1000000 in under 3 minutes".
_to_days = functools.cache(to_days)
_GROWN = math.expm1(GROWTH)
_LOG_MEDIAN = math.log(DECISION_MEDIAN_HOURS)
_PACIFIC = dt.timedelta(hours=PACIFIC_OFFSET_HOURS)
_EN, _ES = Language.EN.value, Language.ES.value
_PARENT = Reporter.PARENT.value
_REPORTER_SHARES = [(Reporter.PATIENT.value, 0.7), (_PARENT, 0.2), (Reporter.FAMILY.value, 0.1)]
_WAITING, _GAVE_UP, _ENDED = (WaitState.WAITING.value, WaitState.GAVE_UP.value,
                              WaitState.ENDED.value)


@dataclass(frozen=True)
class Context:
    """What every chunk needs to know: the facilities and the time span."""

    seed: int
    count: int
    first_id: int
    until: dt.datetime  # aware UTC; the newest submission is just before this
    facilities: tuple[tuple[int, int, str], ...]  # (facility id, region id, city)
    facility_weights: tuple[float, ...]
    # The demo accounts that decide items: (account id, e-mail), the lead moderator first.
    moderators: tuple[tuple[int, str], ...]
    # The audit entry id that the first decision of this load may take.
    first_audit_id: int = 1
    # None: the realistic mix; "approved" (all approved and published) or "pending", for
    # the benchmarks that need 100,000 stories of one kind.
    only_status: str | None = None


def chunk_rng(seed: int, first_id: int, chunk_index: int) -> random.Random:
    # The first id is part of the seed: a second load on top of a first one, with the same
    # seed, makes new stories and new receipt tokens rather than copies of the first.
    start = "" if first_id == 1 else f":{first_id}"
    return random.Random(f"waitline-demo:{seed}{start}:{chunk_index}")


def facility_weights(seed: int, count: int) -> tuple[float, ...]:
    """Uneven sizes, as real clinics have: a few large medical centres, many small offices."""
    rng = random.Random(f"waitline-demo-weights:{seed}")
    return tuple(rng.paretovariate(1.5) for _ in range(count))


def generate_chunk(context: Context, chunk_index: int, chunk_size: int
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Submissions, their waits and the audit entries of their decisions for one chunk of ids.

    A chunk's entries take ids from a range of its own, in the order the decisions were made.
    """
    rng = chunk_rng(context.seed, context.first_id, chunk_index)
    start = context.first_id + chunk_index * chunk_size
    stop = min(start + chunk_size, context.first_id + context.count)
    submissions, waits, audits = [], [], []
    # What rng.choices(weights=...) would add up on every call, added up once.
    places = list(itertools.accumulate(context.facility_weights))
    for item_id in range(start, stop):
        submission, item_waits, entry = _one(rng, context, item_id, places)
        submissions.append(submission)
        waits.extend(item_waits)
        if entry is not None:
            audits.append(entry)
    audits.sort(key=itemgetter("created_at", "submission_id"))
    first_audit_id = context.first_audit_id + chunk_index * chunk_size
    for rank, entry in enumerate(audits):
        entry["id"] = first_audit_id + rank
    return submissions, waits, audits


def _created_at(context: Context, item_id: int, rng: random.Random) -> dt.datetime:
    # Ids grow with time, as they would on a real site; more of them as the span goes on.
    position = (item_id - context.first_id + rng.random()) / max(context.count, 1)
    gone = math.log1p(position * _GROWN) / GROWTH
    return context.until - dt.timedelta(seconds=SPAN_DAYS * 86400 * (1 - gone))


def _decided_at(rng: random.Random, created: dt.datetime, crisis: bool) -> dt.datetime:
    """When a moderator gets to an item: hours or days after it came, in working hours."""
    if crisis:
        hours = rng.uniform(*CRISIS_DECISION_HOURS)
    else:
        hours = min(rng.lognormvariate(_LOG_MEDIAN, DECISION_SPREAD), DECISION_MAX_HOURS)
    later = rng.uniform(0.0, 3.0)  # how long into the morning a night's arrival waits
    moment = created + dt.timedelta(hours=hours)
    local = moment + _PACIFIC
    clock = local.hour + local.minute / 60
    if clock >= WORK_ENDS:
        moment += dt.timedelta(hours=24 - clock + WORK_STARTS + later)
    elif clock < WORK_STARTS:
        moment += dt.timedelta(hours=WORK_STARTS - clock + later)
    return moment


def _moderator(rng: random.Random, context: Context) -> tuple[int, str] | None:
    if not context.moderators:
        return None
    roll = rng.random()
    if roll < LEAD_MODERATOR_SHARE or len(context.moderators) == 1:
        return context.moderators[0]
    # The rest of the roll, spread evenly over the others.
    share = (roll - LEAD_MODERATOR_SHARE) / (1 - LEAD_MODERATOR_SHARE)
    return context.moderators[1 + int(share * (len(context.moderators) - 1))]


def _decision_entry(submission: dict[str, Any], status: Status,
                    moderator: tuple[int, str]) -> dict[str, Any]:
    """The audit entry moderation.approve/reject/mark_spam would write for this decision.

    Only the fields the decision changed, before and after, as the service records them; an
    approval's public text (the patient's own, unchanged) is left out, to keep the load fast.
    """
    before: dict[str, Any] = {"status": Status.PENDING.value}
    after: dict[str, Any] = {"status": status.value}
    if submission["published_at"] is not None:
        before["published_at"] = None
        after["published_at"] = submission["published_at"].isoformat()
    if submission["counted_in_stats"]:
        before["counted_in_stats"], after["counted_in_stats"] = False, True
    if submission["decision_reason"] is not None:
        before["decision_reason"] = None
        after["decision_reason"] = submission["decision_reason"]
    return {
        "id": None, "created_at": submission["moderated_at"], "actor_id": moderator[0],
        "actor_label": moderator[1][:64], "action": DECISION_ACTIONS[status],
        "submission_id": submission["id"], "subject": None, "before": before, "after": after,
        "reason": submission["decision_reason"],
    }


def _pick(rng: random.Random, shares: list[tuple[Any, float]]) -> Any:
    roll, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if roll < total:
            return value
    return shares[-1][0]


def _bits(rng: random.Random, shares: list[tuple[int, float]], scale: float = 1.0) -> int:
    draw = rng.random
    return sum(bit for bit, share in shares if draw() < min(share * scale, 0.95))


def _wait_answer(rng: random.Random, profile: tuple[float, int, float, float, float]
                 ) -> tuple[str, int | None, Any, str | None] | None:
    """(state, days, amount, unit), the state and unit as their values; None: not answered."""
    answered, median, spread, waiting, gave_up = profile
    if rng.random() >= answered:
        return None
    roll = rng.random()
    state = _WAITING if roll < waiting else (_GAVE_UP if roll < waiting + gave_up else _ENDED)
    if state == _GAVE_UP and rng.random() < 0.5:
        return state, None, None, None
    days = min(730, max(0, int(rng.lognormvariate(math.log(median), spread))))
    # Say it as people do: days when short, weeks for a couple of months, else months.
    if days < 14:
        amount, unit = max(days, 1), Unit.DAYS
    elif days < 70 or rng.random() < 0.3:
        amount, unit = max(1, round(days / 7)), Unit.WEEKS
    else:
        amount, unit = max(1, round(days / 30.4375)), Unit.MONTHS
    return state, _to_days(amount, unit), amount, unit.value


def _one(rng: random.Random, context: Context, item_id: int, places: list[float]
         ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    created = _created_at(context, item_id, rng)
    language = _ES if rng.random() < 0.28 else _EN
    reporter = _pick(rng, _REPORTER_SHARES)
    care = _bits(rng, _CARE_BITS) or _INDIVIDUAL
    if reporter == _PARENT:
        care |= _CHILD
    facility = (rng.choices(context.facilities, cum_weights=places)[0]
                if context.facilities and rng.random() < 0.93 else None)
    answers = {kind: answer for kind, profile in _WAIT_PROFILES
               if (answer := _wait_answer(rng, profile)) is not None}
    longest = max((a[1] or 0 for a in answers.values()), default=0)
    outcomes = _bits(rng, _OUTCOME_BITS, scale=0.6 + longest / 120)
    crisis = rng.random() < 0.03
    # What moderators have not got to by `until` is the queue.
    decided_at = _decided_at(rng, created, crisis)
    moderator = _moderator(rng, context)
    status = _pick(rng, DECISION_SHARES) if decided_at < context.until else Status.PENDING
    if context.only_status:
        status = Status(context.only_status)
    personal = status is Status.PENDING and rng.random() < 0.12
    title, story = story_for(
        rng, language=language, facility_city=facility[2] if facility else None,
        reporter=reporter, care_types=care, outcomes=outcomes,
        waits={kind: (a[0], a[1]) for kind, a in answers.items()},
        crisis=crisis, personal_data=personal,
    )
    consent_publish = rng.random() < 0.8 or context.only_status == Status.APPROVED.value
    consent_stats = rng.random() < 0.9 or not consent_publish
    consent_contact = rng.random() < 0.2
    experience = (created - dt.timedelta(days=rng.randint(0, 240))).date().replace(day=1)
    moderated = status is not Status.PENDING
    moderated_at = min(decided_at, context.until) if moderated else None
    approved = status is Status.APPROVED
    flags = (Flag.CRISIS if crisis else 0) | (Flag.PERSONAL_DATA if personal else 0)
    submission = {
        "id": item_id, "status": status.value, "language": language,
        # What text_language.detect reads in every demo story (tests/unit/test_demo_texts.py),
        # without reading them: the detector was 40% of generating a row.
        "story_language": language,
        "reporter": reporter,
        "facility_id": facility[0] if facility else None,
        "region_id": facility[1] if facility else None,
        "facility_other": None if facility else rng.choice(OTHER_FACILITIES),
        "care_types": care, "outcomes": outcomes, "experience_month": experience,
        "original_title": title, "original_story": story,
        "public_title": title if approved else None, "public_story": story if approved else None,
        "display_name": (f"{rng.choice(FIRST_NAMES)} {chr(65 + rng.randrange(26))}."
                         if rng.random() < 0.35 else None),
        "email": f"patient{item_id}@example.org" if consent_contact else None,
        "consent_publish": consent_publish, "consent_stats": consent_stats,
        "consent_share": rng.random() < 0.5, "consent_contact": consent_contact,
        "flags": int(flags), "is_urgent": crisis,
        "counted_in_stats": approved and consent_stats,
        "token_hash": hashlib.sha256(rng.getrandbits(128).to_bytes(16, "big")).hexdigest(),
        "fingerprint": content_fingerprint(story),
        "decision_reason": rng.choice(REJECT_REASONS) if status is Status.REJECTED else None,
        "moderator_note": None,
        "moderated_by_id": moderator[0] if moderated and moderator else None,
        "created_at": created, "updated_at": moderated_at or created,
        "moderated_at": moderated_at,
        "published_at": moderated_at if approved and consent_publish else None,
        "first_published_at": moderated_at if approved and consent_publish else None,
        "withdrawn_at": None, "erased_at": None, "version": 1,
    }
    waits = [
        {"submission_id": item_id, "kind": kind, "state": a[0], "days": a[1],
         "amount": a[2], "unit": a[3], "ended_reported_at": None}
        for kind, a in answers.items()
    ]
    entry = _decision_entry(submission, status, moderator) if moderated and moderator else None
    return submission, waits, entry
