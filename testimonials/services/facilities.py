"""The facility list: importing it from CSV, and admins adding, renaming, moving and merging.

Stories carry their facility and region (copied, so region filters use an index), and the
statistics aggregates are grouped by both: whatever moves stories between facilities or
regions updates the aggregates by exactly the difference, in the same transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Account, Facility, Region, RegionFormerSlug, Submission
from testimonials.models.base import utcnow
from testimonials.services import audit
from testimonials.services.statistics import add_to_cells, cells_of
from testimonials.stats.cells import Cell, cells

COLUMNS = ("name", "city", "region", "latitude", "longitude")


class FacilityImportError(ValueError):
    """The file cannot be imported; the message names the line and the problem."""


@dataclass(frozen=True)
class FacilityRow:
    name: str
    city: str
    region: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    regions_created: int


def slugify(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def parse_csv(stream: IO[str]) -> list[FacilityRow]:
    """The rows of a facilities CSV, checked.

    Raises FacilityImportError naming the first bad line.
    """
    reader = csv.DictReader(stream)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FacilityImportError(f"missing column(s): {', '.join(missing)}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        name, city, region = (str(raw.get(c) or "").strip() for c in ("name", "city", "region"))
        if not (name and city and region):
            raise FacilityImportError(f"line {line}: name, city and region are required")
        if len(name) > 200 or len(city) > 100 or len(region) > 100:
            raise FacilityImportError(f"line {line}: a value is too long")
        rows.append(FacilityRow(name, city, region, _coordinate(raw, "latitude", line, 90),
                                _coordinate(raw, "longitude", line, 180)))
    return rows


def _coordinate(raw: dict[str, str | None], column: str, line: int, limit: float) -> float | None:
    text = str(raw.get(column) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FacilityImportError(f"line {line}: {column} is not a number") from None
    if not -limit <= value <= limit:
        raise FacilityImportError(f"line {line}: {column} is out of range")
    return value


def import_facilities(session: Session, rows: Iterable[FacilityRow]) -> ImportResult:
    """Add new facilities and update existing ones (matched by name and city)."""
    regions = {r.name: r for r in session.scalars(select(Region))}
    facilities = {(f.name, f.city): f for f in session.scalars(select(Facility))}
    created = updated = regions_created = 0
    for row in rows:
        region = regions.get(row.region)
        if region is None:
            region = Region(name=row.region, slug=slugify(row.region))
            session.add(region)
            regions[row.region] = region
            regions_created += 1
        facility = facilities.get((row.name, row.city))
        if facility is None:
            facility = Facility(name=row.name, city=row.city, region=region, active=True,
                                latitude=row.latitude, longitude=row.longitude)
            session.add(facility)
            facilities[(row.name, row.city)] = facility
            created += 1
        else:
            if facility.region is not region:
                move_facility(session, facility, region)
            facility.latitude, facility.longitude = row.latitude, row.longitude
            updated += 1
    session.flush()
    caching.public_changed(session)  # the readers' place filters and the stories' places
    return ImportResult(created=created, updated=updated, regions_created=regions_created)


def move_facility(session: Session, facility: Facility, region: Region,
                  actor: Account | None = None, now: dt.datetime | None = None) -> None:
    """Put a facility in another region, and its stories with it (they carry the region)."""
    session.flush()  # the region may be new and need its id
    before = facility.region_id
    if before == region.id:
        return
    _relocate(session, Submission.facility_id == facility.id, facility.id, region.id)
    facility.region = region
    session.flush()
    caching.public_changed(session)
    if actor is not None and now is not None:
        audit.record(session, now, actor, "facility.move", subject=f"facility:{facility.id}",
                     before={"region_id": before}, after={"region_id": region.id})


class FacilityError(ValueError):
    """An admin's change to the facility list cannot be made; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def region_named(session: Session, name: str) -> Region:
    """The region of this name, created if new."""
    name = _region_name(name, "region_name")
    region = session.scalar(select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name, slug=_free_slug(session, slugify(name) or "region"))
        session.add(region)
        session.flush()
        caching.public_changed(session)
    return region


def rename_region(session: Session, region: Region, name: str, actor: Account,
                  now: dt.datetime) -> bool:
    """A new name, and the slug made from it; whether anything changed. The old slug keeps
    leading here: the database records it (`region_former_slug`) and the public pages
    redirect it to the new one. Releases already cut keep the name and slug they were cut
    with."""
    name = _region_name(name, "region_rename")
    clash = session.scalar(select(Region.id).where(Region.name == name))
    if clash is not None and clash != region.id:
        raise FacilityError("region_duplicate")
    before = {"name": region.name, "slug": region.slug}
    wanted = slugify(name) or "region"
    slug = region.slug if region.slug == wanted else _free_slug(session, wanted, region.id)
    region.name, region.slug = name, slug
    return _renamed(session, Submission.region_id == region.id, before,
                    {"name": name, "slug": slug}, actor, now, "region.rename",
                    f"region:{region.id}")


