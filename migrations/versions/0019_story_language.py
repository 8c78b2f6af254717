"""submission: the language a story is written in, beside the interface's it was sent from

Revision ID: 0019_story_language
Revises: 0013_never_offered

`language` stays what it always was: the interface's language at submission (the language to
write to the patient in). `story_language` is the language of the words (English, Spanish, or
NULL when they do not tell); the app keeps it with the text. Rows from before stay NULL, and
the public pages and the API tell their language from the text when they read them.
"""

import sqlalchemy as sa
from alembic import op


revision = "0019_story_language"
down_revision = "0013_never_offered"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch_op:
        batch_op.add_column(sa.Column("story_language", sa.String(length=2), nullable=True))
        batch_op.create_check_constraint(op.f("ck_submission_story_language"),
                                         "story_language IN ('en', 'es')")


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch_op:
        batch_op.drop_constraint(op.f("ck_submission_story_language"), type_="check")
        batch_op.drop_column("story_language")
