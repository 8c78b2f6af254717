"""Fixtures for the security tests: an app with CSRF and limits on, real data, the log watch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from security_helpers import Arranged, arrange, strict_app

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
def strict(database_url: str) -> Iterator[Flask]:
    application = strict_app(database_url)
    yield application
    application.extensions["waitline.engine"].dispose()


@pytest.fixture
def things(strict: Flask) -> Arranged:
    return arrange(strict)
