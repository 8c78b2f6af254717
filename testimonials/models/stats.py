"""Pre-aggregated statistics: histograms kept up to date as items are approved or withdrawn.

A scope names a group ("all", "region=3", "facility=12", "care=2", "month=2024-05", or a
combination such as "region=3&care=2"); a measure names what is counted ("intake:ended",
"intake:waiting", "intake:gave_up", "outcome:got_worse", "respondents"); days is the wait in
whole days, or -1 where there is none. Kaplan-Meier estimates are exact from such counts.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base


class StatCell(Base):
    __tablename__ = "stat_cell"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
