"""Helpers for the security tests: an app with CSRF and limits on, real data to aim at, every
route of the URL map turned into real URLs, the site's own forms read from its pages, and a
checksum of the whole database."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from testimonials import create_app, db, migrate
from testimonials.models import Account, Base, Facility, Region, utcnow
from testimonials.services import accounts, submissions
from testimonials.vocab import Language, Reporter, Role, Unit, WaitKind, WaitState
from testimonials.waits import WaitAnswer
from tests.load import logwatch

PASSWORD = "correct horse battery staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STORY = "I waited <3 months & cried before the clinic gave me a return appointment. Security."
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')  # noqa: E501
# Columns that change by merely being signed in (a session's last activity), not by an action.
VOLATILE = {("account_session", "last_seen_at")}


def strict_app(database_url: str, **overrides: Any) -> Flask:
    """The app as in production, on the test database: CSRF and rate limits on."""
    return create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                       "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True, **overrides})


@dataclass
class Arranged:
    """Real things for the URL map's placeholders."""

    admin: Account
    moderator_id: int
    facility_id: int
    submission_id: int
    token: str
    invite_token: str


def arrange(app: Flask) -> Arranged:
    """An admin (second factor enrolled), a moderator, a clinic, a pending story, an invitation."""
    now = utcnow()
    with app.extensions["waitline.sessionmaker"]() as session:
        admin = accounts.create_account(session, "sec-admin@example.org", PASSWORD, Role.ADMIN,
                                        now)
        admin.totp_secret, admin.totp_enrolled_at = SECRET, now
        moderator = accounts.create_account(session, "sec-mod@example.org", PASSWORD,
                                            Role.MODERATOR, now)
        region = Region(name="East Bay", slug="east-bay")
        facility = Facility(name="Oakland Medical Center", city="Oakland", region=region,
                            active=True, latitude=37.8, longitude=-122.27)
        session.add(facility)
        session.flush()
        answers = submissions.Answers(
            story=STORY, title="Months", reporter=Reporter.PATIENT, facility_id=facility.id,
            facility_other=None, care_types=1, outcomes=0, experience_month=dt.date(2025, 3, 1),
            waits=(WaitAnswer(WaitKind.FIRST_RETURN, WaitState.WAITING, 60, 60, Unit.DAYS),),
            consent_publish=True, consent_stats=True, consent_share=False,
            consent_contact=True, display_name="Rosa", email="rosa.security@example.org")
        receipt = submissions.submit(session, answers, Language.EN, now)
        _invited, invite_token = accounts.invite(session, "sec-new@example.org",
                                                 Role.MODERATOR, admin, now)
        session.commit()
        assert receipt.token is not None
        logwatch.remember(STORY, receipt.token, invite_token, "rosa.security@example.org")
        session.expunge(admin)
        return Arranged(admin, moderator.id, facility.id, receipt.submission.id, receipt.token,
                        invite_token)


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, html[:500]
    return found.group(1) or found.group(2)


