"""safety: each moderator can turn single-key shortcuts off (WCAG 2.1.4)

Revision ID: 0007_safety_keyboard_shortcuts
Revises: 0006_content_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_safety_keyboard_shortcuts"
down_revision = "0006_content_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keyboard_shortcuts", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("keyboard_shortcuts")
