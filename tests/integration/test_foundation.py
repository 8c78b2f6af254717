"""The foundation: factory, configuration, pages, headers, migrations, commands."""

from __future__ import annotations

import re

import pytest
from flask import Flask, request
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from tests.builders import empty_audit_log

from testimonials import create_app, db, migrate
from testimonials.configuration import ConfigurationError
from testimonials.models import Account, Facility, Region, Submission, Wait
from testimonials.passwords import verify_password
from testimonials.vocab import Role


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


def test_home_page_links_to_the_parts_to_come(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for path in ("/stories", "/stats", "/share"):
        assert f'href="{path}' in page
    assert 'class="skip-link"' in page
    assert "lang=es" in page


def test_home_page_speaks_spanish_when_the_browser_asks(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Comparte tu historia" in page


def test_language_choice_is_kept(client: FlaskClient) -> None:
    response = client.get("/?lang=es")
    assert "lang=es" in response.headers.get("Set-Cookie", "")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in page


@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page", "/static/css/site.css"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:  # static files stream: close them
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_production_sends_hsts_and_secure_cookies(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "production",
                      "SECRET_KEY": "x" * 40, "SITE_URL": "https://localhost"})
    response = app.test_client().get("/?lang=es")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"]
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("secret", [None, "", "short", "development-only-not-secret"])
def test_production_refuses_to_start_without_a_real_secret_key(secret: str | None) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": secret,
                    "SITE_URL": "https://localhost", "DATABASE_URL": "sqlite://"})


def test_environment_variables_override_config(monkeypatch: pytest.MonkeyPatch,
                                               database_url: str) -> None:
    monkeypatch.setenv("STATS_MIN_CELL", "20")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("WAIT_STANDARDS", '{"intake": {"business_days": 5}}')
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    assert app.config["STATS_MIN_CELL"] == 20
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["WAIT_STANDARDS"] == {"intake": {"business_days": 5}}
    app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("path,code", [("/no-such-page", 404), ("/healthz", 405)])
def test_error_pages_are_plain(client: FlaskClient, path: str, code: int) -> None:
    response = client.get(path) if code == 404 else client.post(path)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "<h1>" in page


