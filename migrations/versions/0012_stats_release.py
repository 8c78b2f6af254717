"""stats: published statistics releases (numbered, dated, immutable)

Revision ID: 0012_stats_release
Revises: 0011_search_secure_delete

Statistics are served from these rows only; the aggregates (stat_cell) stay as the input a
release is computed from.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_stats_release"
down_revision = "0011_search_secure_delete"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stat_release",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cut_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_stat_release")),
    )


def downgrade() -> None:
    op.drop_table("stat_release")
