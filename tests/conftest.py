"""Fixtures: a fresh app and database per test, on SQLite always and PostgreSQL when set.

PostgreSQL runs when TEST_DATABASE_URL names a server; each test process works in a database of
its own (so two workers, or two runs, on one server do not meet), cloned from one the real
migrations built, and emptied between tests. With WAITLINE_REQUIRE_SERVICES=1 (as in CI) a
missing service fails the run instead of skipping.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

os.environ["WAITLINE_ENV"] = "testing"

import pytest  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient, FlaskCliRunner  # noqa: E402
from jinja2.bccache import Bucket, BytecodeCache  # noqa: E402
from sqlalchemy import Dialect, Engine, create_engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from sqlalchemy.pool import StaticPool  # noqa: E402
from werkzeug.routing import Rule  # noqa: E402

from testimonials import create_app, db, migrate  # noqa: E402
from testimonials.models import Base  # noqa: E402
from tests.postgres_databases import WorkerDatabase  # noqa: E402

REQUIRE_SERVICES = os.environ.get("WAITLINE_REQUIRE_SERVICES") == "1"


class _CompiledTemplates(BytecodeCache):
    """One compiled copy of each template for all the apps the suite builds (one per test):
    compiling every template again took about half the time of a test's first page. Jinja
    keys the code by template and source checksum, so a changed template is compiled afresh.
    The code object itself is kept and handed out (it is immutable), not its marshalled bytes:
    unmarshalling the five templates of the home page again for each app was a tenth of a new
    app's first page (issue 19)."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(bucket.key, (None, None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


