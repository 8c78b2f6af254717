"""moderation: one-time set-password links for invited accounts; queue indexes by place

Revision ID: 0003_moderation
Revises: 0001_initial
Create Date: 2026-11-22 09:06:43.396879
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_moderation'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('password_token_expires_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_account_password_token_hash'), ['password_token_hash'])
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index('ix_submission_queue_facility', ['facility_id', 'status', 'is_urgent', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_submission_queue_region', ['region_id', 'status', 'is_urgent', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_submission_queue_flags', ['status', 'is_urgent', 'flags', 'created_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_queue_flags')
        batch_op.drop_index('ix_submission_queue_region')
        batch_op.drop_index('ix_submission_queue_facility')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_account_password_token_hash'), type_='unique')
        batch_op.drop_column('password_token_expires_at')
        batch_op.drop_column('password_token_hash')
