"""report: stories picked for the officials' and press report of a place, in order

Revision ID: 0018_report_picks
Revises: 0013_never_offered

A pick only names a story; whether it is shown is decided when the report is read.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_report_picks"
down_revision = "0013_never_offered"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_pick",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("picked_by_id", sa.Integer(), nullable=True),
        sa.Column("picked_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("scope IN ('site', 'region', 'facility')",
                           name=op.f("ck_report_pick_scope")),
        sa.CheckConstraint("(scope = 'site') = (place_id = 0)",
                           name=op.f("ck_report_pick_site_has_no_place")),
        sa.ForeignKeyConstraint(["picked_by_id"], ["account.id"],
                                name=op.f("fk_report_pick_picked_by_id_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"],
                                name=op.f("fk_report_pick_submission_id_submission"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_pick")),
        sa.UniqueConstraint("scope", "place_id", "submission_id",
                            name=op.f("uq_report_pick_scope_place_id_submission_id")),
    )
    op.create_index("ix_report_pick_place", "report_pick", ["scope", "place_id", "position"])
    op.create_index(op.f("ix_report_pick_submission_id"), "report_pick", ["submission_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_report_pick_submission_id"), table_name="report_pick")
    op.drop_index("ix_report_pick_place", table_name="report_pick")
    op.drop_table("report_pick")