def _region_name(name: str, code: str) -> str:
    """A region's name as typed, spaces tidied; FacilityError(code) if empty or too long."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise FacilityError(code)
    return name


def _renamed(session: Session, stories: ColumnElement[bool], before: dict[str, str],
             after: dict[str, str], actor: Account, now: dt.datetime, action: str,
             subject: str) -> bool:
    """What a rename of a place does once its new values are set: the public change noted,
    and, when a value changed, its stories marked updated (a mirror following updated_since
    re-reads them: their place reads differently) and an audit entry. Whether anything
    changed."""
    session.flush()
    caching.public_changed(session)
    old, new = audit.changes(before, after)
    if new:
        session.execute(update(Submission).where(stories).values(updated_at=now)
                        .execution_options(synchronize_session=False))
        audit.record(session, now, actor, action, subject=subject, before=old, after=new)
    return bool(new)


def _free_slug(session: Session, slug: str, region_id: int | None = None) -> str:
    """`slug`, or `slug-2`, `slug-3`...: one no other region holds today or held before (its
    old links must keep leading to it), though this region may take back one of its own."""
    taken = set(session.scalars(select(Region.slug).where(Region.slug.startswith(slug))))
    taken |= set(session.scalars(
        select(RegionFormerSlug.slug).where(RegionFormerSlug.slug.startswith(slug),
                                            RegionFormerSlug.region_id != region_id)))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _checked_name(session: Session, name: str, city: str,
                  facility_id: int | None) -> tuple[str, str]:
    name, city = " ".join(name.split()), " ".join(city.split())
    if not name or len(name) > 200:
        raise FacilityError("name")
    if not city or len(city) > 100:
        raise FacilityError("city")
    clash = session.scalar(select(Facility.id).where(Facility.name == name, Facility.city == city))
    if clash is not None and clash != facility_id:
        raise FacilityError("duplicate")
    return name, city


def add_facility(session: Session, name: str, city: str, region: Region, actor: Account,
                 now: dt.datetime) -> Facility:
    """A new active facility, offered on the form from now on."""
    name, city = _checked_name(session, name, city, None)
    facility = Facility(name=name, city=city, region=region, active=True, created_at=now)
    session.add(facility)
    session.flush()
    caching.public_changed(session)
    audit.record(session, now, actor, "facility.add", subject=f"facility:{facility.id}",
                 after={"name": name, "city": city, "region_id": region.id})
    return facility


def rename_facility(session: Session, facility: Facility, name: str, city: str,
                    actor: Account, now: dt.datetime) -> None:
    """A new name or city; the stories keep pointing at the same facility."""
    name, city = _checked_name(session, name, city, facility.id)
    before = {"name": facility.name, "city": facility.city}
    facility.name, facility.city = name, city
    _renamed(session, Submission.facility_id == facility.id, before,
             {"name": name, "city": city}, actor, now, "facility.rename",
             f"facility:{facility.id}")


def merge_facilities(session: Session, source: Facility, target: Facility, actor: Account,
                     now: dt.datetime) -> int:
    """Move every story of `source` to `target`, retire `source`; returns the stories moved."""
    if source.id == target.id:
        raise FacilityError("same")
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise FacilityError("merged")
    moved = _relocate(session, Submission.facility_id == source.id, target.id, target.region_id)
    # Facilities merged into the source earlier now point at the target directly.
    session.execute(update(Facility).where(Facility.merged_into_id == source.id)
                    .values(merged_into_id=target.id))
    source.merged_into_id = target.id
    source.active = False
    session.flush()
    caching.public_changed(session)
    audit.record(session, now, actor, "facility.merge", subject=f"facility:{source.id}",
                 before={"facility_id": source.id}, after={"facility_id": target.id,
                                                           "stories_moved": moved})
    return moved


def _relocate(session: Session, where: ColumnElement[bool], facility_id: int,
              region_id: int) -> int:
    """Point the matching stories at this facility and region, the aggregates following."""
    session.flush()
    delta: Counter[Cell] = Counter()
    counted = select(Submission).where(where, Submission.counted_in_stats.is_(True))
    for submission in session.scalars(counted.execution_options(yield_per=500)):
        delta.subtract(cells_of(submission))
        delta.update(cells(region_id, facility_id, submission.care_types,
                           submission.experience_month, submission.outcomes,
                           [(w.kind.value, w.state.value, w.days) for w in submission.waits]))
    # updated_at too: the stories' public facility changed, and the API's updated_since
    # (a mirror's way to catch up) compares with it.
    result = session.execute(update(Submission).where(where)
                             .values(facility_id=facility_id, region_id=region_id,
                                     updated_at=utcnow())
                             .execution_options(synchronize_session="fetch"))
    add_to_cells(session, {cell: n for cell, n in delta.items() if n})
    return int(result.rowcount)  # type: ignore[attr-defined]
