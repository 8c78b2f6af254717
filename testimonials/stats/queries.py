"""The queries that feed the pure statistics: counts and histograms read from the aggregates.

Reads are proportional to the number of groups and of distinct wait lengths in them (the
aggregates hold at most a few hundred thousand rows whatever the number of submissions),
never to the number of submissions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import weakref
from collections.abc import Iterable, Mapping
from typing import Any
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.exc import UnboundExecutionError
from sqlalchemy.orm import Session

from testimonials.models import Facility, Region, StatCell
from testimonials.models.stats import StatVersion
from testimonials.stats import universe
from testimonials.stats.cells import NO_DAYS, RESPONDENTS, SERIES, month_scope
from testimonials.stats.histogram import Key
from testimonials.stats.summary import Summary, summarise
from testimonials.vocab import CareType, WaitKind, WaitState
from testimonials.waits import standard_days

_SERIES = frozenset(SERIES)
_STATES = {state.value: state for state in WaitState}


_MEMO = "waitline.stat_version"


def data_version(session: Session, *, fresh: bool = False) -> tuple[int, dt.datetime | None]:
    """The aggregates' version and when they last changed; (0, None) before any change.

    Read once per transaction unless `fresh` (a request reads it once, however many cached
    parts it looks up); `fresh` reads again, to notice a change committed meanwhile.
    """
    memo = session.info.get(_MEMO)
    transaction = session.get_transaction()
    if not fresh and memo is not None and transaction is not None and memo[0] is transaction:
        return memo[1]  # type: ignore[no-any-return]
    engine = session.get_bind()
    reading = _READINGS.get(engine)
    now = time.monotonic()
    if not fresh and reading is not None and now - reading[1] < _recheck_seconds():
        return reading[0]
    # Every request asks this, so it skips the ORM (a third of the cost on SQLite).
    row = session.connection().exec_driver_sql(_VERSION_SQL).first()
    found = (row[0], _aware(row[1])) if row else (0, None)
    session.info[_MEMO] = (session.get_transaction(), found)
    _READINGS[engine] = (found, now)
    return found


# This process's last reading of the version per database: (version, when). Like the
# content version (pagecache), the version is read at most every PAGE_CACHE_RECHECK_SECONDS:
# on PostgreSQL the read is a round trip (and a transaction) on every page otherwise. Other
# workers see a change within that interval; this one at once, as every commit in this
# process forgets the reading (_forget_reading).
_READINGS: weakref.WeakKeyDictionary[Any, tuple[tuple[int, dt.datetime | None], float]] = (
    weakref.WeakKeyDictionary())


def _recheck_seconds() -> float:
    return float(current_app.config.get("PAGE_CACHE_RECHECK_SECONDS", 0)) if has_app_context() else 0.0


def _forget_reading(session: Session) -> None:
    try:
        _READINGS.pop(session.get_bind(), None)
    except UnboundExecutionError:
        pass


event.listen(Session, "after_commit", _forget_reading)


_VERSION_SQL = f"SELECT version, changed_at FROM {StatVersion.__tablename__} WHERE id = 1"


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """A stored UTC timestamp (SQLite gives text, PostgreSQL a naive datetime), made aware."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def counts(session: Session) -> dict[tuple[str, str], int]:
    """Every group's count: (family, scope) -> count, for respondents, series and outcomes."""
    rows = session.execute(select(StatCell.scope, StatCell.measure, StatCell.count)
                           .where(StatCell.days == NO_DAYS, StatCell.count != 0))
    return counts_of(rows)


def counts_of(rows: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str], int]:
    """Group counts from (scope, measure, count) cells without days (pure)."""
    found: dict[tuple[str, str], int] = {}
    for scope, measure, count in rows:
        if ":" not in measure or measure.startswith("outcome:"):
            found[(measure, scope)] = count
    return found


def dimensions(session: Session, known: Mapping[tuple[str, str], int]) -> universe.Dimensions:
    """The regions, facilities and months that have counted answers, in reading order."""
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
    months = tuple(sorted(scope.split("=", 1)[1] for scope in scopes
                          if scope.startswith(month_scope("")) and "&" not in scope))
    return universe.Dimensions(regions, facilities, months)


def places_fingerprint(session: Session) -> str:
    """A digest of every region's and facility's name and region: it changes with a rename."""
    regions = session.execute(select(Region.id, Region.name).order_by(Region.id)).all()
    facilities = session.execute(select(Facility.id, Facility.name, Facility.region_id)
                                 .order_by(Facility.id)).all()
    text = repr([tuple(row) for row in regions]) + repr([tuple(row) for row in facilities])
    return hashlib.sha256(text.encode()).hexdigest()


def histograms(session: Session, scopes: Iterable[str]) -> dict[tuple[str, str], dict[Key, int]]:
    """The histogram of every wait series in each scope: (series, scope) -> histogram."""
    wanted = list(dict.fromkeys(scopes))
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


def histogram(session: Session, scope: str, kind: WaitKind | str) -> dict[Key, int]:
    """The histogram of one wait series in one scope: (days or None, state) -> count."""
    series = kind.value if isinstance(kind, WaitKind) else kind
    return histograms(session, [scope]).get((series, scope), {})


def respondents(session: Session, scope: str) -> int:
    count = session.scalar(select(StatCell.count).where(
        StatCell.scope == scope, StatCell.measure == RESPONDENTS, StatCell.days == NO_DAYS))
    return count or 0


@dataclass(frozen=True)
class Headline:
    """The figures on the home page; a summary is None when its group is hidden."""

    respondents: int
    intake: Summary | None
    first_return: Summary | None


def summary_for(session: Session, scope: str, kind: WaitKind,
                standards: Mapping[str, Mapping[str, int]], min_cell: int,
                care_types: int = 0) -> Summary | None:
    """The summary of one wait kind in one scope, or None below the minimum cell size.

    For checks and scripts; the views use `stats.compute`, which also applies the
    complementary suppression that protects every view.
    """
    counts_ = histogram(session, scope, kind)
    if sum(counts_.values()) < min_cell:
        return None
    standard = standard_days(kind, CareType(care_types), standards)
    return summarise(counts_, standard if standard is not None else 0)


def headline(session: Session, standards: Mapping[str, Mapping[str, int]],
             min_cell: int) -> Headline:
    """The home page's figures: exactly those /stats shows for everyone (cached likewise)."""
    from testimonials.stats import compute  # compute reads through this module

    return compute.headline(session, standards, min_cell)
