"""wait: "never offered" as its own answer, apart from "gave up"

Revision ID: 0013_never_offered
Revises: 0012_stats_release

Both answers may come without days. Earlier "gave up" rows stay as they are: the old form
offered one answer for both, and nothing recorded which one the patient meant.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_never_offered"
down_revision = "0012_stats_release"
branch_labels = None
depends_on = None

_STATES = ("ended", "waiting", "gave_up", "never_offered")


def _states(states: tuple[str, ...]) -> str:
    return "state IN ({})".format(", ".join(f"'{state}'" for state in states))


def upgrade() -> None:
    with op.batch_alter_table("wait", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_wait_state"), type_="check")
        batch_op.drop_constraint(op.f("ck_wait_days_known"), type_="check")
        batch_op.alter_column("state", existing_type=sa.String(length=7),
                              type_=sa.String(length=13), existing_nullable=False)
        batch_op.create_check_constraint(op.f("ck_wait_state"), _states(_STATES))
        batch_op.create_check_constraint(
            op.f("ck_wait_days_known"), "state IN ('gave_up', 'never_offered') OR days IS NOT NULL")


def downgrade() -> None:
    op.execute("UPDATE wait SET state = 'gave_up' WHERE state = 'never_offered'")
    with op.batch_alter_table("wait", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_wait_state"), type_="check")
        batch_op.drop_constraint(op.f("ck_wait_days_known"), type_="check")
        batch_op.alter_column("state", existing_type=sa.String(length=13),
                              type_=sa.String(length=7), existing_nullable=False)
        batch_op.create_check_constraint(op.f("ck_wait_state"), _states(_STATES[:3]))
        batch_op.create_check_constraint(
            op.f("ck_wait_days_known"), "state = 'gave_up' OR days IS NOT NULL")
