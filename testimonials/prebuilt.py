"""Statements compiled once for each database the site runs on, run with the driver's own
parameters.

SQLAlchemy works out a cache key for every statement it executes, walking the statement's
whole tree, and then processes each parameter: for a statement of many parts (sixteen
limited selects in a union, sixteen rows of one insert) that costs more CPU than the database
takes to run it, and a patient's new story runs such statements while it holds SQLite's write
lock. Only for statements whose parameters and columns need no conversion by SQLAlchemy's
types (whole numbers and text): the driver takes the values as given and returns rows as
the database gives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, CursorResult
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

# The drivers the site's engines use (testimonials/db.py): SQLite's module and psycopg.
DIALECTS: Mapping[str, Dialect] = {
    "sqlite": sqlite.dialect(),
    "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
}


class Prebuilt:
    """One statement, compiled for each of DIALECTS at import; `execute` runs it on a
    connection with named parameters (the statement's own constants filled in)."""

    def __init__(self, statement: ClauseElement) -> None:
        self._forms = {name: _Form(statement, dialect) for name, dialect in DIALECTS.items()}

    def execute(self, connection: Connection, params: Mapping[str, Any]) -> CursorResult[Any]:
        return self._forms[connection.dialect.name].execute(connection, params)


class _Form:
    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = compiled.string
        # The constants SQLAlchemy turned into parameters (a band's number, a LIMIT).
        self.constants = {name: bind.value for name, bind in compiled.binds.items()
                          if not bind.required}
        self.order: Sequence[str] | None = (list(compiled.positiontup)
                                            if compiled.positional and compiled.positiontup
                                            else None)

    def execute(self, connection: Connection, params: Mapping[str, Any]) -> CursorResult[Any]:
        values = {**self.constants, **params}
        if self.order is None:
            return connection.exec_driver_sql(self.sql, values)
        return connection.exec_driver_sql(self.sql, tuple(values[name] for name in self.order))
