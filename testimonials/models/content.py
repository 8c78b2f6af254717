"""The generation: one number that moves whenever anything the public sees changes.

Cached pages and values are valid for one generation (testimonials/caching.py, which moves it
and says who calls it); every worker rereads it at most every PAGE_CACHE_RECHECK_SECONDS.
Beside it, the published stories as the commit that last moved it counted them.
"""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base


class ContentVersion(Base):
    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    value: Mapped[int] = mapped_column(Integer, default=0)
    # None until a public change has counted them (the home page counts them itself then).
    published_stories: Mapped[int | None] = mapped_column(Integer, nullable=True)
