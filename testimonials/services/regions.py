"""Regions: one left empty (its facilities moved away) can be removed by an admin.

A region is empty when no facility in use and no story names it. Facilities merged into
others no longer show anywhere; any still filed under the region follow the facility they
were merged into, so that the region's row can go.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Account, Facility, Region, Submission
from testimonials.services import audit


class RegionInUse(ValueError):
    """The region still has facilities or stories."""


def empty_region_ids(session: Session) -> set[int]:
    """The regions without a facility in use or a story."""
    live = exists().where(Facility.region_id == Region.id, Facility.merged_into_id.is_(None))
    told = exists().where(Submission.region_id == Region.id)
    return set(session.scalars(select(Region.id).where(~live, ~told)))


def remove_region(session: Session, region: Region, actor: Account, now: dt.datetime) -> None:
    """Delete an empty region (RegionInUse otherwise), with an audit entry."""
    if region.id not in empty_region_ids(session):
        raise RegionInUse(region.name)
    for merged in session.scalars(select(Facility).where(Facility.region_id == region.id)):
        merged.region_id = _home_of(session, merged)
    before = {"name": region.name, "slug": region.slug}
    subject = f"region:{region.id}"
    session.delete(region)
    session.flush()
    caching.public_changed(session)
    audit.record(session, now, actor, "region.remove", subject=subject, before=before)


def _home_of(session: Session, merged: Facility) -> int:
    """The region of the facility `merged` was (perhaps through others) merged into."""
    target = merged
    for _step in range(100):  # a chain of merges, never a cycle
        if target.merged_into_id is None:
            break
        following = session.get(Facility, target.merged_into_id)
        if following is None:
            break
        target = following
    if target.region_id == merged.region_id or target.merged_into_id is not None:
        raise RegionInUse("merged")
    return target.region_id
