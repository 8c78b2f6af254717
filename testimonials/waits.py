"""Wait answers as patients give them, and the legal standards they are measured against.

Pure: no Flask, no database. Errors carry a machine-readable `code`; the form layer turns
codes into messages in the patient's language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from testimonials.vocab import CareType, Unit, WaitKind, WaitState

MAX_DAYS = 730  # longer waits are kept as typed and counted as 730 days ("730 days or more")
# A longer answer is no wait a person lives through: a slip of the keyboard, refused.
ABSURD_DAYS = 36_525  # 100 years
EARLIEST_YEAR = 2000
# 365.2425 / 12, the average Gregorian month. (30.4375 is the Julian month: with it 24
# months would round to 731 days and fall outside the form's own 0-730 range.)
DAYS_PER_MONTH = Decimal("30.436875")
_DAYS_PER_UNIT = {Unit.DAYS: Decimal(1), Unit.WEEKS: Decimal(7), Unit.MONTHS: DAYS_PER_MONTH}

# California's timely-access standards: 28 CCR 1300.67.2.2 and Health and Safety Code
# 1367.03 (as amended by SB 221). Keys are WaitKind values, plus "urgent".
URGENT = "urgent"
CALIFORNIA_STANDARDS: Mapping[str, Mapping[str, int]] = {
    WaitKind.INTAKE.value: {"business_days": 10},  # first non-urgent, non-physician provider
    WaitKind.FIRST_RETURN.value: {"business_days": 10},  # follow-up, non-physician provider
    WaitKind.BETWEEN_RETURNS.value: {"business_days": 10},
    WaitKind.PSYCHIATRY.value: {"business_days": 15},  # first non-urgent, psychiatrist
    URGENT: {"hours": 48},  # without prior authorisation
}
_STANDARD_UNITS = ("business_days", "days", "hours")

# Whole or decimal numbers with "." or "," as the decimal mark; no signs, exponents, NaN.
_NUMBER = re.compile(r"(?=[.,]?[0-9])(?P<whole>[0-9]*)(?:[.,](?P<fraction>[0-9]*))?")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_MAX_AMOUNT_DIGITS = 12  # a longer number is no wait a person lives through


class WaitError(ValueError):
    """A wait answer that cannot be accepted; `code` says why, for the form to translate."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class WaitAnswer:
    """One answered wait. When `amount` is set, `to_days(amount, unit) == days`, except for a
    wait longer than the maximum: `days` is then the maximum and `amount`/`unit` say how long
    it really was ("3 years" typed as 36 months; counted as "730 days or more")."""

    kind: WaitKind
    state: WaitState
    days: int | None
    amount: int | None
    unit: Unit | None


