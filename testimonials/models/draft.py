"""A patient's journey in progress: the answers so far, kept on the server, never in the browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime, utcnow


class Draft(Base):
    """Answers as typed, page by page; erased on Send, on discard and after the retention time.

    The cookie holds a random id (256 bits); only its SHA-256 is stored here, so a copy of the
    database cannot be used to take over a patient's journey. No address is stored.
    """

    __tablename__ = "draft"
    __table_args__ = (Index("ix_draft_updated_at", "updated_at"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
