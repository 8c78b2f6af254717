"""The content version: one number that changes whenever anything the public sees changes.

Caches of public pages are valid for one version; every worker reads the number on each
request, so a moderator's decision reaches every worker's cache at once.
"""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base


class ContentVersion(Base):
    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    value: Mapped[int] = mapped_column(Integer, default=0)