# Tests only (a production process builds one app and would gain nothing from it).
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _CompiledTemplates()}


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per process rather than once per app.

    The suite builds an app per test (about 1,700 of the ~3,600 tests ask for one), and
    Werkzeug compiles two Python functions (AST, then compile()) for each of the app's 109
    rules. Measured (issue 19): create_app took 41 ms of CPU without this (0.15 to 0.25 s of
    wall time on a loaded machine), 10 to 11 ms with it. Werkzeug's generated code is
    made of the rule's parsed trace, each default that appears in the rule already turned into
    text by the rule's own converter, the names of the defaults (keyword arguments, in order)
    and append_unknown; the function is bound to a rule only when called (`__get__(rule)`),
    and reads that rule's own converters then. So one compiled function serves every app's
    copy of a rule with the same inputs, whatever its converters' arguments. Tests only:
    production builds one app and would gain nothing. Where Werkzeug's internals differ,
    nothing is patched. tests/unit/test_url_builders.py checks every rule of the app builds
    the same code, and URLs, as Werkzeug's own compilation.
    """
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or hasattr(compile_builder, "werkzeug_compile_builder"):
        return
    compiled: dict[tuple[object, ...], Any] = {}

    def shared_builder(rule: Rule, append_unknown: bool = True) -> Any:
        defaults = rule.defaults or {}
        constants = tuple((name, rule._converters[name].to_url(defaults[name]))
                          for is_dynamic, name in rule._trace
                          if is_dynamic and name in defaults) if defaults else ()
        key = (append_unknown, rule.rule, tuple(rule._trace), tuple(defaults), constants)
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    shared_builder.werkzeug_compile_builder = compile_builder  # type: ignore[attr-defined]
    Rule._compile_builder = shared_builder  # type: ignore[method-assign,assignment]


_share_url_builders()


def _share_rule_parsing() -> None:
    """Parse each URL rule's text once per process rather than once per app.

    Werkzeug parses each rule's text (regular expressions, each part's pattern and weight) when
    the rule joins an app's map: about a third of create_app's CPU (issue 19: 2 to 2.5 ms of
    9 to 10 per app). What the parse gives depends only on the text and on the converter
    classes the map has for the names in it (a converter's pattern and weight come from its
    class and the arguments written in the text), so a rule whose text and map converters
    were seen before gets the parts and trace seen then; its converters are still built for
    its own map, with the arguments the first parse passed them. Tests only; where Werkzeug's
    internals differ, nothing is patched. tests/unit/test_url_builders.py checks every rule
    of the app parses as Werkzeug's own parse does.
    """
    parse_rule = getattr(Rule, "_parse_rule", None)
    if parse_rule is None or hasattr(parse_rule, "werkzeug_parse_rule"):
        return
    parsed: dict[tuple[object, ...], tuple[list[Any], list[Any], list[Any]]] = {}

    def shared_parse(rule: Rule, text: str) -> list[Any]:
        key = (text, tuple(rule.map.converters.items()))
        if key not in parsed:
            made: list[tuple[str, str, Any, Any]] = []
            get_converter = rule.get_converter

            def recording(variable: str, name: str, args: Any, kwargs: Any) -> Any:
                made.append((variable, name, args, kwargs))
                return get_converter(variable, name, args, kwargs)

            trace_before = len(rule._trace)
            rule.get_converter = recording  # type: ignore[method-assign]
            try:
                parts = list(parse_rule(rule, text))
            finally:
                del rule.get_converter
            parsed[key] = (parts, rule._trace[trace_before:], made)
            return parts
        parts, trace, made = parsed[key]
        rule._trace.extend(trace)
        for variable, name, args, kwargs in made:
            rule._converters[variable] = rule.get_converter(variable, name, args, kwargs)
            rule.arguments.add(variable)
        return list(parts)

    shared_parse.werkzeug_parse_rule = parse_rule  # type: ignore[attr-defined]
    Rule._parse_rule = shared_parse  # type: ignore[method-assign,assignment]


_share_rule_parsing()


def _share_compiled_statements() -> None:
    """Compile each SQL statement once per process rather than once per test's engine.

    Every test's app has an engine of its own (its own database file), and SQLAlchemy caches
    a compiled statement per engine, keyed by the engine's dialect object: so every test
    compiled, again, each query it ran (ORM context, then SQL), about half of a test's first
    page. Measured (issue 19): the home page, /stories and /stats of a new app took 26 to
    29 ms of CPU, 17.5 to 18 with this. Engines of one kind (same dialect class and driver
    module, same server) get the first such engine's dialect and statement cache, once that
    dialect has connected (initialised from the server, as each engine's own would be); their
    own dialect still sets up each new connection. Compiled SQL depends on the dialect's
    settings, which make_engine gives every engine of a kind alike, not on the database file
    or schema. Tests only: production builds one engine per process.
    """
    make_engine = db.make_engine
    first_of_kind: dict[tuple[object, ...], tuple[Dialect, Any]] = {}

    def sharing_make_engine(url: str, **options: Any) -> Engine:
        engine = make_engine(url, **options)
        kind = (type(engine.dialect), engine.dialect.dbapi, engine.url.host, engine.url.port)
        first = first_of_kind.get(kind)
        if first is None or first[0].server_version_info is None:
            # None yet, or not connected yet: this one is the candidate.
            first_of_kind[kind] = (engine.dialect, engine._compiled_cache)
        else:
            engine.dialect, engine._compiled_cache = first
        return engine

    db.make_engine = sharing_make_engine


_share_compiled_statements()


def _remember_postgres_dialect_setup() -> None:
    """Ask each PostgreSQL database about itself once per process rather than once per engine.

    Each test's app builds an engine, and SQLAlchemy's dialect asks the server on the engine's
    first connection for its version, schema, isolation level, string escaping and the hstore
    type: five round trips, 30 ms of a PostgreSQL test's wall time on a loaded machine
    (measured, issue 19). What it learns is the same for every engine on one URL, so the first
    engine's answers (plain values: text, numbers, flags) are given to the next ones. Where the
    answers are anything else (hstore found and registered, a newer SQLAlchemy keeping an
    object there), nothing is remembered and every engine asks. Tests only: production builds
    one engine per process. tests/integration/test_test_databases.py checks that a dialect set
    up so equals one that asked.
    """
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    initialize = PGDialect_psycopg.initialize
    if hasattr(initialize, "asked"):
        return
    learned: dict[str, dict[str, object]] = {}

    def remembered(dialect: PGDialect_psycopg, connection: Any) -> None:
        key = connection.engine.url.render_as_string(hide_password=False)
        if key in learned:
            vars(dialect).update(learned[key])
            return
        before = dict(vars(dialect))
        initialize(dialect, connection)
        # Memoized properties (descriptors on the class) that the queries filled in are the
        # dialect's own caches: each dialect fills its own when it needs them.
        answers = {name: value for name, value in vars(dialect).items()
                   if (name not in before or before[name] is not value)
                   and not hasattr(getattr(type(dialect), name, None), "__get__")}
        if all(isinstance(value, (str, int, float, tuple, type(None)))
               for value in answers.values()):
            learned[key] = answers

    remembered.asked = initialize  # type: ignore[attr-defined]
    PGDialect_psycopg.initialize = remembered  # type: ignore[method-assign]


_remember_postgres_dialect_setup()

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
    """This test process's own migrated database on the test server (tests/postgres_databases.py),
    or None when there is none."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    try:
        own = WorkerDatabase(base)
    except Exception as error:  # noqa: BLE001 - any failure means "no server to test on"
        yield f"unavailable: {type(error).__name__}"
        return
    yield own.url
    own.drop()


@pytest.fixture
def live_postgres_url(postgres_url: str | None) -> str:
    """This process's migrated database on the test server; the test is skipped (failed on
    CI) without one."""
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
    url: str = request.getfixturevalue("live_postgres_url")
    empty_postgres(request.getfixturevalue("postgres_cleaner"))
    return url


# Emptying the database between tests: DELETE of every table, children first, with triggers and
# foreign-key checks off for this transaction (session_replication_role; the test user is the
# server's superuser), and every sequence back to its start, as TRUNCATE ... RESTART IDENTITY
# did. TRUNCATE of 23 tables cost about a second a test (new files for each table, each
# index); a test's few rows are deleted in milliseconds. The audit log's no-delete trigger is
# a trigger like the others, so it does not fire here; it fires everywhere else.
_EMPTY_POSTGRES = ";\n".join(
    ["SET LOCAL session_replication_role = replica"]
    + [f'DELETE FROM "{table.name}"' for table in reversed(Base.metadata.sorted_tables)]
    + ["SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass, "
       "start_value, false) FROM pg_sequences WHERE schemaname = current_schema()"])


def empty_postgres(engine: Engine) -> None:
    """Leave this process's database as TRUNCATE ... RESTART IDENTITY of every model's table
    would."""
    with engine.begin() as connection:
        connection.exec_driver_sql(_EMPTY_POSTGRES)


@pytest.fixture(scope="session")
def postgres_cleaner(postgres_url: str | None) -> Iterator[Engine]:
    """One connection for the whole run's between-test cleaning (not one per test); asked for
    only once live_postgres_url has found the server. Session-scoped fixtures are set up before
    a test's others, so a test asking for this one directly is skipped (failed on CI) here."""
    if postgres_url is None or postgres_url.startswith("unavailable"):
        service_missing(f"PostgreSQL tests need a server at TEST_DATABASE_URL ({postgres_url})")
    assert postgres_url is not None
    engine = create_engine(postgres_url, poolclass=StaticPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_app_engines() -> Iterator[dict[str, Engine]]:
    """The engine of this process's first app on each PostgreSQL database, given to the next
    apps of the `app` fixture in its place.

    A PostgreSQL connection is a server process: starting one and loading its catalog caches
    for a test's first statements took 46 to 88 ms a connection on a loaded machine, 9 ms on
    one already warm (measured, issue 19), and every test's app opened one or two. A
    production process keeps its engine, and its pool, across requests: the apps here now do
    too. The engine is the one the first app built (db.make_engine, the app's pool settings
    and checkout hooks); the pool rolls back what a test left open when its connection comes
    back, as it does between two requests.
    """
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    # No app context is held here: each request and command pushes its own, as in production,
    # so that the per-context session is opened and closed exactly as it will be live.
    # Files the app writes (the bulk story files) go to this test's own directory: tests
    # running side by side must not build or delete each other's.
    application = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                              "OPEN_DATA_DIR": str(tmp_path / "open-data")})
    own = application.extensions["waitline.engine"]
    if own.dialect.name != "postgresql":
        yield application
        own.dispose()
        return
    kept = request.getfixturevalue("postgres_app_engines").setdefault(database_url, own)
    if kept is not own:
        own.dispose()  # (it never connected)
        application.extensions["waitline.engine"] = kept
        application.extensions["waitline.sessionmaker"].configure(bind=kept)
    yield application


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


