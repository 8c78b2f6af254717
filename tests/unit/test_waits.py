"""Wait answers, their conversion to days, and the legal standards they are measured against."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from testimonials.vocab import CareType, Unit, WaitKind, WaitState
from testimonials.waits import (
    CALIFORNIA_STANDARDS,
    WaitAnswer,
    WaitError,
    beyond_maximum,
    business_days_to_calendar_days,
    exceeds_standard,
    month_is_valid,
    parse_wait,
    standard_days,
    to_days,
)

INTAKE = WaitKind.INTAKE


@pytest.mark.parametrize(
    ("amount", "unit", "days"),
    [
        (0, Unit.DAYS, 0),
        (1, Unit.DAYS, 1),
        (730, Unit.DAYS, 730),
        (1, Unit.WEEKS, 7),
        (2.5, Unit.WEEKS, 18),  # 17.5 rounds half up
        (Decimal("0.5"), Unit.WEEKS, 4),  # 3.5 rounds half up
        (1, Unit.MONTHS, 30),
        (2, Unit.MONTHS, 61),
        (3, Unit.MONTHS, 91),
        (6, Unit.MONTHS, 183),
        (12, Unit.MONTHS, 365),
        (24, Unit.MONTHS, 730),
        (Decimal("0.5"), Unit.MONTHS, 15),
        (1.5, Unit.DAYS, 2),
        (2.5, Unit.DAYS, 3),  # half up, not to even
    ],
)
def test_to_days_rounds_half_up_in_average_gregorian_months(
    amount: float | Decimal, unit: Unit, days: int
) -> None:
    assert to_days(amount, unit) == days


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (-1, "negative"),
        (Decimal("-0.5"), "negative"),
        (float("nan"), "amount_not_number"),
        (float("inf"), "amount_not_number"),
        (True, "amount_not_number"),
    ],
)
def test_to_days_rejects_what_is_not_a_wait(amount: float | Decimal, code: str) -> None:
    with pytest.raises(WaitError) as error:
        to_days(amount, Unit.DAYS)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("state", "amount", "unit", "expected"),
    [
        (None, None, None, None),
        ("", "", "weeks", None),  # the unit select always sends its default
        ("  ", "  ", None, None),
        ("ended", "3", "months", WaitAnswer(INTAKE, WaitState.ENDED, 91, 3, Unit.MONTHS)),
        (None, "10", "days", WaitAnswer(INTAKE, WaitState.ENDED, 10, 10, Unit.DAYS)),
        ("", " 2 ", "weeks", WaitAnswer(INTAKE, WaitState.ENDED, 14, 2, Unit.WEEKS)),
        ("waiting", "6", "weeks", WaitAnswer(INTAKE, WaitState.WAITING, 42, 6, Unit.WEEKS)),
        ("waiting", "0", "days", WaitAnswer(INTAKE, WaitState.WAITING, 0, 0, Unit.DAYS)),
        ("gave_up", None, "weeks", WaitAnswer(INTAKE, WaitState.GAVE_UP, None, None, None)),
        ("gave_up", "", None, WaitAnswer(INTAKE, WaitState.GAVE_UP, None, None, None)),
        ("gave_up", "4", "months", WaitAnswer(INTAKE, WaitState.GAVE_UP, 122, 4, Unit.MONTHS)),
        ("ended", "24", "months", WaitAnswer(INTAKE, WaitState.ENDED, 730, 24, Unit.MONTHS)),
        ("ended", "730", "days", WaitAnswer(INTAKE, WaitState.ENDED, 730, 730, Unit.DAYS)),
        ("ended", "2.5", "weeks", WaitAnswer(INTAKE, WaitState.ENDED, 18, 18, Unit.DAYS)),
        ("ended", "2,5", "weeks", WaitAnswer(INTAKE, WaitState.ENDED, 18, 18, Unit.DAYS)),
        ("ended", "3.0", "weeks", WaitAnswer(INTAKE, WaitState.ENDED, 21, 3, Unit.WEEKS)),
        ("ended", ".5", "months", WaitAnswer(INTAKE, WaitState.ENDED, 15, 15, Unit.DAYS)),
        ("ended", "007", "days", WaitAnswer(INTAKE, WaitState.ENDED, 7, 7, Unit.DAYS)),
        ("ended", "３", "weeks", WaitAnswer(INTAKE, WaitState.ENDED, 21, 3, Unit.WEEKS)),
    ],
)
def test_parse_wait_accepts_valid_answers(
    state: str | None, amount: str | None, unit: str | None, expected: WaitAnswer | None
) -> None:
    assert parse_wait(INTAKE, state, amount, unit) == expected


@pytest.mark.parametrize(
    ("state", "amount", "unit", "code"),
    [
        ("ended", None, "weeks", "amount_required"),
        ("ended", "", "weeks", "amount_required"),
        ("waiting", " ", "weeks", "amount_required"),
        ("soon", "3", "weeks", "state_invalid"),
        ("ENDED", "3", "weeks", "state_invalid"),
        ("soon", None, None, "state_invalid"),
        ("ended", "abc", "weeks", "amount_not_number"),
        ("ended", "1e9", "days", "amount_not_number"),
        ("ended", "NaN", "days", "amount_not_number"),
        ("ended", "inf", "days", "amount_not_number"),
        ("ended", "3 months", "months", "amount_not_number"),
        ("ended", "1.2.3", "days", "amount_not_number"),
        ("ended", ".", "days", "amount_not_number"),
        ("ended", "0x10", "days", "amount_not_number"),
        ("ended", "+3", "days", "amount_not_number"),
        ("ended", "-3", "days", "negative"),
        ("ended", "-0.5", "weeks", "negative"),
        ("ended", "36526", "days", "too_long"),  # more than a hundred years
        ("ended", "5219", "weeks", "too_long"),
        ("ended", "1201", "months", "too_long"),
        ("ended", "9" * 400, "days", "too_long"),
        ("ended", "3", None, "unit_required"),
        ("ended", "3", "", "unit_required"),
        ("ended", "3", "years", "unit_invalid"),
        ("gave_up", "3", "fortnights", "unit_invalid"),
        (None, "3", "hours", "unit_invalid"),
    ],
)
def test_parse_wait_rejects_invalid_answers_with_a_code(
    state: str | None, amount: str | None, unit: str | None, code: str
) -> None:
    with pytest.raises(WaitError) as error:
        parse_wait(INTAKE, state, amount, unit)
    assert error.value.code == code
    assert isinstance(error.value, ValueError)


def test_parse_wait_honours_a_lower_maximum() -> None:
    assert parse_wait(INTAKE, "ended", "30", "days", max_days=30) == WaitAnswer(
        INTAKE, WaitState.ENDED, 30, 30, Unit.DAYS)
    assert parse_wait(INTAKE, "ended", "31", "days", max_days=30) == WaitAnswer(
        INTAKE, WaitState.ENDED, 30, 31, Unit.DAYS)


@pytest.mark.parametrize(
    ("state", "amount", "unit", "expected"),
    [
        ("ended", "731", "days", WaitAnswer(INTAKE, WaitState.ENDED, 730, 731, Unit.DAYS)),
        ("ended", "105", "weeks", WaitAnswer(INTAKE, WaitState.ENDED, 730, 105, Unit.WEEKS)),
        ("waiting", "36", "months",
         WaitAnswer(INTAKE, WaitState.WAITING, 730, 36, Unit.MONTHS)),
        ("ended", "1,000", "days",  # a thousand, not one
         WaitAnswer(INTAKE, WaitState.ENDED, 730, 1000, Unit.DAYS)),
        ("gave_up", "30.5", "months",  # not whole: kept as the days it stands for
         WaitAnswer(INTAKE, WaitState.GAVE_UP, 730, 928, Unit.DAYS)),
        ("ended", "1200", "months",  # a hundred years is the most a wait can be
         WaitAnswer(INTAKE, WaitState.ENDED, 730, 1200, Unit.MONTHS)),
    ],
)
def test_a_wait_longer_than_two_years_is_kept_and_counted_as_730_days(
    state: str, amount: str, unit: str, expected: WaitAnswer
) -> None:
    answer = parse_wait(INTAKE, state, amount, unit)
    assert answer == expected
    assert answer is not None and beyond_maximum(answer.amount, answer.unit)


def test_only_a_wait_longer_than_the_maximum_is_beyond_it() -> None:
    assert not beyond_maximum(24, Unit.MONTHS)  # 730 days: the maximum itself
    assert beyond_maximum(731, "days")
    assert not beyond_maximum(None, None) and not beyond_maximum(3, "years")


def test_never_offered_needs_no_length() -> None:
    assert parse_wait(INTAKE, "never_offered", "", "") == WaitAnswer(
        INTAKE, WaitState.NEVER_OFFERED, None, None, None)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [("1", "days"), ("2.5", "weeks"), ("0.3", "months"), ("17", "months"), ("99", "weeks")],
)
def test_parse_wait_keeps_amount_and_unit_consistent_with_days(amount: str, unit: str) -> None:
    answer = parse_wait(WaitKind.PSYCHIATRY, None, amount, unit)
    assert answer is not None and answer.amount is not None and answer.unit is not None
    assert to_days(answer.amount, answer.unit) == answer.days
    assert not beyond_maximum(answer.amount, answer.unit)


@pytest.mark.parametrize(
    ("business_days", "calendar_days"),
    [(0, 0), (1, 3), (4, 6), (5, 7), (6, 10), (10, 14), (15, 21), (20, 28)],
)
def test_business_days_are_the_worst_case_in_calendar_days(
    business_days: int, calendar_days: int
) -> None:
    assert business_days_to_calendar_days(business_days) == calendar_days


def test_business_days_match_counting_day_by_day_from_every_weekday() -> None:
    def counted(request: date, business_days: int) -> int:
        day, seen = request, 0
        while seen < business_days:
            day += timedelta(days=1)
            seen += day.weekday() < 5
        return (day - request).days

    monday = date(2024, 1, 1)
    for business_days in range(200):
        worst = max(counted(monday + timedelta(days=offset), business_days)
                    for offset in range(7))
        assert business_days_to_calendar_days(business_days) == worst


def test_business_days_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        business_days_to_calendar_days(-1)


@pytest.mark.parametrize(
    ("kind", "care_types", "days"),
    [
        (WaitKind.INTAKE, CareType.INDIVIDUAL, 14),
        (WaitKind.INTAKE, CareType(0), 14),
        (WaitKind.FIRST_RETURN, CareType.GROUP, 14),
        (WaitKind.BETWEEN_RETURNS, CareType.INDIVIDUAL, 14),
        (WaitKind.PSYCHIATRY, CareType.PSYCHIATRY, 21),
        (WaitKind.INTAKE, CareType.CRISIS, 2),
        (WaitKind.INTAKE, CareType.CRISIS | CareType.CHILD, 2),
        (WaitKind.INTAKE, int(CareType.CRISIS | CareType.GROUP), 2),
        (WaitKind.FIRST_RETURN, CareType.CRISIS, 14),  # only the intake is urgent care
        (WaitKind.PSYCHIATRY, CareType.CRISIS, 21),
    ],
)
def test_standard_days_follow_california_rules(
    kind: WaitKind, care_types: CareType, days: int
) -> None:
    assert standard_days(kind, care_types, CALIFORNIA_STANDARDS) == days


@pytest.mark.parametrize(
    ("standards", "kind", "care_types", "days"),
    [
        ({}, WaitKind.INTAKE, CareType.INDIVIDUAL, None),
        ({"intake": {"days": 30}}, WaitKind.INTAKE, CareType.INDIVIDUAL, 30),
        ({"intake": {"days": 30}}, WaitKind.INTAKE, CareType.CRISIS, None),
        ({"urgent": {"hours": 96}}, WaitKind.INTAKE, CareType.CRISIS, 4),
        ({"urgent": {"hours": 36}}, WaitKind.INTAKE, CareType.CRISIS, 2),
        ({"psychiatry": {"business_days": 5}}, WaitKind.PSYCHIATRY, CareType(0), 7),
    ],
)
def test_standard_days_come_from_configuration(
    standards: dict[str, dict[str, int]], kind: WaitKind, care_types: CareType, days: int | None
) -> None:
    assert standard_days(kind, care_types, standards) == days


@pytest.mark.parametrize(
    "rule",
    [{}, {"weeks": 2}, {"days": 3, "hours": 4}, {"days": -1}, {"days": 1.5}, {"days": True}],
)
def test_malformed_standards_are_a_configuration_error(rule: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        standard_days(WaitKind.INTAKE, CareType(0), {"intake": rule})  # type: ignore[dict-item]


def answer(state: WaitState, days: int | None, kind: WaitKind = INTAKE) -> WaitAnswer:
    return WaitAnswer(kind, state, days, days, Unit.DAYS if days is not None else None)


@pytest.mark.parametrize(
    ("wait", "care_types", "exceeded"),
    [
        (answer(WaitState.ENDED, 14), CareType.INDIVIDUAL, False),
        (answer(WaitState.ENDED, 15), CareType.INDIVIDUAL, True),
        (answer(WaitState.ENDED, 0), CareType.INDIVIDUAL, False),
        (answer(WaitState.ENDED, 3), CareType.CRISIS, True),
        (answer(WaitState.ENDED, 2), CareType.CRISIS, False),
        (answer(WaitState.ENDED, 21, WaitKind.PSYCHIATRY), CareType.PSYCHIATRY, False),
        (answer(WaitState.ENDED, 22, WaitKind.PSYCHIATRY), CareType.PSYCHIATRY, True),
        (answer(WaitState.WAITING, 90), CareType.INDIVIDUAL, True),
        (answer(WaitState.WAITING, 7), CareType.INDIVIDUAL, None),
        (answer(WaitState.WAITING, 14), CareType.INDIVIDUAL, None),
        (answer(WaitState.GAVE_UP, None), CareType.INDIVIDUAL, None),
        (answer(WaitState.GAVE_UP, 60), CareType.INDIVIDUAL, True),
        (answer(WaitState.GAVE_UP, 5), CareType.INDIVIDUAL, None),
    ],
)
def test_exceeds_standard_is_none_when_not_yet_known(
    wait: WaitAnswer, care_types: CareType, exceeded: bool | None
) -> None:
    assert exceeds_standard(wait, care_types, CALIFORNIA_STANDARDS) is exceeded


def test_exceeds_standard_is_none_without_a_standard() -> None:
    assert exceeds_standard(answer(WaitState.ENDED, 400), CareType(0), {}) is None


TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("year", "month", "code"),
    [
        (2025, 6, None),
        (2025, 1, None),
        (2000, 1, None),
        (2024, 12, None),
        (2025, 7, "in_future"),
        (2026, 1, "in_future"),
        (9999, 12, "in_future"),
        (1999, 12, "before_2000"),
        (0, 5, "before_2000"),
        (2024, 0, "month_out_of_range"),
        (2024, 13, "month_out_of_range"),
        (2024, -1, "month_out_of_range"),
    ],
)
def test_month_is_valid_from_2000_to_this_month(year: int, month: int, code: str | None) -> None:
    assert month_is_valid(year, month, today=TODAY) == code
