"""Cutting a statistics release: compute from one snapshot, then publish in a short write.

`compute` only reads (call it in a transaction of its own: one snapshot of the aggregates,
which change in the same transactions as the submissions they count); `publish` adds the
row and never changes an existing one. Neither commits: the caller does.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import pagecache
from testimonials.models import StatRelease, Submission, Wait
from testimonials.stats import protection, queries, releases
from testimonials.stats.cells import ALL, RESPONDENTS, SERIES, measures, scopes
from testimonials.stats.page import Base, all_filters, needed_scopes

SCHEDULES: dict[str, dt.timedelta | None] = {
    "daily": dt.timedelta(days=1),
    "weekly": dt.timedelta(days=7),
    "monthly": dt.timedelta(days=30),
    "manual": None,  # only by hand (--force, or an admin)
}


class ReleaseError(ValueError):
    """A release that cannot be cut now; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Draft:
    """A computed release, not yet published."""

    cut_at: dt.datetime
    document: dict[str, Any]
    respondents: int
    answers: int


def due(latest: dt.datetime | None, now: dt.datetime, schedule: str) -> bool:
    """Whether the schedule asks for a release now, the latest being cut at `latest`."""
    if schedule not in SCHEDULES:
        raise ReleaseError("schedule")
    interval = SCHEDULES[schedule]
    if interval is None:
        return False
    return latest is None or now - latest >= interval


def enough_new(previous: int | None, now: int, min_cell: int,
               unknown_before: int | None = None, unknown_now: int | None = None) -> bool:
    """Whether at least `min_cell` people joined since the previous release (net of those
    who left): a release that differs from the last by fewer would show their answers.

    `unknown_*`: the people counted but not among the published stories, before and now.
    A reader subtracts the stories published in between, so the statistics-only people who
    joined must be none or `min_cell` at least too (audit finding 4: otherwise a release
    with one newcomer more than the stories published is that one person).
    """
    if previous is None:
        return True
    if now - previous < min_cell:
        return False
    if unknown_before is None or unknown_now is None:
        return True
    joined = unknown_now - unknown_before
    return joined <= 0 or joined >= min_cell


def latest(session: Session) -> StatRelease | None:
    return session.scalars(select(StatRelease).order_by(StatRelease.number.desc()).limit(1)
                           ).first()


def latest_number(session: Session) -> int | None:
    return session.scalar(select(func.max(StatRelease.number)))


def compute(session: Session, now: dt.datetime, standards: Mapping[str, Mapping[str, int]],
            min_cell: int, width: int, *, compare: bool = True,
            stories: StoriesKnown | None = None) -> Draft:
    """Every protected figure of every filter, read from one state of the aggregates.

    The protection audit (`protection.protected_keys`, intervals at least `width` wide)
    treats as known every published story counted in the statistics and, with `compare`,
    every earlier release (`compare=False` is for tests and the demo only: a release cut
    without it can differ from the last by a few people, whose answers the difference shows).
    """
    counts = queries.counts(session)
    dims = queries.dimensions(session, counts)
    stories = stories or StoriesKnown(session)
    earlier = []
    if compare:
        for row in session.scalars(select(StatRelease).order_by(StatRelease.number)):
            release = releases.decode(row.number, row.cut_at, row.document)
            earlier.append(protection.held_of(release, stories.at(row.cut_at)))
    hidden = protection.protected_keys(dims, counts, min_cell, width, stories.at(now), earlier)
    base = Base(0, now, dims, counts, hidden, min_cell)
    scopes: dict[str, None] = {}
    for view_filter in all_filters(dims):
        scopes.update(dict.fromkeys(needed_scopes(view_filter, dims)))
    histograms = queries.histograms(session, scopes)
    document = releases.build(base, histograms, standards)
    return Draft(now, document, counts.get((RESPONDENTS, ALL), 0),
                 sum(counts.get((series, ALL), 0) for series in SERIES))


class StoriesKnown:
    """The counts of the published stories that are counted in the statistics, at any time.

    A reader has every published story's answers (place, care types, month, outcomes and each
    wait's kind and state), so whatever they add to a group is known to him. A story counts
    as known from its first publication on, even if unpublished since (he may have kept it).
    """

    def __init__(self, session: Session) -> None:
        sub, wait = Submission.__table__, Wait.__table__
        query = (
            select(sub.c.id, sub.c.first_published_at, sub.c.region_id, sub.c.facility_id,
                   sub.c.care_types, sub.c.experience_month, sub.c.outcomes, wait.c.kind,
                   wait.c.state)
            .select_from(sub.outerjoin(wait, wait.c.submission_id == sub.c.id))
            .where(sub.c.counted_in_stats.is_(True), sub.c.first_published_at.is_not(None))
            .order_by(sub.c.id))
        answers: dict[int, list[Any]] = {}
        for row in session.execute(query):
            found = answers.setdefault(row[0], [row[1], row[2:7], []])
            if row[7] is not None:
                found[2].append((str(getattr(row[7], "value", row[7])),
                                 str(getattr(row[8], "value", row[8])), None))
        # Per story, in order of first publication: its place, care types and month (which
        # give its scopes) and what it counts in each of them (people, answers, outcomes).
        self._stories: list[tuple[dt.datetime, tuple[Any, ...], tuple[str, ...]]] = sorted(
            ((_aware(first), (region, facility, care, month),
              tuple(measure for measure, _days in measures(care, outcomes, waits)
                    if ":" not in measure or measure.startswith("outcome:")))
             for first, (region, facility, care, month, outcomes), waits in answers.values()),
            key=lambda story: story[0])
        self._moments = [story[0] for story in self._stories]

    def at(self, moment: dt.datetime) -> dict[tuple[str, str], int]:
        """(family, scope) -> the published stories counted in it, as of `moment`."""
        by_place: dict[tuple[Any, ...], Counter[str]] = {}
        for _first, place, counted in self._stories[
                :bisect.bisect_right(self._moments, _aware(moment))]:
            found = by_place.get(place)
            if found is None:
                found = by_place[place] = Counter()
            found.update(counted)
        by_scope: dict[str, Counter[str]] = {}
        for (region, facility, care, month), counted in by_place.items():
            for scope in scopes(region, facility, care, month):
                found = by_scope.get(scope)
                if found is None:
                    found = by_scope[scope] = Counter()
                found.update(counted)
        return {(measure, scope): n for scope, counted in by_scope.items()
                for measure, n in counted.items()}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def publish(session: Session, draft: Draft, now: dt.datetime) -> StatRelease:
    """The draft as the next numbered release (added and flushed, never changed again)."""
    previous = latest(session)
    previous_document = None
    if previous is not None:
        previous_document = json.loads(releases.zlib.decompress(previous.document))
    stored, digest = releases.encode(draft.document)
    release = StatRelease(
        number=(previous.number if previous else 0) + 1, cut_at=draft.cut_at,
        published_at=now, respondents=draft.respondents, answers=draft.answers,
        document=stored, digest=digest,
        changes=json.dumps(releases.changes(previous_document, draft.document,
                                            previous.number if previous else None),
                           sort_keys=True))
    session.add(release)
    session.flush()
    pagecache.bump_once(session)  # the home page shows the latest release's figures
    return release
