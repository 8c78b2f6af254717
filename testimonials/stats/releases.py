"""A statistics release as one document, and every filtered view rebuilt from it (pure).

A release publishes, at once and for good, every figure any filter of /stats can show. The
document holds each group once, by key (the same key under two filters is the same people,
shown alike): its count, or None when hidden, and its figures. The shape of a filter's view
(which groups, in which breakdowns) follows from the release's places and months exactly as
`page.build_view` lays it out, so `view_of` gives back, for every filter, the very view that
was protected at the cut, and nothing that was hidden is in the document at all.

Each group's figures carry their 95% intervals and n (`intervals`; None in format 1 documents,
which are still read: a release never changes). Format 2 added them, the never-offered counts,
the count on the standard and the bands' never-offered column. Format 3 publishes quarters
("quarters": ["2025-Q2", ...], keys "...quarter=2025-Q2") where formats 1 and 2 published
months ("months", "...month=2025-05"); each document is read with its own time dimension.
Format 4 protects the small numbers inside shown groups (`inner`, audit finding 5): a band
cell may be null (withheld), each band carries its total as a sixth entry (null when
withheld), and a percentile among the few longest or shortest answers is withheld
("extreme"). Format 5 withholds the small counts of how the wait stood (`group_table`:
"n_ended", "n_waiting", "n_gave_up", "n_never_offered" and the counts without days may be
null), inside each group and across groups (`across.withheld_states`, which from issue 14's
second review covers band cells and totals, the answers without days and those over and at
the standard too, and may leave a shown group with its count only), and stores what its
documents say in words (`wording`: the methods note, the hidden marker and the labels, in
each language, and the licence), so that no later change of code, catalogue or configuration
changes a byte served at its address. Earlier documents
are read, and served, as they were stored.

Format 5 documents cut since the review of issue 14 also hold what else their files said from
today's settings: "region_slugs" (region id -> the slug its filters and addresses use),
"site_url" (the origin of the data package's absolute links) and, in each language's words,
the site's name in the package's title and the sentence said of a hidden count of people.
These are added keys, not a new format: a reader takes them when present, and a document
without them is served as before (`stats_views.release_places`, `wording.Wording`).

Documents cut since held figures came also hold "held" (`carry`): for each group hidden at
the cut that an earlier release showed (with people in it), [that release's number, the date
of its cut "YYYY-MM-DD", its count, its figures as that release stored them]. Views give it
to the hidden group as `ShownGroup.held`, never as its count or figures; a document without
the key has nothing held and is served as before.

Documents cut since the words of a hidden group named both of its reasons (a small count, or
a small change since the last release that showed it) hold "csv_status", how the data
package describes the CSV's `status` column (`tidy.STATUS`); the others describe it as they
did (`tidy.STATUS_BEFORE`). Their hidden marker and sentence are in their stored words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from testimonials.stats import across
from testimonials.stats.bands import BANDS, BandCount
from testimonials.stats.cells import ALL, RESPONDENTS, SERIES
from testimonials.stats.intervals import Estimate, Intervals
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.page import (
    Base,
    Filter,
    Histograms,
    Series,
    View,
    _tree,
    all_filters,
    build_view,
    series_standard,
)
from testimonials.stats.quarters import MONTH, QUARTER
from testimonials.stats.report import Breakdown, Group, Held, ShownGroup, hide
from testimonials.stats.summary import Summary
from testimonials.stats.universe import (
    NOT_STATED_LABELS,
    OUTCOME_FAMILIES,
    OUTCOME_LABELS,
    Builder,
    Dimensions,
    Facility,
    Region,
    key,
    not_stated_key,
)

FORMAT = 5
Standards = Mapping[str, Mapping[str, int]]
_BANDS = {band.key: band for band in BANDS}


@dataclass(frozen=True)
class Release:
    """A parsed release document: what every view of it is rebuilt from."""

    number: int
    cut_at: dt.datetime
    min_cell: int
    standards: Mapping[str, Any]
    dims: Dimensions
    stored: Mapping[str, list[Any]]  # key -> [count or None, figures as stored or None]
    format: int = FORMAT
    # Format 5 on: language -> what its documents say (`wording.texts`), and the licence
    # ({"spdx", "name", "url"}); None in older releases.
    texts: Mapping[str, Mapping[str, Any]] | None = None
    licence: Mapping[str, str] | None = None
    series_standards: Mapping[str, int | None] | None = None  # format 5 on
    # Added within format 5 (None in documents cut before): see the module's note.
    region_slugs: Mapping[str, str] | None = None
    site_url: str | None = None
    # Added within format 5 (None in documents cut before): key -> [release, "YYYY-MM-DD",
    # count, figures as stored], what an earlier release showed of a group hidden in this one.
    held: Mapping[str, list[Any]] | None = None
    # Added within format 5 (None in documents cut before): how the data package describes
    # the CSV's `status` column (`tidy.STATUS`, which since then names why a group is hidden).
    csv_status: str | None = None
    _figures: dict[str, Summary | None] = field(default_factory=dict, compare=False)

    def view(self, view_filter: Filter) -> View:
        return view_of(self, view_filter)

    def shown(self, group_key: str) -> int | None:
        """A group's published count (None when hidden, 0 when nobody is in it)."""
        return self.stored.get(group_key, (0, None))[0]

    def figures(self, group_key: str) -> Summary | None:
        """A group's figures, decoded on first use (a page needs a few hundred of thousands)."""
        if group_key not in self._figures:
            found = self.stored.get(group_key)
            self._figures[group_key] = _decode(found[1]) if found else None
        return self._figures[group_key]

    @cached_property
    def hidden(self) -> frozenset[str]:
        return frozenset(k for k, (count, _) in self.stored.items() if count is None)

    def held_of(self, group_key: str) -> Held[Summary] | None:
        """What the latest earlier release that showed a group hidden now said of it."""
        found = (self.held or {}).get(group_key)
        if found is None:
            return None
        number, date, count, figures = found
        return Held(number, dt.date.fromisoformat(date), count, _decode(figures))


