"""Which aggregate cells one counted submission contributes to (pure).

The aggregates (table stat_cell) hold, per scope, a histogram of each wait series and the
counts of respondents, of answers per series and of outcomes. A scope names a group a reader
can ask about: "all", one dimension ("region=3", "facility=12", "care=2", "month=2024-05"),
or a pair that the filtered /stats pages need ("region=3&care=2", "facility=12&care=2",
"region=3&month=2024-05", "care=2&month=2024-05").

A wait series is a wait kind, except that the intake wait of a story about crisis or urgent
care is its own series, "urgent_intake": the law measures it against the urgent standard
(48 hours), so mixing it with ordinary intakes would give one group two yardsticks.

Adding a submission adds one to each of its cells; withdrawing it takes the same ones away.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import product
from typing import TypeAlias

from testimonials.vocab import CareType, Outcome, WaitKind

Cell: TypeAlias = tuple[str, str, int]  # (scope, measure, days); days -1 where none
NO_DAYS = -1
RESPONDENTS = "respondents"
ALL = "all"
URGENT_INTAKE = "urgent_intake"
# The wait series in the order pages show them.
SERIES: tuple[str, ...] = (
    WaitKind.INTAKE.value, URGENT_INTAKE, WaitKind.FIRST_RETURN.value,
    WaitKind.BETWEEN_RETURNS.value, WaitKind.PSYCHIATRY.value,
)
OUTCOMES: tuple[str, ...] = tuple(
    member.name.lower() for member in Outcome)  # type: ignore[union-attr]
CARE_TYPES: tuple[int, ...] = tuple(int(member) for member in CareType)


def series_of(kind: str, care_types: int) -> str:
    """The series a wait of this kind belongs to: crisis-care intakes are urgent intakes."""
    if kind == _INTAKE and care_types & _CRISIS:
        return URGENT_INTAKE
    return kind


_INTAKE, _CRISIS = WaitKind.INTAKE.value, int(CareType.CRISIS)  # (plain values: a hot path)


def wait_measure(series: str, state: str) -> str:
    """The histogram measure of one series and state: "intake:ended" (days are the cell's)."""
    return f"{series}:{state}"


def total_measure(series: str) -> str:
    """The measure counting every answer of a series in a scope (days -1): "intake"."""
    return series


def outcome_measure(outcome: Outcome | str) -> str:
    name = outcome if isinstance(outcome, str) else outcome.name.lower()  # type: ignore[union-attr]
    return f"outcome:{name}"


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def region_scope(region_id: int) -> str:
    return f"region={region_id}"


def facility_scope(facility_id: int) -> str:
    return f"facility={facility_id}"


def care_scope(care: int) -> str:
    return f"care={care}"


def month_scope(month: str) -> str:
    return f"month={month}"


def pair(first: str, second: str) -> str:
    """The scope of two groups at once: pair("region=3", "care=2") is "region=3&care=2"."""
    return first if second == ALL else second if first == ALL else f"{first}&{second}"


def scopes(region_id: int | None, facility_id: int | None, care_types: int,
           experience_month: dt.date | None) -> list[str]:
    """Every scope a submission with these answers belongs to."""
    region = [region_scope(region_id)] if region_id is not None else []
    facility = [facility_scope(facility_id)] if facility_id is not None else []
    cares = [care_scope(bit) for bit in CARE_TYPES if care_types & bit]
    month = [month_scope(month_key(experience_month))] if experience_month else []
    # Pairs for the filtered pages: a place or a care type, broken down by the others. Not
    # facility by month: that would be most of the table, and mostly groups too small to show.
    pairs = [pair(p, c) for p in region + facility for c in cares]
    pairs += [pair(r, m) for r in region for m in month]
    pairs += [pair(c, m) for c in cares for m in month]
    return [ALL, *region, *facility, *cares, *month, *pairs]


def cells(
    region_id: int | None,
    facility_id: int | None,
    care_types: int,
    experience_month: dt.date | None,
    outcomes: int,
    waits: Iterable[tuple[str, str, int | None]],
) -> Counter[Cell]:
    """The cells of one counted submission: waits (kind, state, days), outcomes, respondents."""
    # The product `cell_pairs` gives, made flat at once: for one submission that is cheaper
    # than counting pairs and turning them into cells.
    found = measures(care_types, outcomes, waits)
    return Counter([(scope, measure, days)
                    for scope in scopes(region_id, facility_id, care_types, experience_month)
                    for measure, days in found])


Pair: TypeAlias = tuple[str, tuple[str, int]]  # (scope, (measure, days))


def cell_pairs(
    region_id: int | None,
    facility_id: int | None,
    care_types: int,
    experience_month: dt.date | None,
    outcomes: int,
    waits: Iterable[tuple[str, str, int | None]],
) -> Iterator[Pair]:
    """Each cell a counted submission adds one to, as a pair: every scope by every measure.

    Pairs are made and counted in C (`Counter.update` on this product), which a bulk loader
    needs for a million submissions; `as_cells` turns the distinct ones into cells once.
    """
    return product(scopes(region_id, facility_id, care_types, experience_month),
                   measures(care_types, outcomes, waits))


def as_cells(pairs: Counter[Pair]) -> Counter[Cell]:
    return Counter({(scope, measure, days): n for (scope, (measure, days)), n in pairs.items()})


def measures(care_types: int, outcomes: int,
             waits: Iterable[tuple[str, str, int | None]]) -> list[tuple[str, int]]:
    """What one counted submission adds in each of its scopes: (measure, days) pairs."""
    found: list[tuple[str, int]] = [(RESPONDENTS, NO_DAYS)]
    for kind, state, days in waits:
        series = series_of(kind, care_types)
        found.append((wait_measure(series, state), NO_DAYS if days is None else days))
        found.append((total_measure(series), NO_DAYS))
    found += [(measure, NO_DAYS) for bit, measure in _OUTCOME_MEASURES if outcomes & bit]
    return found


# Plain ints: a flag enum's & costs more than the rest of `measures`.
_OUTCOME_MEASURES = tuple((int(bit), outcome_measure(bit)) for bit in Outcome)
