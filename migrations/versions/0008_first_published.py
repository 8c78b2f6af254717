"""submission.first_published_at: whether a story was ever public (410) or never (404)

Revision ID: 0008_first_published
Revises: 0007_safety_keyboard_shortcuts

Self-contained (no application imports). Existing rows are filled in from what is known: a
story published now was first published no later than its publication; one not public now
was public once if the audit log holds an approval that published it or an unpublishing
(the moderation service logs every decision with the fields it changed).
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008_first_published"
down_revision = "0007_safety_keyboard_shortcuts"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column("submission", sa.Column("first_published_at", sa.DateTime(), nullable=True))
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE submission SET first_published_at = published_at "
        "WHERE published_at IS NOT NULL"))
    # Not public now: look for a decision that published it (the audit entries of such items).
    rows = connection.execute(sa.text(
        "SELECT a.submission_id, a.action, a.after, a.created_at FROM audit_entry a "
        "JOIN submission s ON s.id = a.submission_id "
        "WHERE s.published_at IS NULL AND a.action IN ('approve', 'unpublish') "
        "ORDER BY a.submission_id, a.id"))
    first: dict[int, object] = {}
    for submission_id, action, after, created_at in rows:
        if submission_id in first:
            continue
        if isinstance(after, str):
            try:
                after = json.loads(after)
            except ValueError:
                after = None
        published = action == "unpublish" or (
            isinstance(after, dict) and after.get("published_at") not in (None, "[erased]"))
        if published:
            first[submission_id] = created_at
    update = sa.text("UPDATE submission SET first_published_at = :at WHERE id = :id")
    pairs = [{"id": key, "at": value} for key, value in first.items()]
    for start in range(0, len(pairs), _BATCH):
        connection.execute(update, pairs[start:start + _BATCH])


def downgrade() -> None:
    # A plain ALTER (SQLite 3.35+): a batch rebuild of `submission` would drop its search triggers.
    op.drop_column("submission", "first_published_at")
