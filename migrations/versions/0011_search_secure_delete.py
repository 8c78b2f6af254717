"""search: the SQLite full-text index deletes a story's words at once (FTS5 secure-delete)

Revision ID: 0011_search_secure_delete
Revises: 0010_draft
Create Date: 2026-12-06 04:40:00

Where the SQLite in use has it (3.42 and later; the app brings 3.46 through pysqlite3 where
its wheel exists), a deletion from the index then removes the deleted row's words from the
index pages at once, instead of leaving them until a merge of the whole index. The index is
merged once here, so that words of earlier deletions go too. PostgreSQL: nothing to do.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_search_secure_delete"
down_revision = "0010_draft"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    version = tuple(int(part) for part in bind.execute(sa.text("SELECT sqlite_version()"))
                    .scalar().split("."))
    if version < (3, 42, 0):
        return
    op.execute("INSERT INTO story_search(story_search, rank) VALUES ('secure-delete', 1)")
    op.execute("INSERT INTO story_search(story_search) VALUES ('optimize')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DELETE FROM story_search_config WHERE k = 'secure-delete'")
