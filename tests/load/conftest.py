"""Fixtures for the load and fault tests: a migrated SQLite file, and the log watch.

Everything here runs on loopback (127.0.0.1) only, and every loop is bounded in count and time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from testimonials import create_app, db, migrate
from tests.load import logwatch


@pytest.fixture(scope="session", autouse=True)
def watch_logs() -> Iterator[None]:
    """Keep every log line of the run; the last of the suites' fixtures searches them."""
    logwatch.install()
    yield
    if logwatch.release():
        found = logwatch.problems()
        assert not found, "\n".join(found[:20])


@contextmanager
def migrated_sqlite(directory: Path) -> Iterator[tuple[str, Any]]:
    """A migrated SQLite database in `directory`, and an in-process app on it."""
    url = f"sqlite:///{directory / 'waitline.db'}"
    app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing"})
    with app.app_context():
        migrate.upgrade(db.engine())
    try:
        yield url, app
    finally:
        app.extensions["waitline.engine"].dispose()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A migrated SQLite database and an in-process app on it, to arrange and to check."""
    with migrated_sqlite(tmp_path) as found:
        yield found
