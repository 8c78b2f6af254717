"""moderating at volume: claims, notes, reusable reasons, themes, near-duplicate signatures

Revision ID: 0021_moderation_volume
Revises: 0019_story_language

New tables only; the submission table is untouched. Four themes are created in both
languages (admins rename, add or remove them); no reasons are (admins write their own).
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_moderation_volume"
down_revision = "0019_story_language"
branch_labels = None
depends_on = None

_THEMES = [
    ("cancelled-appointment", "Cancelled appointment", "Cita cancelada"),
    ("sent-to-emergency-room", "Sent to the emergency room", "Enviado a urgencias"),
    ("child-or-teen", "Child or teen", "Niño o adolescente"),
    ("medication-gap", "Medication gap", "Sin medicación"),
]


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_account_id_account")),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_submission_id_submission")),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_claim")),
    )
    op.create_index("ix_claim_expires", "claim", ["expires_at"])
    op.create_index("ix_claim_account", "claim", ["account_id"])
    op.create_table(
        "moderator_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["account.id"],
                                name=op.f("fk_moderator_note_author_id_account")),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE",
                                name=op.f("fk_moderator_note_submission_id_submission")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator_note")),
    )
    op.create_index("ix_moderator_note_submission", "moderator_note", ["submission_id", "id"])
    op.create_table(
        "rejection_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_en", sa.String(length=2000), nullable=False),
        sa.Column("text_es", sa.String(length=2000), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejection_reason")),
    )
    theme = op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.Column("name_es", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("slug", name=op.f("uq_theme_slug")),
    )
    op.bulk_insert(theme, [{"slug": slug, "name_en": en, "name_es": es}
                           for slug, en, es in _THEMES])
    op.create_table(
        "submission_theme",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE",
                                name=op.f("fk_submission_theme_submission_id_submission")),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], ondelete="CASCADE",
                                name=op.f("fk_submission_theme_theme_id_theme")),
        sa.PrimaryKeyConstraint("submission_id", "theme_id", name=op.f("pk_submission_theme")),
    )
    op.create_index("ix_submission_theme_theme", "submission_theme",
                    ["theme_id", "submission_id"])
    op.create_table(
        "text_signature",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("similar_to_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["similar_to_id"], ["submission.id"],
                                name=op.f("fk_text_signature_similar_to_id_submission")),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE",
                                name=op.f("fk_text_signature_submission_id_submission")),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_text_signature")),
    )
    op.create_table(
        "signature_band",
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE",
                                name=op.f("fk_signature_band_submission_id_submission")),
        sa.PrimaryKeyConstraint("band", "bucket", "submission_id", name=op.f("pk_signature_band")),
    )
    op.create_index("ix_signature_band_submission", "signature_band", ["submission_id"])


def downgrade() -> None:
    op.drop_index("ix_signature_band_submission", table_name="signature_band")
    op.drop_table("signature_band")
    op.drop_table("text_signature")
    op.drop_index("ix_submission_theme_theme", table_name="submission_theme")
    op.drop_table("submission_theme")
    op.drop_table("theme")
    op.drop_table("rejection_reason")
    op.drop_index("ix_moderator_note_submission", table_name="moderator_note")
    op.drop_table("moderator_note")
    op.drop_index("ix_claim_account", table_name="claim")
    op.drop_index("ix_claim_expires", table_name="claim")
    op.drop_table("claim")
