"""Pre-aggregated statistics: histograms kept up to date as items are approved or withdrawn.

They are the input a statistics release is computed from (testimonials/stats/releases.py);
nothing is served from them.

A scope names a group ("all", "region=3", "facility=12", "care=2", "month=2024-05", or a
combination such as "region=3&care=2"); a measure names what is counted ("intake:ended",
"intake:waiting", "intake:gave_up", "intake" for all intake answers, "outcome:got_worse",
"respondents"); days is the wait in whole days, or -1 where there is none. Kaplan-Meier
estimates are exact from such counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime


class StatCell(Base):
    __tablename__ = "stat_cell"
    # A view reads every cell of a few hundred scopes: with the count in the index, the read
    # never visits the table (three times faster at a million submissions).
    __table_args__ = (Index("ix_stat_cell_cover", "scope", "measure", "days", "count"),)

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class StatDeparture(Base):
    """One row (id 1), written when answers leave the statistics: someone counted is counted no
    more: a withdrawal, a consent unticked, a story sent back to review by an edit or a
    moderator (`services.statistics.keep_stats_current`; not a wait told ended or a clinic's
    stories moved: the same people, still counted). No row: nothing has
    left since the table was made.

    `departures` counts those changes; a release stores the number its snapshot saw, and the
    next one holds no figures of earlier releases when it has changed since (figures that
    count answers which have left are not published again: `services.releases.publish`).
    `last_left_at` is when the latest one happened.
    """

    __tablename__ = "stat_departure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    departures: Mapped[int] = mapped_column(Integer)
    last_left_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
