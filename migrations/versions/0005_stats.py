"""stats: the aggregates' version row, shared computed reports, and a recount in the new layout

Revision ID: 0005_stats
Revises: 0004_search
Create Date: 2026-11-22 09:30:00

The cells gained per-series totals and an "urgent_intake" series (crisis-care intakes, judged
against the urgent standard): cells in the old layout are dropped; a database that had any
must be recounted afterwards with `flask --app app stats rebuild`.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_stats'
down_revision = "0004_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stat_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stat_version'))
    )
    op.create_table('stat_report',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_stat_report'))
    )
    with op.batch_alter_table('stat_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stat_report_version'), ['version'], unique=False)
    with op.batch_alter_table('stat_cell', schema=None) as batch_op:
        batch_op.create_index('ix_stat_cell_cover', ['scope', 'measure', 'days', 'count'],
                              unique=False)
    # The cells' layout changed (per-series totals, an "urgent_intake" series), so cells
    # counted in the old layout are dropped. A migration must not import the application (it
    # would change under it), so the recount is the app's: `flask --app app stats rebuild`.
    op.execute("DELETE FROM stat_cell")


def downgrade() -> None:
    with op.batch_alter_table('stat_cell', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_cell_cover')
    with op.batch_alter_table('stat_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stat_report_version'))
    op.drop_table('stat_report')
    op.drop_table('stat_version')
