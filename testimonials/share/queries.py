"""What the patient's pages read: the facilities the form offers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Facility, Region


@dataclass(frozen=True, slots=True)
class FacilityOptions:
    """The facilities offered, grouped by region name, each as (id, "Name, City")."""

    groups: dict[str, list[tuple[int, str]]]

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(i for options in self.groups.values() for i, _label in options)


def facility_options(session: Session, include: int | None = None) -> FacilityOptions:
    """Active facilities that were not merged away (and `include`, the one a story already
    names), by region, both in alphabetical order."""
    offered = Facility.active.is_(True) & Facility.merged_into_id.is_(None)
    rows = session.execute(
        select(Region.name, Facility.id, Facility.name, Facility.city)
        .join(Region, Region.id == Facility.region_id)
        .where(offered | (Facility.id == include) if include is not None else offered)
        .order_by(Region.name, Facility.name, Facility.city)
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for region, facility_id, name, city in rows:
        label = name if city.casefold() in name.casefold() else f"{name}, {city}"
        groups.setdefault(region, []).append((facility_id, label))
    return FacilityOptions(groups)


def offered_among(session: Session, chosen: str | None) -> frozenset[int]:
    """The facility the posted value names, if the form offers it (else none): what a single
    POST of the whole story needs to check its choice, without reading every facility."""
    value = (chosen or "").strip()
    if not (value.isascii() and value.isdigit()):
        return frozenset()
    found = session.scalar(select(Facility.id).where(
        Facility.id == int(value), Facility.active.is_(True), Facility.merged_into_id.is_(None)))
    return frozenset() if found is None else frozenset({found})


def facility_label(session: Session, facility_id: int | None) -> str | None:
    """"Name, City" of a facility (active or not), for the patient's own pages."""
    if facility_id is None:
        return None
    row = session.get(Facility, facility_id)
    return None if row is None else f"{row.name}, {row.city}"
