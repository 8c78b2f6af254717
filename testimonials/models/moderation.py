"""The moderation team's working tables: claims, notes, reusable reasons, themes, near-duplicate
signatures, and the gate of the audit log's one erasure path."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime, utcnow


class Claim(Base):
    """An item being read by one moderator until `expires_at`: lapses by itself (a claim past
    its time is simply not live), so no job clears them. One row per item."""

    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_expires", "expires_at"),
                      Index("ix_claim_account", "account_id"))

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    claimed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ModeratorNote(Base):
    """An internal note on an item, for moderators only; its words are erased on withdrawal."""

    __tablename__ = "moderator_note"
    __table_args__ = (Index("ix_moderator_note_submission", "submission_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[str | None] = mapped_column(Text)  # None once erased


class RejectionReason(Base):
    """A reason admins keep for reuse, in both languages: the patient reads it in theirs."""

    __tablename__ = "rejection_reason"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_en: Mapped[str] = mapped_column(String(2000))
    text_es: Mapped[str] = mapped_column(String(2000))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def text_for(self, language: str) -> str:
        return self.text_es if language == "es" else self.text_en


class Theme(Base):
    """A theme moderators tag stories with and readers filter by (name in both languages)."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_es: Mapped[str] = mapped_column(String(80))

    def name_for(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en


class SubmissionTheme(Base):
    __tablename__ = "submission_theme"
    __table_args__ = (Index("ix_submission_theme_theme", "theme_id", "submission_id"),)

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"),
                                          primary_key=True)


class TextSignature(Base):
    """An item's MinHash signature (testimonials/neardup.py), kept so that a new arrival is
    compared with the few items sharing a band, never with all of them."""

    __tablename__ = "text_signature"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[str] = mapped_column(Text)  # the hash values, hex, comma-separated
    # The earlier item this one nearly repeats (None: none found), and how alike they are.
    similar_to_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    similarity: Mapped[int | None] = mapped_column(Integer)  # percent


class SignatureBand(Base):
    """One band of a signature: items sharing a (band, bucket) are the candidates."""

    __tablename__ = "signature_band"
    __table_args__ = (Index("ix_signature_band_submission", "submission_id"),)

    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(16), primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)


class AuditErasureGate(Base):
    """SQLite's half of the audit log's one erasure path (services/audit.erasure): the
    triggers refuse UPDATE of audit_entry unless this table holds a row, which the erasure
    writes and removes inside its own transaction. Empty at every commit."""

    __tablename__ = "audit_erasure_gate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