def sign_in(app: Flask, client: FlaskClient, email: str = "sec-admin@example.org",
            next_path: str | None = None) -> str:
    """Through the pages with their CSRF tokens: password, then the TOTP code; where it led."""
    with app.extensions["waitline.sessionmaker"]() as session:
        account = session.scalars(select(Account).where(Account.email == email)).one()
        account.totp_last_step = None
        session.commit()
    token = csrf_of(client.get("/moderate/login").get_data(as_text=True))
    form = {"csrf_token": token, "email": email, "password": PASSWORD}
    if next_path is not None:
        form["next"] = next_path
    response = client.post("/moderate/login", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    token = csrf_of(client.get("/moderate/login/code").get_data(as_text=True))
    response = client.post("/moderate/login/code", data={"csrf_token": token,
                                                         "code": pyotp.TOTP(SECRET).now()})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def urls_for(rule: Rule, things: Arranged) -> list[str]:
    """Every URL of a rule, its placeholders filled with real ids and tokens where known."""
    values: dict[str, list[Any]] = {}
    for name in rule.arguments:
        converter = rule._converters[name]  # noqa: SLF001 - the only way to see the choices
        choices = getattr(converter, "items", None)
        if choices:
            values[name] = sorted(choices)
        elif name == "token":
            values[name] = [things.invite_token if "set-password" in rule.rule
                            else things.token]
        elif name == "submission_id" or name == "story_id":
            values[name] = [things.submission_id]
        elif name == "account_id":
            values[name] = [things.moderator_id]
        elif name == "facility_id":
            values[name] = [things.facility_id]
        elif name == "filename":
            values[name] = ["css/site.css"]
        else:
            values[name] = [1 if "int" in type(converter).__name__.lower() else "x"]
    urls = [""]
    for part in re.split(r"(<[^>]+>)", rule.rule):
        if part.startswith("<"):
            name = part.strip("<>").split(":")[-1]
            urls = [url + str(value) for url in urls for value in values[name]]
        else:
            urls = [url + part for url in urls]
    return urls


class _Forms(HTMLParser):
    """Every form of a page: its action and the fields it would send as the page stands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._field: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}))
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            fields = self.forms[-1][1]
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and a["name"] not in fields):
                    fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._field = a["name"]
            self.forms[-1][1][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            fields = self.forms[-1][1]
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._field and self.forms:
            self.forms[-1][1][self._field] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._field = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def checksum(app: Flask) -> str:
    """A digest of every row of every table (minus last-activity times)."""
    digest = hashlib.sha256()
    with app.extensions["waitline.engine"].connect() as connection:
        if connection.dialect.name == "postgresql":
            # One statement for all the tables: a statement per table made the round trips
            # to the server most of the CSRF walk's time (a checksum after each request).
            for name, rows in zip(_TABLES, connection.exec_driver_sql(_ALL_ROWS_POSTGRES).one(),
                                  strict=True):
                digest.update(f"{rows}|{name}|".encode())
            return digest.hexdigest()
        for name, statement in _ROWS_OF_EACH:  # SQLite: in process, no round trips to save
            for row in connection.exec_driver_sql(statement):
                digest.update(repr(tuple(row)).encode())
            digest.update(f"|{name}|".encode())
    return digest.hexdigest()


def _rows_of_each() -> list[tuple[str, str]]:
    """(table, the statement reading its rows in primary-key order), built once."""
    statements = []
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if (table.name, c.name) not in VOLATILE]
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
        listed = ", ".join(f'"{c}"' for c in columns)
        statements.append((table.name, f'SELECT {listed} FROM "{table.name}" ORDER BY {order}'))
    return statements


def _all_rows_postgres() -> str:
    """One row holding, for each table, its rows as text (ROW(...)::text quotes each value, so
    that no two different rows read alike), in primary-key order, one per line."""
    parts = []
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if (table.name, c.name) not in VOLATILE]
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
        listed = ", ".join(f'"{c}"' for c in columns)
        parts.append(f"(SELECT coalesce(string_agg(CAST(ROW({listed}) AS text), E'\\n' "
                     f'ORDER BY {order}), \'\') FROM "{table.name}")')
    return "SELECT " + ",\n".join(parts)


_ROWS_OF_EACH = _rows_of_each()
_TABLES = [name for name, _statement in _ROWS_OF_EACH]
_ALL_ROWS_POSTGRES = _all_rows_postgres()


def prepared_database(tmp: Path) -> str:
    """A migrated SQLite file in `tmp` with arrange()'s accounts and story, ready for gunicorn."""
    url = f"sqlite:///{tmp / 'waitline.db'}"
    app = strict_app(url)
    with app.app_context():
        migrate.upgrade(db.engine())
    arrange(app)
    app.extensions["waitline.engine"].dispose()
    return url
