"""stats: the aggregates' version row, shared computed reports, and a recount in the new layout

Revision ID: 0005_stats
Revises: 0001_initial
Create Date: 2026-11-22 09:30:00

The cells gained per-series totals and an "urgent_intake" series (crisis-care intakes, judged
against the urgent standard), so existing aggregates are recounted from the submissions.
"""

from alembic import op
import sqlalchemy as sa
import testimonials.models.base


revision = '0005_stats'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stat_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', testimonials.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stat_version'))
    )
    op.create_table('stat_report',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', testimonials.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_stat_report'))
    )
    with op.batch_alter_table('stat_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stat_report_version'), ['version'], unique=False)
    with op.batch_alter_table('stat_cell', schema=None) as batch_op:
        batch_op.create_index('ix_stat_cell_cover', ['scope', 'measure', 'days', 'count'],
                              unique=False)
    # Recount with the app's own (pure) cell rules; it reads only the columns they need.
    from testimonials.services.statistics import recount, write_cells

    connection = op.get_bind()
    existing = connection.execute(sa.text("SELECT COUNT(*) FROM stat_cell")).scalar()
    connection.execute(sa.text("DELETE FROM stat_cell"))
    counted = recount(connection)
    if counted or existing:  # an empty database keeps no date: nothing has been counted yet
        write_cells(connection, counted)


def downgrade() -> None:
    with op.batch_alter_table('stat_cell', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_cell_cover')
    with op.batch_alter_table('stat_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stat_report_version'))
    op.drop_table('stat_report')
    op.drop_table('stat_version')