def protected(base: Base, histograms: Histograms, standards: Standards) -> Base:
    """The base every view of a release is laid out from: `base` with the counts inside its
    groups protected across groups (format 5, issue 14). A view built from `base` alone can
    show a state count this withholds, so it is not the view a release publishes."""
    series_standards = {name: series_standard(name, standards) for name in SERIES}
    return replace(base, states=across.withheld_states(
        base.dims, across.state_counts(histograms, series_standards),
        base.hidden | base.withheld, base.min_cell, standards=series_standards))


def build(base: Base, histograms: Histograms, standards: Standards) -> dict[str, Any]:
    """The document of a release: every group of every filter's protected view, once."""
    memo: dict[tuple[str, str], Summary | None] = {}
    groups: dict[str, list[Any]] = {}
    base = protected(base, histograms, standards)
    for view_filter in all_filters(base.dims):
        view = build_view(view_filter, base, histograms, standards, None, memo)
        for group in _walk(view):
            groups.setdefault(group.key, [group.count, _encode(group.figures)])
    return {
        "format": FORMAT,
        "min_cell": base.min_cell,
        "standards": json.loads(json.dumps(standards, sort_keys=True, default=str)),
        # Each wait's standard in calendar days as worked out at the cut (format 5 on): a
        # later change of how business days are counted changes no published figure.
        "series_standards": {name: series_standard(name, standards) for name in SERIES},
        "regions": [[r.id, r.name] for r in base.dims.regions],
        "facilities": [[f.id, f.name, f.region_id] for f in base.dims.facilities],
        f"{base.dims.period}s": list(base.dims.periods),  # "quarters" (format 3 on)
        "groups": dict(sorted(groups.items())),
    }


def _walk(view: View) -> Iterator[ShownGroup[Summary]]:
    pending = [view.respondents, *(series.group for series in view.series)]
    while pending:
        group = pending.pop()
        yield group
        for breakdown in group.breakdowns:
            pending.extend(breakdown.groups)


