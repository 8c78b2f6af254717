"""Fixtures: a fresh app and database per test, on SQLite always and PostgreSQL when set.

PostgreSQL runs when TEST_DATABASE_URL names a server; each test run works in a schema of its
own (so two runs on one server do not meet), created by the real migrations and emptied
between tests. With WAITLINE_REQUIRE_SERVICES=1 (as in CI) a missing service fails the run
instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ["WAITLINE_ENV"] = "testing"

import pytest  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient, FlaskCliRunner  # noqa: E402
from jinja2.bccache import Bucket, BytecodeCache  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from testimonials import create_app, db, migrate  # noqa: E402
from testimonials.models import Base  # noqa: E402

REQUIRE_SERVICES = os.environ.get("WAITLINE_REQUIRE_SERVICES") == "1"


class _CompiledTemplates(BytecodeCache):
    """One compiled copy of each template for all the apps the suite builds (one per test):
    compiling every template again took about half the time of a test's first page. Jinja
    keys the code by template and source checksum, so a changed template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


# Tests only (a production process builds one app and would gain nothing from it).
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _CompiledTemplates()}
BACKENDS = ["sqlite", "postgresql"]


def service_missing(reason: str) -> None:
    """Skip the test with the reason printed, or fail when services are required (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A migrated schema of this run's own on the test server, or None when there is none."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    schema = f"waitline_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001 - any failure means "no server to test on"
        admin.dispose()
        yield f"unavailable: {type(error).__name__}"
        return
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    engine = db.make_engine(url_text)
    migrate.upgrade(engine)
    engine.dispose()
    yield url_text
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def live_postgres_url(postgres_url: str | None) -> str:
    """The test server's migrated schema; the test is skipped (failed on CI) without one."""
    if postgres_url is None:
        service_missing("PostgreSQL tests need TEST_DATABASE_URL")
    if postgres_url.startswith("unavailable"):  # type: ignore[union-attr]
        service_missing(f"PostgreSQL at TEST_DATABASE_URL did not answer ({postgres_url})")
    return postgres_url  # type: ignore[return-value]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated, empty database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "waitline.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("live_postgres_url")
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    # No app context is held here: each request and command pushes its own, as in production,
    # so that the per-context session is opened and closed exactly as it will be live.
    # Files the app writes (the bulk story files) go to this test's own directory: tests
    # running side by side must not build or delete each other's.
    application = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                              "OPEN_DATA_DIR": str(tmp_path / "open-data")})
    yield application
    application.extensions["waitline.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session of the test's own, to arrange data and check results between requests."""
    own = app.extensions["waitline.sessionmaker"]()
    yield own
    own.close()
