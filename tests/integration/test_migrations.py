"""The migration history: one line, self-contained files, and autogenerate finds nothing to do."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from testimonials import db, migrate
from testimonials.paths import MIGRATIONS_DIR
from testimonials.vocab import Status
from tests import builders

VERSIONS = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))


def _script() -> ScriptDirectory:
    config = migrate.alembic_config(db.make_engine("sqlite://"))
    return ScriptDirectory.from_config(config)


def test_history_has_one_head() -> None:
    assert len(_script().get_heads()) == 1


def test_no_migration_imports_the_application() -> None:
    for path in VERSIONS:
        tree = ast.parse(path.read_text())
        imported = [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names
        ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [name for name in imported if name.startswith("testimonials")], path.name


def test_database_stamped_at_the_old_four_heads_upgrades(app: Flask) -> None:
    """Databases of the time when 0003 to 0006 each branched from 0001 carry four rows."""
    with app.app_context():
        engine = db.engine()
        with engine.begin() as connection:
            for old_head in ("0003_moderation", "0004_search", "0005_stats"):
                connection.execute(
                    text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": old_head}
                )
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == _script().get_current_head()
        assert migrate.differences(engine) == []


def test_autogenerate_on_a_migrated_database_writes_an_empty_revision(
    app: Flask, tmp_path: Path
) -> None:
    """The README's `flask db revision --autogenerate` works, and models match migrations."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy)
    with app.app_context():
        config = migrate.alembic_config(db.engine())
        config.set_main_option("script_location", str(copy))
        from alembic import command

        command.revision(config, message="nothing", autogenerate=True)
    (written,) = set((copy / "versions").glob("*.py")) - {copy / "versions" / p.name
                                                         for p in VERSIONS}
    tree = ast.parse(written.read_text())
    bodies = {
        node.name: [type(statement).__name__ for statement in node.body]
        for node in tree.body if isinstance(node, ast.FunctionDef)
    }
    assert bodies == {"upgrade": ["Pass"], "downgrade": ["Pass"]}
    assert "testimonials" not in written.read_text()


def test_the_published_count_migration_goes_down_and_up_again(
        app: Flask, session: Session) -> None:
    """0026 counts the published stories into status_count, and its triggers keep them; down
    to 0025 they are neither there nor counted (its home page counts them itself, from
    content_version's NULL); up again they are counted afresh, whatever changed meanwhile."""
    for status in (Status.APPROVED, Status.APPROVED, Status.PENDING):
        builders.submission(session, status=status)
    session.commit()
    session.close()
    published = "SELECT coalesce(sum(items), 0) FROM status_count WHERE status = 'published'"
    with app.app_context():
        engine = db.engine()
        assert _scalar(engine, published) == 2
        migrate.downgrade(engine, "0025_status_counts")
        try:
            assert _scalar(engine, published) == 0
            assert _scalar(engine, "SELECT count(published_stories) FROM content_version") == 0
            with engine.begin() as connection:  # no trigger of 0026 left to count this
                connection.execute(text("UPDATE submission SET published_at = NULL "
                                        "WHERE published_at IS NOT NULL AND id = "
                                        "(SELECT min(id) FROM submission)"))
            assert _scalar(engine, published) == 0
        finally:
            migrate.upgrade(engine)
        assert _scalar(engine, published) == 1
        with engine.begin() as connection:  # the triggers are back
            connection.execute(text("UPDATE submission SET published_at = updated_at"))
        assert _scalar(engine, published) == 3
        assert migrate.differences(engine) == []


def test_the_departure_migration_counts_one_departure_after_the_releases_before_it(
        app: Flask, session: Session) -> None:
    """0028 cannot know what left the statistics before it: a database with releases gets one
    departure at the latest cut, so the next release holds none of their figures (one without
    releases gets no row: nothing to hold)."""
    builders.clinics_released(app, session, [("Big Clinic", "East Bay", 30)])
    session.close()
    with app.app_context():
        engine = db.engine()
        assert _scalar(engine, "SELECT count(*) FROM stat_departure") == 0
        migrate.downgrade(engine, "0027_region_former_slug")
        migrate.upgrade(engine)
        assert _scalar(engine, "SELECT departures FROM stat_departure WHERE id = 1") == 1
        assert _scalar(engine, "SELECT last_left_at FROM stat_departure") == _scalar(
            engine, "SELECT max(cut_at) FROM stat_release")
        assert migrate.differences(engine) == []


def _scalar(engine: Engine, query: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(query)).scalar()
