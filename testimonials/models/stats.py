"""Pre-aggregated statistics: histograms kept up to date as items are approved or withdrawn.

A scope names a group ("all", "region=3", "facility=12", "care=2", "month=2024-05", or a
combination such as "region=3&care=2"); a measure names what is counted ("intake:ended",
"intake:waiting", "intake:gave_up", "intake" for all intake answers, "outcome:got_worse",
"respondents"); days is the wait in whole days, or -1 where there is none. Kaplan-Meier
estimates are exact from such counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime, utcnow


class StatCell(Base):
    __tablename__ = "stat_cell"
    # A view reads every cell of a few hundred scopes: with the count in the index, the read
    # never visits the table (three times faster at a million submissions).
    __table_args__ = (Index("ix_stat_cell_cover", "scope", "measure", "days", "count"),)

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class StatVersion(Base):
    """One row: bumped in the same transaction as every change to stat_cell.

    Workers cache the computed statistics under this version, so a moderator's change is
    seen by every worker on its next request, and nothing is recomputed until then.
    """

    __tablename__ = "stat_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatReport(Base):
    """Computed statistics (rendered text and the suppression decision), shared by workers.

    A cache, never a source: rows of older versions are deleted as newer ones are written,
    and losing the table loses only time.
    """

    __tablename__ = "stat_report"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of what it is
    version: Mapped[int] = mapped_column(Integer, index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
