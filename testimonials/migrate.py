"""Alembic, driven from the app: `flask db upgrade` and the migration/model check.

Alembic is imported inside the functions: it brings Mako and Pygments with it, some 10 MB that
every web worker would otherwise carry for commands only the CLI runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, text

from testimonials.models import Base
from testimonials.paths import MIGRATIONS_DIR

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on `engine` (migrations/env.py reads it)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(engine)
    collapse_stamped_ancestors(engine, config)
    command.upgrade(config, revision)


def collapse_stamped_ancestors(engine: Engine, config: Config) -> list[str]:
    """Forget stamped revisions that are ancestors of another stamped one; return them.

    The history was once four branches (0003 to 0006 each on 0001), so databases of that time
    are stamped with all four. The history is now one line through them; Alembic refuses a
    version table that holds a revision and its own ancestor ("overlaps"), so we keep only the
    newest of each line. Nothing else changes: those migrations are already applied.
    """
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    with engine.begin() as connection:
        stamped = set(MigrationContext.configure(connection).get_current_heads())
        if len(stamped) < 2:
            return []
        ancestors = {
            revision.revision
            for head in stamped
            for revision in script.iterate_revisions(head, "base")
            if revision.revision != head
        }
        redundant = sorted(stamped & ancestors)
        for name in redundant:
            connection.execute(
                text("DELETE FROM alembic_version WHERE version_num = :name"), {"name": name}
            )
    return redundant


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def revision(engine: Engine, message: str, autogenerate: bool) -> None:
    from alembic import command

    command.revision(alembic_config(engine), message=message, autogenerate=autogenerate)


def current_revision(engine: Engine) -> str | None:
    """The applied revision (comma-separated if a database still holds several)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


# Database objects that migrations create but the models do not describe: the full-text
# search index (migrations/versions/0004_search.py), an FTS5 table with its shadow tables on
# SQLite, a generated tsvector column and its GIN index on PostgreSQL.
UNMODELLED_TABLE_PREFIX = "story_search"
UNMODELLED_COLUMNS = frozenset({("submission", "search_document")})
UNMODELLED_INDEXES = frozenset({"ix_submission_search"})


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """False for the objects above, so that comparisons and autogenerate leave them alone."""
    if type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIX):
        return False
    if type_ == "column" and (parent_names.get("table_name"), name) in UNMODELLED_COLUMNS:
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Autogenerate writes our TypeDecorators as the plain type they store, so that a new
    migration stays self-contained (it must not change when the application does)."""
    from sqlalchemy.types import TypeDecorator

    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def differences(engine: Engine) -> list[Any]:
    """What the models have that the migrated database lacks, or the other way round."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True,
                              "include_name": include_name}
        )
        return list(compare_metadata(context, Base.metadata))
