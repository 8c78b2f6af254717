"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 08:44:59.768675
"""

import sqlalchemy as sa
from alembic import op

revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('moderator', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enrolled_at', sa.DateTime(), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('alert_urgent', sa.Boolean(), nullable=False),
    sa.Column('alert_digest', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('email', name=op.f('uq_account_email'))
    )
    op.create_table('region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('name', name=op.f('uq_region_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_region_slug'))
    )
    op.create_table('stat_cell',
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'measure', 'days', name=op.f('pk_stat_cell'))
    )
    op.create_table('account_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_session_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_session_token_hash'))
    )
    with op.batch_alter_table('account_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_session_account_id'), ['account_id'], unique=False)

    op.create_table('facility',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['facility.id'], name=op.f('fk_facility_merged_into_id_facility')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_facility_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility')),
    sa.UniqueConstraint('name', 'city', name=op.f('uq_facility_name_city'))
    )
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_region_id'), ['region_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_recovery_code_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    sa.UniqueConstraint('account_id', 'code_hash', name=op.f('uq_recovery_code_account_id_code_hash'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_setting_updated_by_id_account')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'spam', 'withdrawn', name='status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reporter', sa.Enum('patient', 'parent', 'family', name='reporter', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('facility_other', sa.String(length=200), nullable=True),
    sa.Column('care_types', sa.Integer(), nullable=False),
    sa.Column('outcomes', sa.Integer(), nullable=False),
    sa.Column('experience_month', sa.Date(), nullable=True),
    sa.Column('original_title', sa.String(length=120), nullable=True),
    sa.Column('original_story', sa.Text(), nullable=True),
    sa.Column('public_title', sa.String(length=120), nullable=True),
    sa.Column('public_story', sa.Text(), nullable=True),
    sa.Column('display_name', sa.String(length=80), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('consent_publish', sa.Boolean(), nullable=False),
    sa.Column('consent_stats', sa.Boolean(), nullable=False),
    sa.Column('consent_share', sa.Boolean(), nullable=False),
    sa.Column('consent_contact', sa.Boolean(), nullable=False),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.Column('is_urgent', sa.Boolean(), nullable=False),
    sa.Column('counted_in_stats', sa.Boolean(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('moderator_note', sa.Text(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('care_types >= 0 AND outcomes >= 0 AND flags >= 0', name=op.f('ck_submission_bit_sets')),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_submission_facility_id_facility')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['account.id'], name=op.f('fk_submission_moderated_by_id_account')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_submission_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_submission_token_hash'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index('ix_submission_facility_published', ['facility_id', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_submission_fingerprint', ['fingerprint', 'created_at'], unique=False)
        batch_op.create_index('ix_submission_published', ['published_at', 'id'], unique=False)
        batch_op.create_index('ix_submission_queue', ['status', 'is_urgent', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_submission_region_published', ['region_id', 'published_at', 'id'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['account.id'], name=op.f('fk_audit_entry_actor_id_account')),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_audit_entry_submission_id_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_action', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_entry_actor', ['actor_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_entry_submission', ['submission_id', 'id'], unique=False)

    op.create_table('wait',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('intake', 'first_return', 'between_returns', 'psychiatry', name='kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('state', sa.Enum('ended', 'waiting', 'gave_up', name='state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('unit', sa.Enum('days', 'weeks', 'months', name='unit', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('ended_reported_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state = 'gave_up' OR days IS NOT NULL", name=op.f('ck_wait_days_known')),
    sa.CheckConstraint('days IS NULL OR (days >= 0 AND days <= 730)', name=op.f('ck_wait_days_range')),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_wait_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', 'kind', name=op.f('pk_wait'))
    )


def downgrade() -> None:
    op.drop_table('wait')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_submission')
        batch_op.drop_index(batch_op.f('ix_audit_entry_created_at'))
        batch_op.drop_index('ix_audit_entry_actor')
        batch_op.drop_index('ix_audit_entry_action')

    op.drop_table('audit_entry')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_region_published')
        batch_op.drop_index('ix_submission_queue')
        batch_op.drop_index('ix_submission_published')
        batch_op.drop_index('ix_submission_fingerprint')
        batch_op.drop_index('ix_submission_facility_published')

    op.drop_table('submission')
    op.drop_table('setting')
    op.drop_table('recovery_code')
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facility_region_id'))

    op.drop_table('facility')
    with op.batch_alter_table('account_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_session_account_id'))

    op.drop_table('account_session')
    op.drop_table('stat_cell')
    op.drop_table('region')
    op.drop_table('account')
