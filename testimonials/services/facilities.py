"""Importing facilities and regions from a CSV file (name, city, region, latitude, longitude)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials.models import Facility, Region, Submission

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
    """The rows of a facilities CSV, checked; raises FacilityImportError naming the first bad line."""
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
    return ImportResult(created=created, updated=updated, regions_created=regions_created)


def move_facility(session: Session, facility: Facility, region: Region) -> None:
    """Put a facility in another region, and its stories with it (they carry the region)."""
    session.flush()  # the region may be new and need its id
    facility.region = region
    session.execute(
        update(Submission).where(Submission.facility_id == facility.id).values(region_id=region.id)
    )
