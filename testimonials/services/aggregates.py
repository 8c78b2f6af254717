"""The read side of the statistics aggregates: the counts and histograms a release is cut from.

`services.statistics` keeps the aggregates current (the write side); `services.releases`
computes a release from what these functions read, all in one snapshot transaction.
`counts_of` and `histograms_of` are pure (cells in, groups out), so tests feed them directly.

Reads are proportional to the number of groups and of distinct wait lengths in them (the
aggregates hold at most a few hundred thousand rows whatever the number of submissions),
never to the number of submissions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Facility, Region, StatCell
from testimonials.stats import quarters, universe
from testimonials.stats.cells import NO_DAYS, RESPONDENTS, SERIES
from testimonials.stats.histogram import Key
from testimonials.vocab import WaitState

_SERIES = frozenset(SERIES)
_STATES = {state.value: state for state in WaitState}


def counts(session: Session) -> dict[tuple[str, str], int]:
    """Every group's count: (family, scope) -> count, for respondents, series and outcomes,
    by quarter (the months the aggregates hold summed, `stats.quarters`)."""
    rows = session.execute(select(StatCell.scope, StatCell.measure, StatCell.count)
                           .where(StatCell.days == NO_DAYS, StatCell.count != 0))
    return quarters.by_quarter(counts_of(rows))


def counts_of(rows: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str], int]:
    """Group counts from (scope, measure, count) cells without days (pure)."""
    found: dict[tuple[str, str], int] = {}
    for scope, measure, count in rows:
        if ":" not in measure or measure.startswith("outcome:"):
            found[(measure, scope)] = count
    return found


def dimensions(session: Session, known: Mapping[tuple[str, str], int]) -> universe.Dimensions:
    """The regions, facilities and quarters that have counted answers, in reading order
    (`known`: counts by quarter, as `counts` gives them)."""
    scopes = {scope for family, scope in known if family == RESPONDENTS}
    regions = tuple(
        universe.Region(id_, name)
        for id_, name in session.execute(select(Region.id, Region.name).order_by(Region.name))
        if f"region={id_}" in scopes
    )
    facilities = tuple(
        universe.Facility(id_, name, region_id)
        for id_, name, region_id in session.execute(
            select(Facility.id, Facility.name, Facility.region_id).order_by(Facility.name))
        if f"facility={id_}" in scopes
    )
    return universe.Dimensions(regions, facilities, quarters.quarters(scopes), quarters.QUARTER)


def histograms(session: Session, scopes: Iterable[str]) -> dict[tuple[str, str], dict[Key, int]]:
    """The histogram of every wait series in each scope: (series, scope) -> histogram; a
    quarter's merged from its months'."""
    return quarters.merged_histograms(scopes, lambda wanted: _stored_histograms(session, wanted))


def _stored_histograms(session: Session, wanted: list[str]
                       ) -> dict[tuple[str, str], dict[Key, int]]:
    found: dict[tuple[str, str], dict[Key, int]] = {}
    for start in range(0, len(wanted), 500):  # bound the size of one IN list
        rows = session.execute(
            select(StatCell.scope, StatCell.measure, StatCell.days, StatCell.count)
            .where(StatCell.scope.in_(wanted[start:start + 500]), StatCell.count > 0))
        histograms_of(rows, found)
    return found


def histograms_of(rows: Iterable[tuple[str, str, int, int]],
                  found: dict[tuple[str, str], dict[Key, int]] | None = None
                  ) -> dict[tuple[str, str], dict[Key, int]]:
    """Histograms from (scope, measure, days, count) cells (pure); other measures are skipped."""
    found = {} if found is None else found
    measures: dict[str, tuple[str, WaitState] | None] = {}  # a few dozen, each parsed once
    for scope, measure, days, count in rows:
        if measure not in measures:
            series, _, state = measure.partition(":")
            measures[measure] = ((series, _STATES[state])
                                 if series in _SERIES and state in _STATES else None)
        parsed = measures[measure]
        if parsed is not None and count > 0:
            bucket = found.get((parsed[0], scope))
            if bucket is None:
                bucket = found[(parsed[0], scope)] = {}
            bucket[(None if days == NO_DAYS else days, parsed[1])] = count
    return found


def respondents(session: Session, scope: str) -> int:
    """The number of people counted in one scope (0 when none)."""
    count = session.scalar(select(StatCell.count).where(
        StatCell.scope == scope, StatCell.measure == RESPONDENTS, StatCell.days == NO_DAYS))
    return count or 0
