"""The generation: one number that moves whenever anything the public sees changes.

Cached pages and values are valid for one generation (testimonials/caching/, which moves it
and says who calls it); every worker rereads it at most every PAGE_CACHE_RECHECK_SECONDS.
"""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base


class ContentVersion(Base):
    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    value: Mapped[int] = mapped_column(Integer, default=0)
