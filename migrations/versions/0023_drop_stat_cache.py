"""stats: drop stat_version and stat_report, the live statistics path's caches

Revision ID: 0023_drop_stat_cache
Revises: 0022_audit_append_only

Statistics are served from releases (stat_release) since 0012; nothing reads or writes these
two tables any more.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_drop_stat_cache"
down_revision = "0022_audit_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stat_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stat_report_version"))
    op.drop_table("stat_report")
    op.drop_table("stat_version")


def downgrade() -> None:
    op.create_table(
        "stat_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stat_version")),
    )
    op.create_table(
        "stat_report",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stat_report")),
    )
    with op.batch_alter_table("stat_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stat_report_version"), ["version"], unique=False)
