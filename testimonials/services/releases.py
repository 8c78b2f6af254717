"""Cutting a statistics release: compute from one snapshot, then publish in a short write.

`compute` only reads (call it in a transaction of its own: one snapshot of the aggregates,
which change in the same transactions as the submissions they count); `publish` adds the
row and never changes an existing one. Neither commits: the caller does.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Region, StatRelease
from testimonials.services import aggregates, statistics
from testimonials.stats import protection, quarters, releases, universe
from testimonials.stats.cells import ALL, NO_DAYS, RESPONDENTS, SERIES
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


def enough_new(previous: int | None, now: int, min_cell: int) -> bool:
    """Whether at least `min_cell` people joined since the previous release (net of those
    who left): a release that differs from the last by fewer would show their answers."""
    return previous is None or now - previous >= min_cell


def latest(session: Session) -> StatRelease | None:
    return session.scalars(select(StatRelease).order_by(StatRelease.number.desc()).limit(1)
                           ).first()


def latest_number(session: Session) -> int | None:
    return session.scalar(select(func.max(StatRelease.number)))


def compute(session: Session, now: dt.datetime, standards: Mapping[str, Mapping[str, int]],
            min_cell: int, width: int | None = None,
            review_every: int = protection.REVIEW_EVERY) -> Draft:
    """Every protected figure of every filter, read from one state of the aggregates.

    `width`: run the protection audit (`stats.protection`) with this width, over this release
    and every earlier one (a reader holds them all); None: the small-cell and complementary
    suppression of `universe.hidden_keys` only. `review_every`: how often the audit reviews
    the pattern of hidden counts (`protection.protect`).
    """
    counts = aggregates.counts(session)
    dims = aggregates.dimensions(session, counts)
    stories: dict[str, int] = {}
    withheld: frozenset[str] = frozenset()
    audit: protection.Protection | None = None
    if width:
        known = published_counts(session)
        stories = protection.story_counts(dims, known)
        audit = protection.protect(dims, counts, min_cell, width, history(session), known,
                                   review_every)
        hidden = audit.hidden
        withheld = protection.withheld_figures(dims, counts, known, min_cell)
    else:
        hidden = universe.hidden_keys(dims, counts, min_cell)
    base = Base(0, now, dims, counts, hidden, min_cell, withheld)
    scopes: dict[str, None] = {}
    for view_filter in all_filters(dims):
        scopes.update(dict.fromkeys(needed_scopes(view_filter, dims)))
    histograms = aggregates.histograms(session, scopes)
    document = releases.build(base, histograms, standards)
    # What a reader could count from the stories published at the cut: the audit of later
    # releases knows it (never served: views are rebuilt from "groups" only).
    document["stories"] = stories
    # The slugs the release's filters and addresses name its regions by, as they are now: a
    # later rename of a slug changes no address or byte of this release.
    named = {region.id for region in dims.regions}
    # How many times answers had left the statistics, as this snapshot saw it: the next
    # release holds none of this one's figures (nor what it held) if that has changed since
    # (`publish`). Never served.
    document["departures_seen"] = statistics.departures(session)
    document["region_slugs"] = {
        str(id_): slug or "" for id_, slug in session.execute(
            select(Region.id, Region.slug).order_by(Region.id))
        if id_ in named}
    # And the true counts of the groups it hides, for the next audits (`protection.carried`):
    # never served either (the database holds every answer anyway).
    # With what the audit found of them: the next audit starts from it (`Audit.growth`).
    if audit is not None:
        document["hidden_counts"] = protection.hidden_counts(dims, counts, hidden)
        document["audit_bounds"] = {key: list(bounds) for key, bounds in audit.bounds.items()}
        document["audit_past_unchanged"] = audit.past_unchanged
        # Earlier hidden counts that releases cut without the audit had given away already
        # (`stats/upgrade.py`): how many, and which ("0#key": release 1's group keys, public
        # labels), carried on so that later audits do not judge them again.
        document["audit_lost_count"] = len(audit.lost)
        document["audit_lost"] = sorted(audit.lost)
    return Draft(now, document, counts.get((RESPONDENTS, ALL), 0),
                 sum(counts.get((series, ALL), 0) for series in SERIES))


def add_wording(draft: Draft, words: Mapping[str, Any]) -> None:
    """The words the release's documents will say (`stats.wording`), stored with it."""
    draft.document.update(words)


def published_counts(session: Session) -> dict[tuple[str, str], int]:
    """The counts a reader can make from the published stories that the statistics count,
    by quarter as `aggregates.counts` gives the release's own."""
    found = statistics.recount(session, published_only=True)
    return quarters.by_quarter(aggregates.counts_of(
        (scope, measure, n) for (scope, measure, days), n in found.items() if days == NO_DAYS))


def history(session: Session) -> list[protection.Earlier]:
    """Every earlier release's places, months, published counts and stories, oldest first."""
    found = []
    for row in session.execute(select(StatRelease.number, StatRelease.cut_at,
                                      StatRelease.document).order_by(StatRelease.number)):
        release = releases.decode(row.number, row.cut_at, row.document)
        document = json.loads(zlib.decompress(row.document))
        found.append(protection.Earlier(
            release.dims, {key: count for key, (count, _figures) in release.stored.items()},
            document.get("stories", {}), document.get("hidden_counts", {}),
            # Cut with the audit on: it judged this release and every one before it.
            audited="hidden_counts" in document,
            bounds={key: (low, high, floor) for key, (low, high, floor)
                    in document.get("audit_bounds", {}).items()},
            lost=frozenset(document.get("audit_lost", ()))))
    return found


def publish(session: Session, draft: Draft, now: dt.datetime) -> StatRelease:
    """The draft as the next numbered release (added and flushed, never changed again)."""
    previous = latest(session)
    previous_document = None
    # What earlier releases showed of the groups this one hides (`releases.carry`): taken
    # from the release it follows, so read here, where its number is fixed.
    draft.document["held"] = {}
    if previous is not None:
        previous_document = json.loads(zlib.decompress(previous.document))
        if still_holdable(session, previous_document):
            draft.document["held"] = releases.carry(previous.number, previous.cut_at,
                                                    previous_document, draft.document)
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
    caching.public_changed(session)  # the home page shows the latest release's figures
    return release


def still_holdable(session: Session, previous: Mapping[str, Any]) -> bool:
    """Whether no answers have left the statistics since the previous release's snapshot, so
    that its figures, and those it held, count only answers still counted.

    Every figure a new release can hold comes from the previous document: its shown groups,
    or what it held, which was checked the same way when it was published and so counted, at
    its snapshot, only answers still counted then. Once a departure (a withdrawal, a consent
    unticked, a story sent back to review) has come since, they all may count answers that
    have left, and none is held again: nor later, as the chain carries only what this release
    holds.

    Read here, in the publishing transaction, not in the new release's snapshot: a departure
    committed between the compute and now drops them too (its answers are in the releases
    cut before it). The new release stores the count its own snapshot saw (`compute`), the
    lower one, so the next release drops this one's figures, which still count those answers;
    a departure not yet committed now commits after that snapshot too, and is caught the same
    way. A count, not a clock: a withdrawal's moment is taken before its commit, so a release
    whose snapshot began in between would be cut after that moment without seeing it.
    """
    return statistics.departures(session) == int(previous.get("departures_seen", 0))
