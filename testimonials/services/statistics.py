"""Keeping the statistics aggregates equal to what a full recount would give.

Every change that can move a submission into or out of the statistics, or change its
answers while it is counted, runs inside `keep_stats_current`: it notes the cells the
submission adds now, lets the change happen, and applies the difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from testimonials.models import StatCell, Submission
from testimonials.stats.cells import Cell, cells
from testimonials.vocab import Status


def should_count(submission: Submission) -> bool:
    """Only approved items whose patient consented to statistics are counted."""
    return submission.status is Status.APPROVED and submission.consent_stats


def cells_of(submission: Submission) -> Counter[Cell]:
    return cells(
        submission.region_id, submission.facility_id, submission.care_types,
        submission.experience_month, submission.outcomes,
        [(w.kind.value, w.state.value, w.days) for w in submission.waits],
    )


@contextmanager
def keep_stats_current(session: Session, submission: Submission) -> Iterator[None]:
    """Around a change to `submission`: afterwards the aggregates count it as it now is."""
    before = cells_of(submission) if submission.counted_in_stats else Counter()
    yield
    session.flush()
    counted = should_count(submission)
    after = cells_of(submission) if counted else Counter()
    submission.counted_in_stats = counted
    delta = Counter(after)
    delta.subtract(before)
    add_to_cells(session, {cell: n for cell, n in delta.items() if n})


def add_to_cells(session: Session, delta: dict[Cell, int]) -> None:
    """Add each count to its cell, creating cells as needed (atomic per cell)."""
    if not delta:
        return
    dialect = session.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    for (scope, measure, days), change in sorted(delta.items()):
        statement = maker(StatCell).values(scope=scope, measure=measure, days=days, count=change)
        session.execute(statement.on_conflict_do_update(
            index_elements=["scope", "measure", "days"],
            set_={"count": StatCell.count + change},
        ))


def recount(session: Session) -> Counter[Cell]:
    """The cells as a full recount of all counted submissions gives them (for checks)."""
    total: Counter[Cell] = Counter()
    query = select(Submission).where(Submission.status == Status.APPROVED,
                                     Submission.consent_stats.is_(True))
    for submission in session.scalars(query.execution_options(yield_per=1000)):
        total.update(cells_of(submission))
    return total


def stored_cells(session: Session) -> Counter[Cell]:
    rows = session.execute(select(StatCell.scope, StatCell.measure, StatCell.days, StatCell.count)
                           .where(StatCell.count != 0))
    return Counter({(scope, measure, days): count for scope, measure, days, count in rows})


def rebuild(session: Session) -> int:
    """Replace the aggregates with a full recount; returns the number of cells."""
    session.execute(delete(StatCell))
    session.execute(update(Submission).values(
        counted_in_stats=(Submission.status == Status.APPROVED.value)
        & Submission.consent_stats.is_(True)))
    counted = recount(session)
    write_cells(session, counted)
    return len(counted)


def write_cells(session: Session, counted: Counter[Cell]) -> None:
    """Insert cells into an empty aggregate table, in batches."""
    rows = [{"scope": s, "measure": m, "days": d, "count": n} for (s, m, d), n in counted.items()]
    for start in range(0, len(rows), 20_000):
        session.execute(insert(StatCell), rows[start:start + 20_000])
