"""Published statistics releases: numbered, dated, immutable documents (SPEC section 5).

A release holds, compressed, every figure every filter of /stats can show as they stood at its
cut, already protected; serving a release is reading this row. Once inserted a row is never
changed: the ORM refuses an UPDATE or DELETE of one (see `_refuse_change`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, LargeBinary, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.models.base import Base, UTCDateTime


class ReleaseImmutableError(RuntimeError):
    """A published release was about to be changed or deleted."""


class StatRelease(Base):
    __tablename__ = "stat_release"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cut_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the data cutoff
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    respondents: Mapped[int] = mapped_column(Integer)  # counted people it rests on
    answers: Mapped[int] = mapped_column(Integer)  # counted wait answers it rests on
    document: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the uncompressed JSON
    changes: Mapped[str] = mapped_column(Text)  # JSON: what changed since the previous one


@event.listens_for(StatRelease, "before_update")
@event.listens_for(StatRelease, "before_delete")
def _refuse_change(_mapper: object, _connection: object, target: StatRelease) -> None:
    raise ReleaseImmutableError(f"statistics release {target.number} is published: immutable")
