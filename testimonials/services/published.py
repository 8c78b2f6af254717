"""Serving published releases: the latest number, parsed documents and rendered texts.

A release never changes once published, so whatever is made from one (the parsed document, a
rendered page, CSV or JSON) is kept per process under the release's number (`caching`) and
never goes stale; a request asks the database only which release is the latest (one indexed
lookup).
Nothing here reads the aggregates: no submission or decision moves a served figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import StatRelease
from testimonials.stats import wording
from testimonials.stats.cells import ALL, RESPONDENTS, SERIES
from testimonials.stats.releases import Release, decode, standard_of
from testimonials.stats.summary import Summary
from testimonials.stats.universe import SERIES_LABELS, key
from testimonials.vocab import WaitKind

INTAKE, FIRST_RETURN = WaitKind.INTAKE.value, WaitKind.FIRST_RETURN.value


@dataclass(frozen=True)
class Published:
    """A release as served: the parsed document and what is said about it."""

    release: Release
    published_at: dt.datetime
    respondents: int
    changes: str  # JSON

    @property
    def number(self) -> int:
        return self.release.number


def latest_number(session: Session) -> int | None:
    return session.scalar(select(func.max(StatRelease.number)))


def numbers(session: Session) -> list[tuple[int, dt.datetime, dt.datetime, int, str]]:
    """Every release, newest first: number, cut, published, people, changes (JSON)."""
    rows = session.execute(select(StatRelease.number, StatRelease.cut_at,
                                  StatRelease.published_at, StatRelease.respondents,
                                  StatRelease.changes).order_by(StatRelease.number.desc()))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def release(session: Session, number: int | None) -> Published | None:
    """Release `number` (None: the latest), or None when there is no such release."""
    if number is None:
        number = latest_number(session)
        if number is None:
            return None

    def load() -> Published | None:
        row = session.get(StatRelease, number)
        if row is None:
            return None
        published = Published(decode(row.number, row.cut_at, row.document), row.published_at,
                              row.respondents, row.changes)
        session.expunge(row)  # the bytes are parsed; do not keep them in the session
        return published

    return caching.release_document(number, load)


@dataclass(frozen=True)
class Headline:
    """The home page's figures from the latest release; a summary is None when hidden."""

    number: int
    cut_at: dt.datetime
    min_cell: int
    respondents: int | None  # None when hidden
    intake: Summary | None
    first_return: Summary | None
    hidden: frozenset[str] = frozenset()  # the series whose group is hidden (not just empty)


def headline(session: Session) -> Headline | None:
    """The figures /stats shows for everyone in the latest release (None: none published)."""
    published = release(session, None)
    if published is None:
        return None
    found = published.release
    return Headline(found.number, found.cut_at, found.min_cell,
                    found.shown(key(RESPONDENTS, ALL)),
                    found.figures(key(INTAKE, ALL)), found.figures(key(FIRST_RETURN, ALL)),
                    frozenset(series for series in (INTAKE, FIRST_RETURN)
                              if key(series, ALL) in found.hidden))


def on_standard(found: Release) -> list[tuple[str, int | None]]:
    """For the methods note: answers of everyone exactly on each series' standard.

    (English series label, count), None for a count withheld as too small; series without
    figures or without a standard are left out.
    """
    counts = []
    for series in SERIES:
        figures = found.figures(key(series, ALL))
        if figures is not None and standard_of(found, series) is not None:
            counts.append((SERIES_LABELS[series], figures.n_at_standard))
    return counts


def wording_of(found: Release, language: str) -> wording.Wording:
    """What the release's documents say in `language`: as stored at the cut (format 5 on),
    or the frozen words of older releases; never today's code or catalogue."""
    if found.texts is not None:
        return wording.stored(found.texts, language)
    return wording.legacy(language, found.min_cell, on_standard(found))
