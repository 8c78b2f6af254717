"""content version for public page caches

Revision ID: 0006_content_version
Revises: 0005_stats
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_content_version"
down_revision = "0005_stats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("content_version")
