"""The queries that feed the pure statistics: histograms read from the aggregates (stat_cell).

Reads are proportional to the number of distinct wait lengths in a group (at most a few
thousand rows), never to the number of submissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import StatCell
from testimonials.stats.cells import NO_DAYS, RESPONDENTS
from testimonials.stats.histogram import Key
from testimonials.stats.summary import Summary, summarise
from testimonials.vocab import CareType, WaitKind, WaitState
from testimonials.waits import standard_days


def histogram(session: Session, scope: str, kind: WaitKind) -> dict[Key, int]:
    """The histogram of one wait kind in one scope: (days or None, state) -> count."""
    rows = session.execute(
        select(StatCell.measure, StatCell.days, StatCell.count)
        .where(StatCell.scope == scope, StatCell.measure.like(f"{kind.value}:%"),
               StatCell.count > 0)
    )
    return {(None if days == NO_DAYS else days, WaitState(measure.split(":", 1)[1])): count
            for measure, days, count in rows}


def respondents(session: Session, scope: str) -> int:
    count = session.scalar(select(StatCell.count).where(
        StatCell.scope == scope, StatCell.measure == RESPONDENTS, StatCell.days == NO_DAYS))
    return count or 0


@dataclass(frozen=True)
class Headline:
    """The figures on the home page; a summary is None when its group is too small to show."""

    respondents: int
    intake: Summary | None
    first_return: Summary | None


def summary_for(session: Session, scope: str, kind: WaitKind,
                standards: Mapping[str, Mapping[str, int]], min_cell: int,
                care_types: int = 0) -> Summary | None:
    """The summary of one wait kind in one scope, or None below the minimum cell size."""
    counts = histogram(session, scope, kind)
    if sum(counts.values()) < min_cell:
        return None
    standard = standard_days(kind, CareType(care_types), standards)
    return summarise(counts, standard if standard is not None else 0)


def headline(session: Session, standards: Mapping[str, Mapping[str, int]],
             min_cell: int) -> Headline:
    return Headline(
        respondents=respondents(session, "all"),
        intake=summary_for(session, "all", WaitKind.INTAKE, standards, min_cell),
        first_return=summary_for(session, "all", WaitKind.FIRST_RETURN, standards, min_cell),
    )