def encode(document: Mapping[str, Any]) -> tuple[bytes, str]:
    """The stored bytes (compressed JSON) and the digest of the JSON they hold."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return zlib.compress(text, 6), hashlib.sha256(text).hexdigest()


def decode(number: int, cut_at: dt.datetime, stored: bytes) -> Release:
    return from_document(number, cut_at, json.loads(zlib.decompress(stored)))


def from_document(number: int, cut_at: dt.datetime, data: Mapping[str, Any]) -> Release:
    """A release from its document (as `build` makes it, or as stored)."""
    period = QUARTER if "quarters" in data else MONTH
    dims = Dimensions(tuple(Region(*r) for r in data["regions"]),
                      tuple(Facility(*f) for f in data["facilities"]),
                      tuple(data[f"{period}s"]), period)
    return Release(number, cut_at, data["min_cell"], data["standards"], dims, data["groups"],
                   data.get("format", 1), data.get("texts"), data.get("licence"),
                   data.get("series_standards"), data.get("region_slugs"),
                   data.get("site_url"), data.get("held"), data.get("csv_status"))


def carry(previous_number: int, previous_cut: dt.datetime, previous: Mapping[str, Any],
          current: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The "held" entries of a new document: each group it hides takes what the previous
    release showed of it, or what that one held of it (so the latest earlier release that
    showed it, from one previous document). Only the same key is the same group: a release by
    quarter holds nothing of one by month. A count of 0 has no figures to hold."""
    before, before_held = previous["groups"], previous.get("held", {})
    date = previous_cut.astimezone(dt.UTC).date().isoformat()
    moved = _standards_moved(previous, current)
    found: dict[str, list[Any]] = {}
    for group_key, (count, _figures) in current["groups"].items():
        if count is not None:
            continue
        if group_key.split("|", 1)[0] in moved:
            # Its share over the standard was of the standard then; this release's pages
            # show this one's beside it. Not held, so the chain never brings it back.
            continue
        shown_count, shown_figures = before.get(group_key, (None, None))
        if shown_count:
            found[group_key] = [previous_number, date, shown_count, shown_figures]
        elif shown_count is None and group_key in before_held:
            found[group_key] = before_held[group_key]
    return found


def _standards_moved(previous: Mapping[str, Any], current: Mapping[str, Any]) -> set[str]:
    """The wait series whose standard in calendar days differs between two documents (every
    series, when the earlier one stored no series' standards and its standards differ)."""
    before, now = previous.get("series_standards"), current.get("series_standards", {})
    if before is None:
        return set(now) if previous.get("standards") != current.get("standards") else set()
    return {name for name in now if before.get(name) != now[name]}


def _encode(summary: Summary | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        "count": summary.count, "n_ended": summary.n_ended, "n_waiting": summary.n_waiting,
        "n_gave_up": summary.n_gave_up,
        "n_gave_up_without_days": summary.n_gave_up_without_days,
        "n_in_estimate": summary.n_in_estimate,
        "percentiles": [[p.p, p.days, p.more_than]
                        for p in (summary.p25, summary.median, summary.p75, summary.p90)],
        "standard_days": summary.standard_days,
        "share_over_standard": summary.share_over_standard,
        "n_over_standard": summary.n_over_standard,
        "bands": [[cell.band.key, cell.ended, cell.waiting, cell.gave_up, cell.never_offered,
                   cell.total] for cell in summary.bands],
        "n_never_offered": summary.n_never_offered,
        "n_never_offered_without_days": summary.n_never_offered_without_days,
        "n_at_standard": summary.n_at_standard,
        # name -> [value, low, high, n, high_more_than, withheld], for every Intervals.NAMES.
        "intervals": None if summary.intervals is None else {
            name: [e.value, e.low, e.high, e.n, e.high_more_than, e.withheld]
            for name in Intervals.NAMES for e in (getattr(summary.intervals, name),)},
    }


def _decode(data: Mapping[str, Any] | None) -> Summary | None:
    if data is None:
        return None
    p25, median, p75, p90 = (Percentile(*values) for values in data["percentiles"])
    return Summary(
        count=data["count"], n_ended=data["n_ended"], n_waiting=data["n_waiting"],
        n_gave_up=data["n_gave_up"], n_gave_up_without_days=data["n_gave_up_without_days"],
        n_in_estimate=data["n_in_estimate"], p25=p25, median=median, p75=p75, p90=p90,
        standard_days=data["standard_days"], share_over_standard=data["share_over_standard"],
        n_over_standard=data["n_over_standard"],
        # Format 4 on: a sixth entry, the band's published total (cells may be withheld).
        bands=tuple(_band(band, columns) for band, *columns in data["bands"]),
        # Format 1 had none of these (and counted "never offered" within "gave up").
        n_never_offered=data.get("n_never_offered", 0),
        n_never_offered_without_days=data.get("n_never_offered_without_days", 0),
        n_at_standard=data.get("n_at_standard", 0),
        intervals=None if data.get("intervals") is None else Intervals(
            **{name: Estimate(*data["intervals"][name]) for name in Intervals.NAMES}),
    )


