"""status_count also holds the published stories, kept by the same triggers

Revision ID: 0026_published_in_status_count
Revises: 0025_status_counts

The home page's count of published stories was kept by a hook of the application (+1 or -1
by a moderator's decision, a full count at the commit of any other public change, in the
content_version row of migration 0024): a second mechanism beside the triggers of
0025_status_counts, blind to every change made outside the ORM, and a count of every
published story (about 50 ms at 1,000,000) in the commit of each place, setting or theme
change. It is now the row ('published', false) of status_count, moved by the same triggers
in the transaction of each change: published means published_at IS NOT NULL, not a status,
so the key is not one of the statuses. content_version.published_stories is dropped.

PostgreSQL: the one deferred trigger of 0025 now also fires on an update of published_at,
and moves the published row as well, after the same lock of every count row in key order.
SQLite: three triggers of its own, each only when a story's publication changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_published_in_status_count"
down_revision = "0025_status_counts"
branch_labels = None
depends_on = None

_UPSERT = ("INSERT INTO status_count (status, is_urgent, items) VALUES ({row}) "
           "ON CONFLICT (status, is_urgent) DO UPDATE "
           "SET items = status_count.items + excluded.items")

_RECOUNT = ("INSERT INTO status_count (status, is_urgent, items) SELECT 'published', false, "
            "count(*) FROM submission WHERE published_at IS NOT NULL HAVING count(*) > 0")


def _function(published: bool) -> str:
    """PostgreSQL's trigger function: with `published`, this migration's; without, 0025's."""
    return f"""
        CREATE OR REPLACE FUNCTION submission_status_count() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            status_moved boolean := TG_OP <> 'UPDATE';
            published_change integer := 0;
        BEGIN
            IF coalesce(current_setting('waitline.status_counts', true), '') = 'recount' THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'UPDATE' THEN
                status_moved := OLD.status IS DISTINCT FROM NEW.status
                                OR OLD.is_urgent IS DISTINCT FROM NEW.is_urgent;
            END IF;
            IF {str(published).lower()} THEN
                IF TG_OP <> 'DELETE' THEN
                    IF NEW.published_at IS NOT NULL THEN published_change := 1; END IF;
                END IF;
                IF TG_OP <> 'INSERT' THEN
                    IF OLD.published_at IS NOT NULL THEN
                        published_change := published_change - 1;
                    END IF;
                END IF;
            END IF;
            IF NOT status_moved AND published_change = 0 THEN
                RETURN NULL;
            END IF;
            IF coalesce(current_setting('waitline.status_counts', true), '') <> 'locked' THEN
                PERFORM 1 FROM status_count ORDER BY status, is_urgent FOR UPDATE;
                PERFORM set_config('waitline.status_counts', 'locked', true);
            END IF;
            IF status_moved AND TG_OP <> 'INSERT' THEN
                {_UPSERT.format(row="OLD.status, OLD.is_urgent, -1")};
            END IF;
            IF status_moved AND TG_OP <> 'DELETE' THEN
                {_UPSERT.format(row="NEW.status, NEW.is_urgent, 1")};
            END IF;
            IF published_change <> 0 THEN
                {_UPSERT.format(row="'published', false, published_change")};
            END IF;
            RETURN NULL;
        END $$"""


def _trigger(columns: str) -> str:
    return f"""
        CREATE CONSTRAINT TRIGGER submission_status_count
        AFTER INSERT OR UPDATE OF {columns} OR DELETE ON submission
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION submission_status_count()"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(published=True))
        op.execute("DROP TRIGGER submission_status_count ON submission")
        op.execute(_trigger("status, is_urgent, published_at"))
    else:
        op.execute(f"""
            CREATE TRIGGER submission_published_count_insert AFTER INSERT ON submission
            WHEN NEW.published_at IS NOT NULL
            BEGIN {_UPSERT.format(row="'published', 0, 1")}; END""")
        op.execute(f"""
            CREATE TRIGGER submission_published_count_delete AFTER DELETE ON submission
            WHEN OLD.published_at IS NOT NULL
            BEGIN {_UPSERT.format(row="'published', 0, -1")}; END""")
        op.execute(f"""
            CREATE TRIGGER submission_published_count_update
            AFTER UPDATE OF published_at ON submission
            WHEN (OLD.published_at IS NULL) <> (NEW.published_at IS NULL)
            BEGIN {_UPSERT.format(
                row="'published', 0, CASE WHEN NEW.published_at IS NULL THEN -1 ELSE 1 END")};
            END""")
    op.execute("DELETE FROM status_count WHERE status = 'published'")
    op.execute(_RECOUNT)
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.drop_column("published_stories")


def downgrade() -> None:
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        # NULL: the next public change counts them (migration 0024).
        batch_op.add_column(sa.Column("published_stories", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER submission_status_count ON submission")
        op.execute(_trigger("status, is_urgent"))
        op.execute(_function(published=False))
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER submission_published_count_{event}")
    op.execute("DELETE FROM status_count WHERE status = 'published'")
