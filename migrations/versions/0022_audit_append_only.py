"""audit_entry: append-only in the database itself, with one erasure path

Revision ID: 0022_audit_append_only
Revises: 0021_moderation_volume

Triggers refuse every DELETE of an audit row, and every UPDATE except inside the erasure
path (testimonials/services/audit.py, `erasure`), which opens a gate for its own
transaction only: on PostgreSQL `SET LOCAL waitline.audit_erasure = 'on'` (read with
current_setting(..., true), so unset means closed); on SQLite a row in audit_erasure_gate,
written and removed in the same transaction. TRUNCATE (tests, a full restore) fires neither.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_audit_append_only"
down_revision = "0021_moderation_volume"
branch_labels = None
depends_on = None

_REFUSED = "audit entries are append-only: only the erasure path may change them"


def upgrade() -> None:
    op.create_table(
        "audit_erasure_gate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_erasure_gate")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE'
                   AND coalesce(current_setting('waitline.audit_erasure', true), '') = 'on' THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{_REFUSED}' USING ERRCODE = 'raise_exception';
            END $$""")
        op.execute("""
            CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
            FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""")
        return
    op.execute(f"""
        CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
        WHEN NOT EXISTS (SELECT 1 FROM audit_erasure_gate)
        BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""")
    op.execute(f"""
        CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
        BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION audit_entry_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute("DROP TRIGGER audit_entry_no_delete")
    op.drop_table("audit_erasure_gate")