def _band(band: str, columns: Sequence[int | None]) -> BandCount:
    """A stored band: ended, waiting, gave up (formats 2 on: never offered; 4 on: total)."""
    cells = [*columns[:4], *[0] * (4 - len(columns[:4]))]
    return BandCount(_BANDS[band], cells[0], cells[1], cells[2], cells[3],
                     shown_total=columns[4] if len(columns) > 4 else None)


class _Stored(Builder):
    """Lays groups out as `universe.Builder` does, with counts and figures from a release."""

    release: Release

    def group(self, scope: str, label: str, breakdowns: Sequence[Breakdown[object]] = ()
              ) -> Group[object]:
        group_key = key(self.family, scope)
        count = self.release.shown(group_key)
        shown = tuple(b for b in breakdowns if b.groups)
        return Group(group_key, label, count or 0, self.release.figures(group_key), shown)

    def partition(self, name: str, parent: str, children: Sequence[Group[object]]
                  ) -> Breakdown[object]:
        rest_key = not_stated_key(self.family, parent, name)
        if rest_key not in self.release.stored:  # no sum held at the cut (see Builder)
            return Breakdown(name, tuple(children), partition=False)
        rest: Group[object] = Group(rest_key, NOT_STATED_LABELS[name],
                                    self.release.shown(rest_key) or 0,
                                    self.release.figures(rest_key))
        return Breakdown(name, (*children, rest), partition=True)


def _builder(release: Release, family: str) -> _Stored:
    build = _Stored(family, release.dims, {})
    build.release = release
    return build


def view_of(release: Release, view_filter: Filter) -> View:
    """The protected view of one filter, as `page.build_view` made it at the cut."""
    hidden = release.hidden
    respondents = _tree(_builder(release, RESPONDENTS), view_filter)
    outcomes: tuple[Group[object], ...] = tuple(
        Group(key(family, view_filter.scope), OUTCOME_LABELS[family.split(":", 1)[1]],
              release.shown(key(family, view_filter.scope)) or 0)
        for family in OUTCOME_FAMILIES)
    respondents = Group(respondents.key, respondents.label, respondents.count, None,
                        (*respondents.breakdowns, Breakdown("outcome", outcomes, False)))
    held = release.held_of if release.held else None
    series = tuple(
        Series(name, standard_of(release, name),
               hide(_tree(_builder(release, name), view_filter),  # type: ignore[arg-type]
                    hidden, held))
        for name in SERIES)
    return View(view_filter, release.number, release.cut_at, release.min_cell,
                hide(respondents, hidden, held), series)  # type: ignore[arg-type]


def standard_of(release: Release, series: str) -> int | None:
    """A wait's standard in calendar days, as the release worked it out (format 5 on) or,
    for older releases, from its stored standards."""
    if release.series_standards is not None:
        return release.series_standards.get(series)
    return series_standard(series, release.standards)


def changes(previous: Mapping[str, Any] | None, current: Mapping[str, Any],
            previous_number: int | None) -> dict[str, Any]:
    """What changed since the previous release: people added, groups newly shown or hidden,
    and (documents that hold figures of earlier releases) the hidden groups held."""
    now_groups = current["groups"]
    held = {"held": len(current["held"])} if "held" in current else {}
    people = now_groups.get(key(RESPONDENTS, ALL), [0])[0]
    if previous is None:
        shown = sum(1 for count, _ in now_groups.values() if count is not None)
        return {"previous": None, "respondents_added": people, "newly_shown": shown,
                "newly_hidden": 0, **held}
    before = previous["groups"]
    was = before.get(key(RESPONDENTS, ALL), [0])[0]
    return {
        "previous": previous_number,
        "respondents_added": None if people is None or was is None else people - was,
        "newly_shown": sum(1 for k, (count, _) in now_groups.items()
                           if count is not None and before.get(k, [None])[0] is None),
        "newly_hidden": sum(1 for k, (count, _) in now_groups.items()
                            if count is None and before.get(k, [0])[0] is not None),
        **held,
    }