def test_unexpected_error_shows_a_plain_page_and_logs_no_message(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    @app.post("/boom")
    def boom() -> str:
        raise RuntimeError(request.form["story"])

    response = app.test_client().post("/boom", data={"story": "secret story text"})
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert "secret story text" not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text
    assert "secret story text" not in caplog.text


def test_healthz_answers_while_the_database_does(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True}


def test_users_create_reads_a_piped_password(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["users", "create", "Mod@Example.org", "--role", "admin"],
                           input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    account = session.scalar(select(Account))
    assert account is not None
    assert account.email == "mod@example.org" and account.role is Role.ADMIN
    assert account.password_hash.startswith("$argon2id$")
    assert verify_password(account.password_hash, "correct horse battery")


@pytest.mark.parametrize("password,message", [("short", "at least 12"), ("", "at least 12")])
def test_users_create_refuses_weak_passwords(runner: FlaskCliRunner, password: str,
                                             message: str) -> None:
    result = runner.invoke(args=["users", "create", "m@example.org"], input=f"{password}\n")
    assert result.exit_code != 0
    assert message in result.output


def test_users_create_refuses_a_duplicate(runner: FlaskCliRunner) -> None:
    args = ["users", "create", "m@example.org"]
    assert runner.invoke(args=args, input="long enough password\n").exit_code == 0
    result = runner.invoke(args=args, input="long enough password\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_facilities_import_adds_then_updates(runner: FlaskCliRunner, session: Session,
                                             tmp_path) -> None:  # type: ignore[no-untyped-def]
    csv_file = tmp_path / "f.csv"
    csv_file.write_text("name,city,region,latitude,longitude\n"
                        "Clinic A,Oakland,East Bay,37.80,-122.27\n"
                        "Clinic B,Fresno,Central Valley,36.74,-119.78\n", encoding="utf-8")
    result = runner.invoke(args=["facilities", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "2 facilities added" in result.output
    csv_file.write_text("name,city,region,latitude,longitude\n"
                        "Clinic A,Oakland,North Bay,37.81,-122.27\n", encoding="utf-8")
    result = runner.invoke(args=["facilities", "import", str(csv_file)])
    assert "1 updated" in result.output
    clinic = session.scalar(select(Facility).where(Facility.name == "Clinic A"))
    assert clinic is not None and clinic.region.name == "North Bay"
    assert session.scalar(select(func.count()).select_from(Region)) == 3


@pytest.mark.parametrize("content,message", [
    ("name,city\nA,B\n", "missing column"),
    ("name,city,region,latitude,longitude\nA,,R,1,2\n", "line 2"),
    ("name,city,region,latitude,longitude\nA,B,R,north,2\n", "latitude is not a number"),
    ("name,city,region,latitude,longitude\nA,B,R,91,2\n", "latitude is out of range"),
])
def test_facilities_import_names_the_bad_line(runner: FlaskCliRunner, tmp_path,  # type: ignore[no-untyped-def]
                                              content: str, message: str) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["facilities", "import", str(csv_file)])
    assert result.exit_code != 0
    assert message in result.output


def test_demo_load_is_reproducible_and_varied(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["demo", "load", "--count", "300", "--seed", "7",
                                 "--until", "2026-11-01"])
    assert result.exit_code == 0, result.output
    assert "moderator@example.org" in result.output
    rows = session.execute(select(Submission.status, Submission.language)).all()
    assert len(rows) == 300
    assert {status for status, _ in rows} >= {"approved", "rejected"}  # the queue: house/
    assert {language for _, language in rows} == {"en", "es"}
    states = set(session.scalars(select(Wait.state)))
    assert states == {"ended", "waiting", "gave_up"}
    first = session.execute(select(Submission.original_story).order_by(Submission.id)).scalars().all()
    # The same seed and date again, into a clean table: identical texts.
    empty_audit_log(session)
    session.execute(text("DELETE FROM wait"))
    session.execute(text("DELETE FROM submission"))
    session.commit()
    runner.invoke(args=["demo", "load", "--count", "300", "--seed", "7", "--until", "2026-11-01"])
    session.expire_all()
    again = session.execute(select(Submission.original_story).order_by(Submission.id)).scalars().all()
    assert again == first
    assert len(set(first)) > 280


def test_demo_load_if_empty_does_nothing_twice(runner: FlaskCliRunner, session: Session) -> None:
    runner.invoke(args=["demo", "load", "--count", "20"])
    result = runner.invoke(args=["demo", "load", "--count", "20", "--if-empty"])
    assert "nothing loaded" in result.output
    assert session.scalar(select(func.count()).select_from(Submission)) == 20


def test_demo_load_refuses_production(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "production",
                      "SECRET_KEY": "y" * 40, "SITE_URL": "https://localhost"})
    result = app.test_cli_runner().invoke(args=["demo", "load", "--count", "5"])
    assert result.exit_code != 0 and "development" in result.output
    app.extensions["waitline.engine"].dispose()


def test_published_stories_appear_on_the_home_page(runner: FlaskCliRunner,
                                                   client: FlaskClient) -> None:
    runner.invoke(args=["demo", "load", "--count", "60"])
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'class="figure-number">\d+', page)
    assert page.count('class="story-card"') == 3


def test_demo_statistics_aggregates_equal_a_full_recount(runner: FlaskCliRunner,
                                                         session: Session) -> None:
    from testimonials.services import statistics

    result = runner.invoke(args=["demo", "load", "--count", "400", "--seed", "11"])
    assert result.exit_code == 0, result.output
    stored = statistics.stored_cells(session)
    assert stored and stored == statistics.recount(session)
    counted = session.scalar(select(func.count()).select_from(Submission)
                             .where(Submission.counted_in_stats.is_(True)))
    assert stored[("all", "respondents", -1)] == counted


@pytest.mark.parametrize("only", ["approved", "pending"])
def test_demo_load_can_make_every_item_one_kind(runner: FlaskCliRunner, session: Session,
                                                only: str) -> None:
    result = runner.invoke(args=["demo", "load", "--count", "50", "--only", only])
    assert result.exit_code == 0, result.output
    assert set(session.scalars(select(Submission.status))) == {only}
    published = session.scalar(select(func.count()).select_from(Submission)
                               .where(Submission.published_at.is_not(None)))
    assert published == (50 if only == "approved" else 0)


def test_demo_loads_stack_with_the_same_seed(runner: FlaskCliRunner, session: Session) -> None:
    """The bench's data set: approved stories, then pending ones on top, from one seed."""
    for only in ("approved", "pending"):
        result = runner.invoke(args=["demo", "load", "--count", "40", "--seed", "3",
                                     "--only", only])
        assert result.exit_code == 0, result.output
    rows = session.execute(select(Submission.token_hash, Submission.original_story)).all()
    assert len(rows) == 80
    assert len({token for token, _ in rows}) == 80
    assert len({story for _, story in rows}) > 70  # new stories, not copies of the first 40


def test_demo_load_leaves_indexes_search_and_triggers_as_migrated(
        app: Flask, runner: FlaskCliRunner, client: FlaskClient) -> None:
    """The loader sets indexes and search triggers aside while it writes; all come back."""
    def schema() -> list[tuple[str, str]]:
        with app.app_context():
            inspector = inspect(db.engine())
            return sorted((table, index["name"]) for table in ("submission", "wait")
                          for index in inspector.get_indexes(table))

    before = schema()
    for only in ("approved", "approved"):  # into an empty table, then on top of it
        assert runner.invoke(args=["demo", "load", "--count", "60", "--only", only]).exit_code == 0
    assert schema() == before
    with app.app_context():
        assert migrate.differences(db.engine()) == []
    page = client.get("/stories?q=waited").get_data(as_text=True)
    assert page.count('class="story-card"') == 20  # both loads are searchable
    with app.app_context():
        with db.writing() as session:
            session.execute(text("UPDATE submission SET public_story = 'zebras everywhere' "
                                 "WHERE id = 1"))
    assert "zebras everywhere" in client.get("/stories?q=zebras").get_data(as_text=True)


def test_ceiling_route_exists_only_for_the_bench(database_url: str) -> None:
    plain = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    assert plain.test_client().get("/_bench/ceiling").status_code == 404
    bench = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "BENCH_ROUTES": True})
    response = bench.test_client().get("/_bench/ceiling")
    assert response.status_code == 200 and len(response.data) > 4500
    for app in (plain, bench):
        app.extensions["waitline.engine"].dispose()


def test_production_hashes_passwords_at_argon2_cffis_recommended_cost() -> None:
    """The suite hashes cheaply; this is the one check of the real parameters."""
    from argon2 import extract_parameters, profiles

    from testimonials import passwords

    passwords.use_profile("default")
    try:
        parameters = extract_parameters(passwords.hash_password("a long enough password"))
        assert parameters == profiles.RFC_9106_LOW_MEMORY
    finally:
        passwords.use_profile("cheap-for-tests")


def test_only_tests_may_hash_passwords_cheaply() -> None:
    with pytest.raises(ConfigurationError, match="PASSWORD_HASH_PROFILE"):
        create_app({"PASSWORD_HASH_PROFILE": "cheap-for-tests", "TESTING": False,
                    "ENV_NAME": "development", "DATABASE_URL": "sqlite://"})
