"""drafts of the patient's staged journey

Revision ID: 0010_draft
Revises: 0009_pending_sign_in
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_draft"
down_revision = "0009_pending_sign_in"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_draft")),
    )
    op.create_index("ix_draft_updated_at", "draft", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_draft_updated_at", table_name="draft")
    op.drop_table("draft")
