"""status_count: the submissions per (status, is_urgent), kept exact by database triggers

Revision ID: 0025_status_counts
Revises: 0024_published_count

The moderator's queue page shows how many items are pending (urgent among them), approved,
rejected, spam and withdrawn. Counting them was a GROUP BY over every submission on each
request (25 ms of CPU on SQLite, 75-85 ms on PostgreSQL at 200,000 rows). The counts are kept
here instead, moved by triggers on submission in the transaction of the change itself.

Why triggers rather than an ORM hook: a status is set by ORM objects (decisions, withdrawal,
the patient's edit), by bulk decisions, by erasure, by the demo loader's executemany or COPY,
by migrations and by hand in psql; a trigger sees every one of them, a hook only the first.
Each change is an upsert (the row is made again if it went missing, say after a TRUNCATE).

PostgreSQL: a row trigger deferred to the commit, which first locks every count row in key
order (once per transaction). Counting at once, in the middle of a transaction, would let
two of them deadlock: a bulk decision holding the count rows while it waits for an item's
row that a single decision holds, itself waiting for the count rows; or two bulk decisions
taking (pending, urgent) and (pending, not urgent) in opposite orders. At the commit a
transaction takes no other lock after these, all in one order, so none waits in a cycle.
The cost: transactions that change a status commit one after the other on the count rows
(a moment each: SQLite serializes every write anyway), and a row trigger per changed row.
SQLite: row triggers at once (one writer at a time, no deadlock), the UPDATE one only when
status or is_urgent changed.

The demo loader on PostgreSQL sets waitline.status_counts = 'recount' in its parallel
writers (whose transactions would otherwise queue on the same count rows) and counts again
at its end; on SQLite it sets every trigger of submission aside and counts again likewise.
`flask stats check` and `flask stats rebuild` compare and recount them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_status_counts"
down_revision = "0024_published_count"
branch_labels = None
depends_on = None

_RECOUNT = ("INSERT INTO status_count (status, is_urgent, items) "
            "SELECT status, is_urgent, count(*) FROM submission GROUP BY status, is_urgent")

_UPSERT = ("INSERT INTO status_count (status, is_urgent, items) {rows} "
           "ON CONFLICT (status, is_urgent) DO UPDATE "
           "SET items = status_count.items + excluded.items")


def upgrade() -> None:
    op.create_table(
        "status_count",
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("is_urgent", sa.Boolean(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", "is_urgent", name=op.f("pk_status_count")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION submission_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF coalesce(current_setting('waitline.status_counts', true), '') = 'recount'
                   OR (TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status
                       AND OLD.is_urgent IS NOT DISTINCT FROM NEW.is_urgent) THEN
                    RETURN NULL;
                END IF;
                IF coalesce(current_setting('waitline.status_counts', true), '') <> 'locked'
                THEN
                    PERFORM 1 FROM status_count ORDER BY status, is_urgent FOR UPDATE;
                    PERFORM set_config('waitline.status_counts', 'locked', true);
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    {_UPSERT.format(rows="VALUES (OLD.status, OLD.is_urgent, -1)")};
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN
                    {_UPSERT.format(rows="VALUES (NEW.status, NEW.is_urgent, 1)")};
                END IF;
                RETURN NULL;
            END $$""")
        op.execute("""
            CREATE CONSTRAINT TRIGGER submission_status_count
            AFTER INSERT OR UPDATE OF status, is_urgent OR DELETE ON submission
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION submission_status_count()""")
    else:
        op.execute(f"""
            CREATE TRIGGER submission_status_count_insert AFTER INSERT ON submission
            BEGIN {_UPSERT.format(rows="VALUES (NEW.status, NEW.is_urgent, 1)")}; END""")
        op.execute(f"""
            CREATE TRIGGER submission_status_count_delete AFTER DELETE ON submission
            BEGIN {_UPSERT.format(rows="VALUES (OLD.status, OLD.is_urgent, -1)")}; END""")
        op.execute(f"""
            CREATE TRIGGER submission_status_count_update AFTER UPDATE OF status, is_urgent
            ON submission
            WHEN OLD.status IS NOT NEW.status OR OLD.is_urgent IS NOT NEW.is_urgent
            BEGIN
                {_UPSERT.format(rows="VALUES (OLD.status, OLD.is_urgent, -1)")};
                {_UPSERT.format(rows="VALUES (NEW.status, NEW.is_urgent, 1)")};
            END""")
    op.execute(_RECOUNT)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER submission_status_count ON submission")
        op.execute("DROP FUNCTION submission_status_count()")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER submission_status_count_{event}")
    op.drop_table("status_count")