def to_days(amount: float | Decimal, unit: Unit) -> int:
    """Whole days in `amount` units, rounded half up; months are average Gregorian months."""
    if isinstance(amount, bool):
        raise WaitError("amount_not_number")
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if not value.is_finite():
        raise WaitError("amount_not_number")
    if value < 0:
        raise WaitError("negative")
    days = value * _DAYS_PER_UNIT[Unit(unit)]
    return int(days.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_wait(
    kind: WaitKind,
    state: str | None,
    amount: str | None,
    unit: str | None,
    *,
    max_days: int = MAX_DAYS,
) -> WaitAnswer | None:
    """The validated answer from raw form values, or None when the wait was not answered.

    A wait longer than `max_days` is kept, as `max_days` days (the answer as typed beside it);
    only one longer than a hundred years is refused. Raises WaitError with code state_invalid,
    amount_required, amount_not_number, negative, unit_required, unit_invalid or too_long.
    """
    state_text = (state or "").strip()
    amount_text = (amount or "").strip()
    if not state_text and not amount_text:
        return None  # a unit alone is the select's default, not an answer
    parsed_state = _parse_state(state_text) if state_text else WaitState.ENDED
    if not amount_text:
        if parsed_state.days_optional:
            return WaitAnswer(kind, parsed_state, None, None, None)
        raise WaitError("amount_required")
    value = _parse_amount(amount_text)
    parsed_unit = _parse_unit(unit)
    days = to_days(value, parsed_unit)
    if days > ABSURD_DAYS:
        raise WaitError("too_long")
    counted = min(days, max_days)
    if value == value.to_integral_value():
        return WaitAnswer(kind, parsed_state, counted, int(value), parsed_unit)
    # "2.5 weeks" cannot be kept as a whole amount; it is kept as the days it stands for.
    return WaitAnswer(kind, parsed_state, counted, days, Unit.DAYS)


def beyond_maximum(amount: Decimal | int | None, unit: Unit | str | None,
                   max_days: int = MAX_DAYS) -> bool:
    """Whether an answer as typed ("3 years" as 36 months) is longer than the days counted."""
    if amount is None or not unit:
        return False
    try:
        return to_days(Decimal(str(amount)), Unit(unit)) > max_days
    except (WaitError, ValueError, ArithmeticError):
        return False


def _parse_state(text: str) -> WaitState:
    try:
        return WaitState(text)
    except ValueError:
        raise WaitError("state_invalid") from None


def _parse_unit(text: str | None) -> Unit:
    if not text or not text.strip():
        raise WaitError("unit_required")
    try:
        return Unit(text.strip())
    except ValueError:
        raise WaitError("unit_invalid") from None


def _parse_amount(text: str) -> Decimal:
    """A non-negative number typed as "3", "2.5" or "2,5"; "1,000" is a thousand."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits from phone keyboards
    if text.startswith("-") and _NUMBER.fullmatch(text[1:].strip()):
        raise WaitError("negative")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    found = _NUMBER.fullmatch(text)
    if not found:
        raise WaitError("amount_not_number")
    whole, fraction = found.group("whole") or "0", found.group("fraction") or "0"
    if len(whole.lstrip("0")) > _MAX_AMOUNT_DIGITS:
        raise WaitError("too_long")
    return Decimal(f"{whole}.{fraction[:_MAX_AMOUNT_DIGITS]}")


def business_days_to_calendar_days(n: int) -> int:
    """The most calendar days that `n` business days after a request can take.

    Business days are Monday to Friday (holidays are not counted): the deadline is the n-th
    weekday after the day of the request. The answer is the worst case over the seven days
    of the week the request can fall on, so 5 -> 7, 10 -> 14, 15 -> 21, 1 -> 3 (a Friday
    request is due on Monday). That worst case is a Friday request: each run of up to five
    business days then starts after a weekend, so n + 2 * ceil(n / 5) (a closed form, as it is
    asked for every wait of every listed story; a unit test checks it day by day).
    """
    if n < 0:
        raise ValueError("business days cannot be negative")
    return n + 2 * math.ceil(n / 5)


def standard_days(
    kind: WaitKind, care_types: CareType | int, standards: Mapping[str, Mapping[str, int]]
) -> int | None:
    """The standard for this wait in calendar days, or None when there is none.

    An intake wait for crisis or urgent care is measured against the urgent standard.
    """
    key = URGENT if kind is WaitKind.INTAKE and care_types & CareType.CRISIS else kind.value
    rule = standards.get(key)
    return None if rule is None else _rule_days(key, rule)


def _rule_days(key: str, rule: Mapping[str, int]) -> int:
    """Calendar days of one configured standard; a malformed one is a configuration error."""
    given = [unit for unit in _STANDARD_UNITS if unit in rule]
    if len(given) != 1 or len(rule) != 1:
        raise ValueError(f"standard {key!r} needs exactly one of {', '.join(_STANDARD_UNITS)}")
    value = rule[given[0]]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"standard {key!r} must be a whole number of {given[0]}, not {value!r}")
    if given[0] == "business_days":
        return business_days_to_calendar_days(value)
    if given[0] == "hours":
        return math.ceil(value / 24)
    return value


def exceeds_standard(
    answer: WaitAnswer, care_types: CareType | int, standards: Mapping[str, Mapping[str, int]]
) -> bool | None:
    """True if the wait went past its standard, False if it ended within it, None if unknown.

    An ended wait is known either way. A wait still going on, or given up, is known only
    once it has already passed the standard.
    """
    limit = standard_days(answer.kind, care_types, standards)
    if limit is None or answer.days is None:
        return None
    if answer.days > limit:
        return True
    return False if answer.state is WaitState.ENDED else None


def month_is_valid(year: int, month: int, *, today: date) -> str | None:
    """None for a month from January 2000 to `today`'s month, else the error code."""
    if not 1 <= month <= 12:
        return "month_out_of_range"
    if year < EARLIEST_YEAR:
        return "before_2000"
    if (year, month) > (today.year, today.month):
        return "in_future"
    return None
