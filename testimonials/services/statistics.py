"""Keeping the statistics aggregates equal to what a full recount would give.

Every change that can move a submission into or out of the statistics, or change its
answers while it is counted, runs inside `keep_stats_current`: it notes the cells the
submission adds now, lets the change happen, and applies the difference, in the same
transaction. The aggregates are only the input a release is computed from (see
services.releases): nothing served reads them, so no decision moves a published figure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from testimonials.models import StatCell, StatDeparture, Submission, Wait, utcnow
from testimonials.models.base import table_of
from testimonials.stats.cells import Cell, Pair, as_cells, cell_pairs, cells
from testimonials.vocab import Status


def should_count(submission: Submission) -> bool:
    """Only approved items whose patient consented to statistics are counted."""
    return counts(submission.status, submission.consent_stats)


def counts(status: Status, consent_stats: bool) -> bool:
    """`should_count` of an item with this status and consent (one not yet stored)."""
    return status is Status.APPROVED and consent_stats


def cells_of(submission: Submission) -> Counter[Cell]:
    return cells(
        submission.region_id, submission.facility_id, submission.care_types,
        submission.experience_month, submission.outcomes,
        [(w.kind.value, w.state.value, w.days) for w in submission.waits],
    )


@contextmanager
def keep_stats_current(session: Session, submission: Submission,
                       now: dt.datetime | None = None) -> Iterator[None]:
    """Around a change to `submission`: afterwards the aggregates count it as it now is (and,
    when it was counted and no longer is, `stat_departure` says so, as of `now`)."""
    before = cells_of(submission) if submission.counted_in_stats else Counter()
    yield
    session.flush()
    counted = should_count(submission)
    after = cells_of(submission) if counted else Counter()
    submission.counted_in_stats = counted
    delta = Counter(after)
    delta.subtract(before)
    add_to_cells(session, {cell: n for cell, n in delta.items() if n})
    # Someone's answers left the statistics (withdrawn, consent unticked, no longer approved):
    # figures of earlier releases that count them are held no more. A patient who changes an
    # answer but stays counted (a wait that ended, a clinic corrected) has not left: the
    # earlier figures counted what they had told us then, with their consent, and say so.
    if before and not counted:
        left(session, now or utcnow())


def add_to_cells(session: Session, delta: dict[Cell, int]) -> None:
    """Add each count to its cell, creating cells as needed (atomic per cell).

    One statement for all the cells (an approval touches a few hundred): INSERT ... ON
    CONFLICT adds each row's count to the cell already there.
    """
    if not delta:
        return
    table = table_of(StatCell)
    statement = _insert_for(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=["scope", "measure", "days"],
        set_={"count": table.c.count + statement.excluded.count},
    )
    # Cells in sorted order: concurrent writers lock rows in one order.
    session.execute(statement, [
        {"scope": scope, "measure": measure, "days": days, "count": change}
        for (scope, measure, days), change in sorted(delta.items())
    ])


def left(session: Session | Connection, now: dt.datetime) -> None:
    """Record that answers left the statistics at `now`: one more departure (an upsert of the
    one row, after the cells, so every writer locks in the same order). Figures of earlier
    releases are then held no more (`services.releases.publish`)."""
    table = table_of(StatDeparture)
    statement = _insert_for(session)(table).values(id=1, departures=1, last_left_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"departures": table.c.departures + 1,
              "last_left_at": statement.excluded.last_left_at}))


def departures(session: Session | Connection) -> int:
    """How many times answers have left the statistics (0: never, or not since recorded)."""
    return session.scalar(select(StatDeparture.departures).where(StatDeparture.id == 1)) or 0


def _insert_for(session: Session | Connection) -> Any:
    bind = session.get_bind() if isinstance(session, Session) else session
    return pg_insert if bind.dialect.name == "postgresql" else sqlite_insert


def recount(session: Session | Connection, *, published_only: bool = False) -> Counter[Cell]:
    """The cells as a full recount of all counted submissions gives them (for checks).

    Reads only the columns the cells depend on, in one ordered pass, so that it also serves
    migrations (whatever other columns later revisions add) and a million rows. Each
    submission's pairs are counted in C (`cell_pairs`, as the demo loader does) and turned
    into cells once: adding a Counter of each submission's cells to the total looped in Python
    over every cell. Every release recounts the published stories (`releases.published_counts`):
    at 1,000,000 submissions that took 50 s of a release's 67 s of CPU, and takes 38 s so.
    """
    sub, wait = table_of(Submission), table_of(Wait)
    counted = (sub.c.status == Status.APPROVED.value) & sub.c.consent_stats.is_(True)
    if published_only:  # what a reader of the published stories can count (stats.protection)
        counted = counted & sub.c.published_at.is_not(None)
    query = (
        select(sub.c.id, sub.c.region_id, sub.c.facility_id, sub.c.care_types,
               sub.c.experience_month, sub.c.outcomes, wait.c.kind, wait.c.state, wait.c.days)
        .select_from(sub.outerjoin(wait, wait.c.submission_id == sub.c.id))
        .where(counted)
        .order_by(sub.c.id)
    )
    pairs: Counter[Pair] = Counter()
    current: tuple[Any, Any, Any, Any, Any, Any] | None = None
    waits: list[tuple[str, str, int | None]] = []
    for row in session.execute(query.execution_options(yield_per=5000)):
        if current is None or row[0] != current[0]:
            if current is not None:
                pairs.update(cell_pairs(*current[1:], waits))
            current, waits = (row[0], row[1], row[2], row[3], row[4], row[5]), []
        if row[6] is not None:
            waits.append((_value(row[6]), _value(row[7]), row[8]))
    if current is not None:
        pairs.update(cell_pairs(*current[1:], waits))
    return as_cells(pairs)


def _value(member: Any) -> str:
    return str(getattr(member, "value", member))


def stored_cells(session: Session | Connection) -> Counter[Cell]:
    rows = session.execute(select(StatCell.scope, StatCell.measure, StatCell.days, StatCell.count)
                           .where(StatCell.count != 0))
    return Counter({(scope, measure, days): count for scope, measure, days, count in rows})


def rebuild(session: Session | Connection, now: dt.datetime | None = None) -> int:
    """Replace the aggregates with a full recount; returns the number of cells. A cell the
    recount finds lower had answers leave without a service seeing it (a change by hand): a
    departure, as `add_to_cells` records one."""
    sub = table_of(Submission)
    stored = stored_cells(session)
    session.execute(delete(table_of(StatCell)))
    session.execute(update(sub).values(
        counted_in_stats=(sub.c.status == Status.APPROVED.value) & sub.c.consent_stats.is_(True)))
    counted = recount(session)
    write_cells(session, counted, now)
    if any(counted.get(cell, 0) < count for cell, count in stored.items()):
        left(session, now or utcnow())
    return len(counted)


def write_cells(session: Session | Connection, counted: Counter[Cell],
                now: dt.datetime | None = None) -> None:
    """Insert cells into an empty aggregate table, in batches."""
    rows = [{"scope": s, "measure": m, "days": d, "count": n} for (s, m, d), n in counted.items()]
    for start in range(0, len(rows), 20_000):
        session.execute(insert(table_of(StatCell)), rows[start:start + 20_000])
