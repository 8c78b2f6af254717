"""The declarative base: naming convention, UTC timestamps and enum columns shared by all tables."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, cast

from sqlalchemy import DateTime, Enum, MetaData, Table, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that migrations name (and can later drop) the same things on
# SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime in Python, a naive UTC timestamp in the database (same on both)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return cast(dt.datetime, value).replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    """Now, aware, in UTC: the default for timestamp columns (a callable, never import-time)."""
    return dt.datetime.now(dt.UTC)


def enum_column(enum_type: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR column holding the enum's values, with a CHECK constraint named `name`."""
    return Enum(
        enum_type,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(str(member.value)) for member in enum_type),
        values_callable=lambda members: [str(member.value) for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Table a mapped class is declared on (typed as a Table, for Core statements)."""
    return cast(Table, model.__table__)
