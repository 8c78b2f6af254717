"""stat_departure: when answers last left the statistics, and how many times they have

Revision ID: 0028_stat_departure
Revises: 0027_region_former_slug

A release shows a group it hides with the figures of the latest earlier release that showed
it ("held"). Once answers have left the statistics (a withdrawal, a consent unticked, changed
answers), figures cut while they were counted must not be published again by a new release:
this one row is what `services.releases.publish` compares with the count each release's
snapshot saw (`services.statistics.add_to_cells` writes it, in the transaction of the change).

Nothing was recorded before this migration, so a database with releases is given one
departure at its latest release's cut: whatever left since then may have left at any moment,
and the next release holds nothing of the earlier ones (a release stored before this has no
count of departures, which reads as none seen).
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_stat_departure"
down_revision = "0027_region_former_slug"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stat_departure",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("departures", sa.Integer(), nullable=False),
        sa.Column("last_left_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stat_departure")),
    )
    op.execute("INSERT INTO stat_departure (id, departures, last_left_at) "
               "SELECT 1, 1, max(cut_at) FROM stat_release HAVING count(*) > 0")


def downgrade() -> None:
    op.drop_table("stat_departure")
