"""Computed statistics shared by every worker through the database (table stat_report).

A worker that starts, restarts (gunicorn recycles workers after max_requests) or first sees a
new version of the aggregates would otherwise compute the same figures its neighbours have
already computed, and stall its requests meanwhile. What took long to compute is written here
once per version; the others read it in one query. Only text is stored (rendered HTML, JSON,
CSV, the suppression decision as JSON), never pickled objects. It is a cache: a failed write
is logged and forgotten.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Hashable

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from testimonials.models.stats import StatReport

log = logging.getLogger(__name__)

# Worth sharing: anything that took longer than this to compute (the cheap views of one
# facility are not, which keeps the table small whatever a crawler asks for).
SHARE_AFTER_SECONDS = 0.02


def key_of(name: Hashable) -> str:
    return hashlib.sha256(repr(name).encode()).hexdigest()


def load(session: Session, name: Hashable, version: int) -> str | None:
    """The stored text of `name` at this version, or None."""
    return session.scalar(select(StatReport.body).where(
        StatReport.key == key_of(name), StatReport.version == version))


def save(session: Session, name: Hashable, version: int, body: str) -> None:
    """Store `body` for `name` in a short transaction of its own; drop older versions."""
    engine = session.get_bind()
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(StatReport).values(key=key_of(name), version=version, body=body)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={"version": statement.excluded.version,
                                      "body": statement.excluded.body},
        where=StatReport.version < statement.excluded.version)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(sqlite_write=True)
            with connection.begin():
                connection.execute(statement)
                connection.execute(delete(StatReport).where(StatReport.version < version))
    except SQLAlchemyError as error:  # a busy or read-only database: just compute next time
        log.warning("statistics not shared: %s", type(error).__name__)
