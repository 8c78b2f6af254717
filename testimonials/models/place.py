"""Regions and facilities: the places patients wait for care."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from testimonials.models.base import Base, UTCDateTime, utcnow


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)

    facilities: Mapped[list[Facility]] = relationship(back_populates="region")


class RegionFormerSlug(Base):
    """A slug a region was known by before it was renamed, so that the links people shared
    with it still lead there (a permanent redirect to its slug of today).

    Written by the database itself (triggers of migration 0027) on every change of
    region.slug, by the application or by hand in SQL: never by the ORM. Deleted with its
    region (a region's id may be used again on SQLite, and an old slug must never lead to
    another region). A slug held again by a region today names that region, never this row.
    """

    __tablename__ = "region_former_slug"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the order they were given up
    slug: Mapped[str] = mapped_column(String(100), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"),
                                           index=True)


class Facility(Base):
    __tablename__ = "facility"
    __table_args__ = (UniqueConstraint("name", "city"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Hidden from the form but kept for the stories that name it.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an admin merges this facility into another; its stories move there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship(back_populates="facilities")
