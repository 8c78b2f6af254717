"""A release is computed from one snapshot of the aggregates: what is approved while it is
being computed is in the next release, never in half of this one."""

from __future__ import annotations

import json
import zlib
from typing import Any

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testimonials.models import StatRelease
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders

_HISTOGRAM_READ = "stat_cell.days, stat_cell.count"  # the select of services.aggregates.histograms


def _approve(session: Session, place: Any, how_many: int) -> None:
    for number in range(how_many):
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 10 + number)})


def test_approvals_during_a_cut_are_not_in_that_release(app: Flask, session: Session) -> None:
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    _approve(session, place, 15)
    session.commit()
    engine = app.extensions["waitline.engine"]
    approved_meanwhile = []

    def approve_between_the_reads(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # After the counts are read and before the histograms are: 15 more people, committed
        # by another connection, as a moderator's approvals would be.
        if _HISTOGRAM_READ in statement and not approved_meanwhile:
            approved_meanwhile.append(True)
            with Session(engine) as other:
                if engine.dialect.name == "sqlite":
                    other.connection(execution_options={"sqlite_write": True})
                _approve(other, place, 15)
                other.commit()

    event.listen(engine, "before_cursor_execute", approve_between_the_reads)
    try:
        number = builders.release(app)
    finally:
        event.remove(engine, "before_cursor_execute", approve_between_the_reads)
    assert approved_meanwhile

    stored = session.scalars(select(StatRelease).where(StatRelease.number == number)).one()
    groups = json.loads(zlib.decompress(stored.document))["groups"]
    count, figures = groups["intake|all"]
    assert (stored.respondents, count, figures["count"]) == (15, 15, 15)
    session.rollback()
    assert builders.release(app) == number + 1  # the 15 are in the next one
    latest = session.scalars(select(StatRelease).order_by(StatRelease.number.desc())).first()
    assert latest is not None and latest.respondents == 30
