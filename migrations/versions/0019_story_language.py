"""submission: the language a story is written in, beside the interface's it was sent from

Revision ID: 0019_story_language
Revises: 0018_report_picks

`language` stays what it always was: the interface's language at submission (the language to
write to the patient in). `story_language` is the language of the words (English, Spanish, or
NULL when they do not tell); the app keeps it with the text. Rows from before stay NULL, and
the public pages and the API tell their language from the text when they read them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_story_language"
down_revision = "0018_report_picks"
branch_labels = None
depends_on = None


_CHECK = "story_language IN ('en', 'es')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN with its CHECK in place: a batch copy of the table would drop the
        # search index's triggers (0004, 0011) with the old table.
        op.execute("ALTER TABLE submission ADD COLUMN story_language VARCHAR(2) "
                   f"CONSTRAINT ck_submission_story_language CHECK ({_CHECK})")
        return
    op.add_column("submission", sa.Column("story_language", sa.String(length=2), nullable=True))
    op.create_check_constraint("ck_submission_story_language", "submission", _CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE submission DROP COLUMN story_language")
        return
    op.drop_constraint("ck_submission_story_language", "submission", type_="check")
    op.drop_column("submission", "story_language")
