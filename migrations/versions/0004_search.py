"""Full-text search of published stories: FTS5 on SQLite, a GIN index on PostgreSQL.

Revision ID: 0004_search
Revises: 0003_moderation

Only published stories are indexed (both indexes hold nothing of unpublished or withdrawn
text). On SQLite, `story_search` is an external-content FTS5 table over submission's public
title and story, kept in step by three triggers; on PostgreSQL, `submission.search_document`
is a stored generated tsvector of the folded text (accents and punctuation removed as FTS5
removes them), NULL unless published, with a partial GIN index `ix_submission_search`.
"""

from alembic import op

revision = "0004_search"
down_revision = "0003_moderation"
branch_labels = None
depends_on = None

# A copy of testimonials.public.search.FOLD_SQL (frozen: a migration must not change).
DOCUMENT = (
    "to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(normalize("
    "(coalesce(submission.public_title, '') || ' ') || coalesce(submission.public_story, ''), "
    "NFD), '[\\u0300-\\u036f]+', '', 'g'), "
    "'[\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e"
    "\\u00a1\\u00ab\\u00b7\\u00bb\\u00bf\\u2010-\\u2027]+', "
    "' ', 'g'))"
)

FTS_TABLE = """
CREATE VIRTUAL TABLE story_search USING fts5(
    public_title, public_story,
    content='submission', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
)
"""
# An external-content table must be told the old text to remove it, so every trigger hands
# over exactly the values that were indexed. One UPDATE trigger, so removal runs before
# re-insertion (SQLite does not promise an order between two triggers on one event).
TRIGGERS = [
    """
    CREATE TRIGGER story_search_insert AFTER INSERT ON submission
    WHEN new.published_at IS NOT NULL BEGIN
        INSERT INTO story_search(rowid, public_title, public_story)
        VALUES (new.id, new.public_title, new.public_story);
    END
    """,
    """
    CREATE TRIGGER story_search_delete AFTER DELETE ON submission
    WHEN old.published_at IS NOT NULL BEGIN
        INSERT INTO story_search(story_search, rowid, public_title, public_story)
        VALUES ('delete', old.id, old.public_title, old.public_story);
    END
    """,
    """
    CREATE TRIGGER story_search_update
    AFTER UPDATE OF published_at, public_title, public_story ON submission BEGIN
        INSERT INTO story_search(story_search, rowid, public_title, public_story)
        SELECT 'delete', old.id, old.public_title, old.public_story
        WHERE old.published_at IS NOT NULL;
        INSERT INTO story_search(rowid, public_title, public_story)
        SELECT new.id, new.public_title, new.public_story
        WHERE new.published_at IS NOT NULL;
    END
    """,
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(FTS_TABLE)
        op.execute(
            "INSERT INTO story_search(rowid, public_title, public_story) "
            "SELECT id, public_title, public_story FROM submission "
            "WHERE published_at IS NOT NULL"
        )
        for trigger in TRIGGERS:
            op.execute(trigger)
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE submission ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
            f"(CASE WHEN published_at IS NOT NULL THEN {DOCUMENT} END) STORED"
        )
        op.execute(
            "CREATE INDEX ix_submission_search ON submission USING gin (search_document) "
            "WHERE published_at IS NOT NULL"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("story_search_update", "story_search_delete", "story_search_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS story_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_submission_search")
        op.execute("ALTER TABLE submission DROP COLUMN IF EXISTS search_document")
