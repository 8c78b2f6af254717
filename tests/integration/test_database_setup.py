"""The database the app opens: migrations that match the models, SQLite in WAL with foreign keys,
and only a bulk load skipping the wait for the disk."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from testimonials import db, migrate


def test_migrations_match_models(app: Flask) -> None:
    with app.app_context():
        assert migrate.current_revision(db.engine()) is not None
        assert migrate.differences(db.engine()) == []


def test_sqlite_runs_in_wal_with_foreign_keys(app: Flask) -> None:
    with app.app_context():
        if db.engine().dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only")
        session = db.session()
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_only_a_bulk_load_skips_waiting_for_the_disk(app: Flask) -> None:
    with app.app_context():
        if db.engine().dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only")
        with db.writing(bulk=True) as session:
            assert session.execute(text("PRAGMA synchronous")).scalar() == 0  # OFF
        db.close_session()
    with app.app_context():  # the same pooled connection, back to NORMAL
        assert db.session().execute(text("PRAGMA synchronous")).scalar() == 1
