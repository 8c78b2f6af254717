"""region_former_slug: the slugs a region was known by, written by a trigger on each rename

Revision ID: 0027_region_former_slug
Revises: 0026_published_in_status_count

A release stores each region's slug at its cut, so older releases keep their addresses after
an admin renames a slug; but a release cut after the rename knew only the new one, and every
link shared with the old slug (/stats?region=<old>, the files, the API, /stories) answered
404. The pages now answer an old slug with a permanent redirect to the region's slug of today,
and this table is where they find it.

The database writes it itself, in the transaction of the rename, whoever renames: no screen
renames a region's slug, so a rename is as likely an UPDATE typed in psql as the application's
(a hook of the ORM would miss it). A row goes with its region (ON DELETE CASCADE): SQLite may
give a deleted region's id to a new one, and an old slug must never lead to another region.
Nothing is known of renames made before this migration: no rows are backfilled.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_region_former_slug"
down_revision = "0026_published_in_status_count"
branch_labels = None
depends_on = None

_INSERT = "INSERT INTO region_former_slug (slug, region_id) VALUES (OLD.slug, OLD.id)"


def upgrade() -> None:
    op.create_table(
        "region_former_slug",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"],
                                name=op.f("fk_region_former_slug_region_id_region"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_former_slug")),
    )
    op.create_index(op.f("ix_region_former_slug_slug"), "region_former_slug", ["slug"])
    op.create_index(op.f("ix_region_former_slug_region_id"), "region_former_slug",
                    ["region_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION region_former_slug() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {_INSERT};
                RETURN NULL;
            END $$""")
        op.execute("""
            CREATE TRIGGER region_former_slug AFTER UPDATE OF slug ON region
            FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
            EXECUTE FUNCTION region_former_slug()""")
    else:
        op.execute(f"""
            CREATE TRIGGER region_former_slug AFTER UPDATE OF slug ON region
            WHEN OLD.slug IS NOT NEW.slug
            BEGIN {_INSERT}; END""")


def downgrade() -> None:
    op.execute("DROP TRIGGER region_former_slug" + (
        " ON region" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION region_former_slug()")
    op.drop_index(op.f("ix_region_former_slug_region_id"), table_name="region_former_slug")
    op.drop_index(op.f("ix_region_former_slug_slug"), table_name="region_former_slug")
    op.drop_table("region_former_slug")