# Tests measured (pytest --durations, issue 19) at many seconds each, most of it hypothesis
# examples, reference computations (lifelines), the release-protection searches, the Java
# HTML checker or whole journeys: marked slow here, beside the modules that mark themselves,
# so that `make test-fast` leaves them out (it stays under a minute). `make test` runs every
# one of them. A test id starting with one of these is matched (all its parameters).
SLOW_TESTS = (
    "tests/unit/stats/test_stats_adversary.py::",
    "tests/unit/stats/test_stats_every_view_keeps_hidden_counts_hidden.py::"
    "test_no_hidden_small_count_can_be_recovered_from_all_views_together",
    "tests/unit/stats/test_stats_suppression_attack.py::test_no_hidden_count",
    "tests/unit/stats/test_stats_against_lifelines.py::test_curve_and_percentiles_match_lifelines",
    "tests/unit/stats/test_stats_intervals.py::",
    "tests/unit/stats/test_stats_release_document.py::"
    "test_every_filter_of_a_release_is_the_view_protected_at_the_cut",
    "tests/unit/stats/test_stats_implicit.py::test_the_solver_writes_nothing_to_standard_output",
    "tests/unit/stats/test_stats_protection.py::"
    "test_a_count_that_moved_by_a_few_since_it_was_shown_is_hidden_until_it_moved_enough",
    "tests/unit/stats/test_stats_protection.py::"
    "test_a_hidden_count_of_an_earlier_release_is_not_narrowed_by_a_later_one",
    "tests/unit/stats/test_stats_protection.py::test_a_small_site_keeps_its_totals_shown",
    "tests/unit/test_markup.py::test_a_browser_finds_no_markup_in_what_is_kept",
    "tests/unit/test_public_listing.py::test_decoding_anything_either_works_or_raises_value_error",
    "tests/integration/web/test_html_valid.py::test_every_page_is_valid_html",
    "tests/integration/share/test_share_my_pages.py::test_withdraw_asks_first_then_erases_everything",
    "tests/integration/security/test_security_csrf.py::"
    "test_no_method_but_a_checked_post_changes_anything",
    "tests/integration/public/test_api_schemathesis.py::",
    "tests/integration/test_stats_independent.py::"
    "test_demo_figures_match_an_independent_computation",
    "tests/integration/security/test_security_csrf.py::test_with_its_token_the_same_form_goes_through",
    "tests/integration/public/test_public_fulltext.py::test_many_matches_and_few_matches_page_alike",
    "tests/integration/test_demo_parallel_load.py::test_the_parallel_load_gives_the_serial_data",
    "tests/integration/test_page_cache.py::"
    "test_the_published_count_on_the_home_page_follows_an_approval_at_once",
    # Measured on an idle machine (make test-fast took 68 s; these 8 were 22 CPU-s of it).
    "tests/integration/test_stats_release_adversary.py::",
    "tests/unit/stats/test_stats_protection.py::"
    "test_a_quarter_is_compared_with_its_months_in_an_earlier_release_by_month",
    "tests/unit/stats/test_stats_protection.py::"
    "test_a_small_site_where_nearly_everyone_published_keeps_its_counts_and_is_quick",
    "tests/unit/stats/test_stats_protection.py::test_a_small_site_keeps_its_total_shown",
    "tests/integration/moderate/test_moderate_throttle.py::"
    "test_many_addresses_slow_an_account_down_without_locking_it",
    "tests/integration/moderate/test_moderate_throttle.py::test_the_pair_throttle_wears_off",
    "tests/integration/test_demo_load.py::test_demo_statistics_aggregates_equal_a_full_recount",
    "tests/integration/house/test_demo_in_use.py::test_the_same_seed_gives_the_same_audit_log",
    "tests/integration/house/test_demo_in_use.py::"
    "test_every_demo_decision_is_in_the_audit_log_by_a_demo_account_after_submission",
    "tests/integration/test_page_cache.py::"
    "test_other_workers_see_a_change_within_the_recheck_interval",
    "tests/integration/share/test_share_journey.py::"
    "test_email_is_asked_only_with_contact_me_and_then_required",
    # Measured (issue 19, per test CPU in the worker): 11.5, 7.7 and 3.5 s, a sixth of the
    # 126 CPU-s of make test-fast's tests.
    "tests/unit/stats/test_stats_protection.py::"
    "test_a_release_after_an_unchanged_one_keeps_its_pattern_and_adds_no_partner",
    "tests/unit/stats/test_stats_protection.py::"
    "test_a_site_of_200_people_over_many_places_is_audited_in_seconds_keeping_its_total",
    "tests/unit/stats/test_stats_across.py::"
    "test_no_withheld_state_count_is_a_parent_less_its_other_children",
)


