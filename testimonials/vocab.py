"""The words of the domain: every enumeration shared by models, forms, rules and statistics.

Pure: no Flask, no database. String enums are stored as their value; the two bit sets
(care types, outcomes) are stored as an integer so one indexed column answers a filter.
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """Where a submission stands in moderation."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"
    WITHDRAWN = "withdrawn"


class Reporter(enum.StrEnum):
    """Who is telling the story."""

    PATIENT = "patient"
    PARENT = "parent"  # parent or guardian
    FAMILY = "family"  # other family member or carer


class WaitKind(enum.StrEnum):
    """The four waits a patient can report, in the order the form asks for them."""

    INTAKE = "intake"  # first (intake) appointment
    FIRST_RETURN = "first_return"  # first return (follow-up) appointment after intake
    BETWEEN_RETURNS = "between_returns"  # usual gap between return appointments
    PSYCHIATRY = "psychiatry"  # first psychiatry / medication appointment


class WaitState(enum.StrEnum):
    """How a wait ended, if it did."""

    ENDED = "ended"  # got the appointment after `days`
    WAITING = "waiting"  # still waiting, `days` so far (a censored observation)
    GAVE_UP = "gave_up"  # stopped waiting; `days` optional
    NEVER_OFFERED = "never_offered"  # asked, and no appointment was ever offered; `days` optional

    @property
    def days_optional(self) -> bool:
        """True for the answers that may come without a number of days."""
        return self in (WaitState.GAVE_UP, WaitState.NEVER_OFFERED)


class Unit(enum.StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


class CareType(enum.IntFlag):
    """Kinds of care a story is about (a bit set)."""

    INDIVIDUAL = 1
    GROUP = 2
    PSYCHIATRY = 4  # psychiatry / medication
    CRISIS = 8  # crisis or urgent
    CHILD = 16  # child and adolescent
    INTAKE_ONLY = 32


class Outcome(enum.IntFlag):
    """What happened as a result of the wait (a bit set)."""

    EMERGENCY_ROOM = 1
    PAID_OUT_OF_POCKET = 2
    STOPPED_TREATMENT = 4
    GOT_WORSE = 8
    REFERRED_OUT = 16


class Flag(enum.IntFlag):
    """What the automatic checks found on arrival (a bit set)."""

    PERSONAL_DATA = 1
    CRISIS = 2
    DUPLICATE = 4


class Role(enum.StrEnum):
    MODERATOR = "moderator"
    ADMIN = "admin"


class Language(enum.StrEnum):
    EN = "en"
    ES = "es"


def members(flag_value: int, flag_type: type[enum.IntFlag]) -> list[enum.IntFlag]:
    """The single members set in `flag_value`, in definition order."""
    return [member for member in flag_type if flag_value & member]
