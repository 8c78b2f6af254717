"""Stories picked for the officials' and press report of a place, in the order they are shown.

A moderator or admin picks stories for the whole site, a region or a facility (`scope` and
`place_id`, 0 for the site). A pick only names a story: whether it is shown is decided when the
report is read (approved, published, shared with officials), so a story withdrawn or taken
down leaves every report at once without anyone touching its picks.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime, utcnow

SCOPES = ("site", "region", "facility")


class ReportPick(Base):
    __tablename__ = "report_pick"
    __table_args__ = (
        UniqueConstraint("scope", "place_id", "submission_id"),
        Index("ix_report_pick_place", "scope", "place_id", "position"),
        CheckConstraint("scope IN ('site', 'region', 'facility')", name="scope"),
        CheckConstraint("(scope = 'site') = (place_id = 0)", name="site_has_no_place"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))
    place_id: Mapped[int] = mapped_column(Integer)  # region or facility id; 0 for the site
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, ...: the order in the report
    picked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"))
    picked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
