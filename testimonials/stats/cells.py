"""Which aggregate cells one counted submission contributes to (pure).

The aggregates (table stat_cell) hold, per scope, a histogram of each wait kind and the
counts of respondents and outcomes. A scope names a group a reader can ask about:
"all", one dimension ("region=3", "facility=12", "care=2", "month=2024-05"), or a pair
that the filtered /stats pages need ("region=3&care=2", "facility=12&month=2024-05", ...).
Adding a submission adds one to each of its cells; withdrawing it takes the same ones away.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TypeAlias

from testimonials.vocab import CareType, Outcome

Cell: TypeAlias = tuple[str, str, int]  # (scope, measure, days); days -1 where none
NO_DAYS = -1
RESPONDENTS = "respondents"


def wait_measure(kind: str, state: str) -> str:
    return f"{kind}:{state}"


def outcome_measure(outcome: Outcome) -> str:
    return f"outcome:{outcome.name.lower()}"  # type: ignore[union-attr]


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def scopes(region_id: int | None, facility_id: int | None, care_types: int,
           experience_month: dt.date | None) -> list[str]:
    """Every scope a submission with these answers belongs to."""
    region = [f"region={region_id}"] if region_id is not None else []
    facility = [f"facility={facility_id}"] if facility_id is not None else []
    cares = [f"care={int(bit)}" for bit in CareType if care_types & bit]
    month = [f"month={month_key(experience_month)}"] if experience_month else []
    # Pairs for the filtered pages: a place or a care type, broken down by the others. Not
    # facility by month: that would be most of the table, and mostly groups too small to show.
    pairs = [f"{p}&{c}" for p in region + facility for c in cares]
    pairs += [f"{r}&{m}" for r in region for m in month]
    pairs += [f"{c}&{m}" for c in cares for m in month]
    return ["all", *region, *facility, *cares, *month, *pairs]


def cells(
    region_id: int | None,
    facility_id: int | None,
    care_types: int,
    experience_month: dt.date | None,
    outcomes: int,
    waits: Iterable[tuple[str, str, int | None]],
) -> Counter[Cell]:
    """The cells of one counted submission: waits (kind, state, days), outcomes, respondents."""
    measures: list[tuple[str, int]] = [(RESPONDENTS, NO_DAYS)]
    measures += [
        (wait_measure(kind, state), NO_DAYS if days is None else days)
        for kind, state, days in waits
    ]
    measures += [(outcome_measure(bit), NO_DAYS) for bit in Outcome if outcomes & bit]
    result: Counter[Cell] = Counter()
    for scope in scopes(region_id, facility_id, care_types, experience_month):
        for measure, days in measures:
            result[(scope, measure, days)] += 1
    return result
