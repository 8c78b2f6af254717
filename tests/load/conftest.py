"""Fixtures for the load and fault tests: a migrated SQLite file, and the log watch.

Everything here runs on loopback (127.0.0.1) only, and every loop is bounded in count and time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[tuple[str, object]]:
    """A migrated SQLite database and an in-process app on it, to arrange and to check."""
    url = f"sqlite:///{tmp_path / 'waitline.db'}"
    app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing"})
    with app.app_context():
        migrate.upgrade(db.engine())
    yield url, app
    app.extensions["waitline.engine"].dispose()
