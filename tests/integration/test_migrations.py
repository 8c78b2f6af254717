"""The migration history: one line, self-contained files, and autogenerate finds nothing to do."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from testimonials import db, migrate
from testimonials.paths import MIGRATIONS_DIR

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
