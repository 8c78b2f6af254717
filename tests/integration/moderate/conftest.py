"""Fixtures for moderation and admin tests: a moderator and an admin, signed-in clients."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import Person, make_account, sign_in

from testimonials.vocab import Role


@pytest.fixture
def moderator(app: Flask) -> Person:
    return make_account(app, "mod@example.org", Role.MODERATOR)


@pytest.fixture
def admin(app: Flask) -> Person:
    return make_account(app, "boss@example.org", Role.ADMIN)


@pytest.fixture
def mod_client(app: Flask, moderator: Person) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, moderator)
    return client


@pytest.fixture
def admin_client(app: Flask, admin: Person) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, admin)
    return client
