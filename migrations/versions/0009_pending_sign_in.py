"""auth: the pending sign-in (between the password and the one-time code) kept on the server

Revision ID: 0009_pending_sign_in
Revises: 0008_first_published
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_pending_sign_in"
down_revision = "0008_first_published"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("next_path", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name=op.f("fk_pending_sign_in_account_id_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_sign_in")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_pending_sign_in_token_hash")),
    )
    with op.batch_alter_table("pending_sign_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_sign_in_account_id"), ["account_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_pending_sign_in_created_at"), ["created_at"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("pending_sign_in")