@pytest.hookimpl(tryfirst=True)  # before -m selects on the marks added here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the measured slow tests; run the modules holding slow or browser tests first.

    With two workers, a test of a minute that starts last keeps one worker busy alone at the
    end of the run; started first, it overlaps the many short tests. Whole modules move, in
    their own order, so module-scoped fixtures are still built once per module and worker.
    """
    slow_modules = set()
    for item in items:
        if item.nodeid.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
            slow_modules.add(item.nodeid.partition("::")[0])
    items.sort(key=lambda item: item.nodeid.partition("::")[0] not in slow_modules)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish() -> None:
    """Leave what imports and collection built (modules, test items: some 170,000 objects that
    live as long as the run) out of the garbage collector's full passes. Each test builds and
    drops an app, so full passes come every few tests, and each went through all of them.
    Measured (issue 19), serially: on tests/integration/public/test_public_stories.py the
    collector took 0.9 to 1.1 s of 4.4 to 5.1 s of CPU, frozen 0.7 to 0.8 s; a test that only
    builds an app (or gets its home page) cost 31 ms of CPU, now 22.

    Then the youngest generation is collected every 10,000 allocations rather than every 700:
    most of what a test allocates (its app, sessions, requests) is dropped within the test,
    and at 700 much of it was collected young, survived into the older generations and was
    traversed there again. Measured (issue 19), serially, test_public_stories.py and
    test_api_stories.py: 4.3 to 5.0 s of CPU, 4.0 to 4.2 s with this."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
