"""Fixtures for the hostile-input tests: a signed-in moderator's client, and the log watch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from testimonials.vocab import Role
from tests.integration.moderate.moderate_helpers import make_account, sign_in
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
def mod_client(app: Flask) -> FlaskClient:
    """A moderator signed in through the real pages (password and TOTP code)."""
    client = app.test_client()
    sign_in(app, client, make_account(app, "hostile-mod@example.org", Role.MODERATOR))
    return client
