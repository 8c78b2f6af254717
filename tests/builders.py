"""Builders for test data: submissions in any state, written straight to the database.

For arranging a test; the way patients really submit is the share service, tested on its own.
Like a service, a builder that adds something public says so (`caching.public_changed`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Account, Facility, Region, Submission, Wait
from testimonials.services import moderation
from testimonials.services.statistics import keep_stats_current
from testimonials.vocab import CareType, Language, Reporter, Status, Unit, WaitKind, WaitState

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
_sequence = itertools.count(1)


def facility(session: Session, name: str = "Oakland Medical Center", city: str = "Oakland",
             region: str = "East Bay") -> Facility:
    found = session.query(Region).filter_by(name=region).one_or_none()
    region_row = found or Region(name=region, slug=region.lower().replace(" ", "-"))
    row = Facility(name=name, city=city, region=region_row, active=True,
                   latitude=37.8, longitude=-122.27)
    session.add(row)
    session.flush()
    caching.public_changed(session)
    return row


def submission(session: Session, *, status: Status = Status.PENDING,
               place: Facility | None = None, story: str | None = None,
               waits: dict[WaitKind, tuple[WaitState, int | None]] | None = None,
               now: dt.datetime = NOW, **fields: Any) -> Submission:
    """A submission with sensible defaults; approved ones are published and counted."""
    number = next(_sequence)
    text = story or f"I waited months for a return appointment at my clinic. Story {number}."
    approved = status is Status.APPROVED
    values: dict[str, Any] = {
        "status": Status.PENDING, "language": Language.EN, "reporter": Reporter.PATIENT,
        "facility_id": place.id if place else None,
        "region_id": place.region_id if place else None,
        "care_types": int(CareType.INDIVIDUAL), "outcomes": 0,
        "experience_month": dt.date(2026, 5, 1),
        "original_title": f"Waiting {number}", "original_story": text,
        "public_title": f"Waiting {number}" if approved else None,
        "public_story": text if approved else None,
        "consent_publish": True, "consent_stats": True,
        "token_hash": hashlib.sha256(f"token-{number}".encode()).hexdigest(),
        "created_at": now, "updated_at": now,
        "moderated_at": now if approved else None,
        "published_at": now if approved else None,
    }
    values.update(fields)
    values.setdefault("first_published_at", values["published_at"])
    row = Submission(**values)
    answers = waits if waits is not None else {WaitKind.FIRST_RETURN: (WaitState.ENDED, 60)}
    row.waits = [Wait(kind=kind, state=state, days=days,
                      amount=days, unit=Unit.DAYS if days is not None else None)
                 for kind, (state, days) in answers.items()]
    session.add(row)
    session.flush()
    with keep_stats_current(session, row):
        row.status = status
    session.flush()
    if row.published_at is not None:
        caching.public_changed(session)
    return row


def release(app: Any, now: dt.datetime | None = None) -> int:
    """Cut a statistics release of what is counted now (committed); returns its number."""
    from testimonials.stats_commands import cut_release

    with app.app_context():
        cut = cut_release(app.extensions["waitline.engine"], now or dt.datetime.now(dt.UTC),
                          force=True, allow_few=True, actor_label="test")
    assert cut is not None
    return cut.number


def clinics_released(app: Any, session: Session,
                     clinics: Iterable[tuple[str, str, int]]) -> int:
    """Clinics of (name, region, people) in Oakland, each person's first appointment an ended
    wait of 4, 7, 10... days, all approved and counted; then a release (its number)."""
    for name, region, count in clinics:
        place = facility(session, name, "Oakland", region)
        for number in range(count):
            submission(session, status=Status.APPROVED, place=place,
                       waits={WaitKind.INTAKE: (WaitState.ENDED, 4 + 3 * number)})
    session.commit()
    return release(app)


Waits = dict[WaitKind, tuple[WaitState, int | None]]


def intake_ended(number: int) -> Waits:
    """A first appointment that ended after 2 to 26 days, about half within the standard of
    14: enough on each side for a release to give the share over it."""
    return {WaitKind.INTAKE: (WaitState.ENDED, 2 + number % 25)}


def a_few_joined(app: Any, session: Session, waits: Callable[[int], Waits] = intake_ended,
                 between: Callable[[], object] = lambda: None) -> tuple[Facility, Facility]:
    """Release 1 of Big Clinic's 30 people and Far Clinic's 40 (person n's waits:
    `waits(n)`); `between()`; then 3 join Big Clinic and 15 Far Clinic, and release 2.
    Release 2 hides Big Clinic's groups, though 33 are counted there (they moved by 3: the
    audit, on by default), and holds release 1's figures of them. (Big Clinic, Far Clinic)."""
    big = facility(session, "Big Clinic", "Oakland", "East Bay")
    far = facility(session, "Far Clinic", "Fresno", "Valley")

    def join(place: Facility, first: int, count: int) -> None:
        for number in range(first, first + count):
            submission(session, status=Status.APPROVED, place=place, waits=waits(number))

    join(big, 0, 30)
    join(far, 0, 40)
    session.commit()
    assert release(app) == 1
    between()
    join(big, 30, 3)
    join(far, 40, 15)
    session.commit()
    assert release(app) == 2
    return big, far


def lone_clinic_withheld(app: Any, session: Session) -> int:
    """One clinic of 40 people, released without the audit (the words, not the protection).
    First returns: 35 beyond the standard of 14 days, 5 within it (1 to STATS_MIN_CELL - 1:
    the count over the standard is withheld, and its share and the 90th percentile with it).
    First appointments: everyone still waiting after 5 days, short of the standard, so its
    share cannot be estimated (nobody was followed that long). The release's number."""
    place = facility(session, "Lone Clinic", "Fresno", "Central")
    for number in range(40):
        submission(session, status=Status.APPROVED, place=place, waits={
            WaitKind.FIRST_RETURN: (WaitState.ENDED, 5 if number < 5 else 15 + number),
            WaitKind.INTAKE: (WaitState.WAITING, 5)})
    session.commit()
    app.config["STATS_PROTECTION_AUDIT"] = False
    return release(app)


def approve(session: Session, item: Submission, moderator: Account, *,
            publish: bool = True) -> None:
    """A moderator approves `item` as submitted (committed): its story published when
    `publish`, else counted in the statistics only."""
    found = session.get(Submission, item.id)
    assert found is not None
    moderation.approve(session, found, moderator, NOW, version=found.version,
                       title=found.original_title if publish else None,
                       story=found.original_story)
    session.commit()


# What differs between two answers of the same content: the CSP nonce and CSRF tokens.
_VOLATILE = re.compile(r'nonce="[^"]*"|nonce-[A-Za-z0-9+/=_-]+|name="csrf_token" value="[^"]*"')


def served_bodies(client: Any, paths: Iterable[str]) -> dict[str, str]:
    """Each path's body as a reader gets it (asserting 200), less what changes per answer."""
    bodies = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies[path] = _VOLATILE.sub("", response.get_data(as_text=True))
    return bodies


def empty_audit_log(session: Session) -> None:
    """Tests that reload the demo data only: the database refuses DELETE of audit rows
    (migration 0022), so the log is emptied round its triggers, in this transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("TRUNCATE audit_entry"))  # fires no row trigger
        return
    sql = session.execute(text("SELECT sql FROM sqlite_master "
                               "WHERE name = 'audit_entry_no_delete'")).scalar_one()
    session.execute(text("DROP TRIGGER audit_entry_no_delete"))
    session.execute(text("DELETE FROM audit_entry"))
    session.execute(text(sql))
