"""The statistics of one filtered view: the groups it shows, their figures, hidden as decided once.

A view is the statistics of one filter (everything, a region, a facility, a care type, or a
region or facility with a care type), broken down by the dimensions the aggregates hold for
it. Which groups are hidden is not decided here but in `universe.hidden_keys`, once for every
view, so the page, the CSV, the JSON and the API agree under every filter.

Pure: counts, histograms and the hidden keys come in; a `View` comes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from testimonials.stats.cells import (
    ALL,
    RESPONDENTS,
    SERIES,
    URGENT_INTAKE,
    care_scope,
    facility_scope,
    pair,
    region_scope,
)
from testimonials.stats.histogram import Key
from testimonials.stats.inner import protect_figures
from testimonials.stats.methods import N_
from testimonials.stats.report import Breakdown, Group, ShownGroup, hide
from testimonials.stats.summary import Summary, summarise
from testimonials.stats.universe import (
    MONTHLY,
    OUTCOME_FAMILIES,
    OUTCOME_LABELS,
    Builder,
    Counts,
    Dimensions,
    Region,
    key,
)
from testimonials.vocab import CareType, WaitKind
from testimonials.waits import standard_days

TOTAL_LABEL = N_("Total")  # the label of a view's top group: everyone the filter keeps
Histograms = Mapping[tuple[str, str], Mapping[Key, int]]  # (series, scope) -> histogram
Standards = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Filter:
    """What a view is restricted to; None means no restriction on that dimension."""

    region: int | None = None
    facility: int | None = None
    care: int | None = None

    @property
    def place(self) -> str:
        if self.facility is not None:
            return facility_scope(self.facility)
        return region_scope(self.region) if self.region is not None else ALL

    @property
    def scope(self) -> str:
        return pair(self.place, care_scope(self.care) if self.care is not None else ALL)

    @property
    def has_periods(self) -> bool:
        """Whether the aggregates hold this view's answers by month, so by quarter (not
        facility by month)."""
        return self.facility is None and (self.region is None or self.care is None)


@dataclass(frozen=True)
class Base:
    """What every view of one version of the aggregates shares: counts and the hidden keys."""

    version: int
    changed_at: dt.datetime | None
    dims: Dimensions
    counts: Counts
    hidden: frozenset[str]
    min_cell: int
    # Groups shown with their count but not their figures (`protection.withheld_figures`).
    withheld: frozenset[str] = frozenset()
    # State counts withheld in a shown group across groups (`across.withheld_states`).
    states: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Series:
    """One wait series of a view: its legal standard and its protected group of answers."""

    series: str
    standard_days: int | None  # None when no standard is configured for it
    group: ShownGroup[Summary]


@dataclass(frozen=True)
class View:
    """Everything one filtered view publishes, already protected."""

    filter: Filter
    version: int
    changed_at: dt.datetime | None
    min_cell: int
    respondents: ShownGroup[Summary]  # counts only; its last breakdown is the outcomes
    series: tuple[Series, ...]

    @property
    def outcomes(self) -> tuple[ShownGroup[Summary], ...]:
        found = [b for b in self.respondents.breakdowns if b.name == "outcome"]
        return found[0].groups if found else ()


def series_standard(series: str, standards: Standards) -> int | None:
    """The legal standard of a series in calendar days (urgent intakes: the urgent one)."""
    if series == URGENT_INTAKE:
        return standard_days(WaitKind.INTAKE, CareType.CRISIS, standards)
    return standard_days(WaitKind(series), 0, standards)


def _tree(build: Builder, view: Filter) -> Group[object]:
    """The group of the filter's answers in one family, with the breakdowns the view shows."""
    care = care_scope(view.care) if view.care is not None else ALL
    breakdowns: list[Breakdown[object]] = []
    if view.facility is None and view.region is None:
        breakdowns.append(build.regions(care, with_facilities=care == ALL))
    elif view.facility is None and view.care is None:  # no facility x care (`universe`)
        region = next((r for r in build.dims.regions if r.id == view.region), None)
        if region is not None:
            breakdowns.append(build.facilities(region, care))
    if view.care is None and view.facility is None:
        breakdowns.append(build.cares(view.place))
    if view.has_periods and build.family in MONTHLY:
        breakdowns.append(build.periods(view.scope))
    return build.group(view.scope, TOTAL_LABEL, breakdowns)


def needed_scopes(view: Filter, dims: Dimensions) -> list[str]:
    """Every scope whose histograms the view's figures are made from."""
    scopes: dict[str, None] = {}

    def record(_key: str, scope: str, minus: Sequence[str]) -> None:
        scopes[scope] = None
        scopes.update(dict.fromkeys(minus))

    _tree(Builder(SERIES[0], dims, {}, record), view)
    return list(scopes)


def build_view(view: Filter, base: Base, histograms: Histograms, standards: Standards,
               detailed: frozenset[str] | None = None,
               memo: dict[tuple[str, str], Summary | None] | None = None) -> View:
    """The protected view: every group hidden in `base.hidden` carries no count, no figures.

    `detailed` names the series whose breakdown groups get figures (None: all of them; the
    page shows one series' breakdowns, so it asks for that one and computes a fifth of the
    figures). The other series' breakdown groups then carry their counts only.
    """
    people = Builder(RESPONDENTS, base.dims, base.counts)
    respondents = _tree(people, view)
    outcomes: tuple[Group[object], ...] = tuple(
        Group(key(family, view.scope), OUTCOME_LABELS[family.split(":", 1)[1]],
              base.counts.get((family, view.scope), 0))
        for family in OUTCOME_FAMILIES
    )
    respondents = Group(respondents.key, respondents.label, respondents.count, None,
                        (*respondents.breakdowns, Breakdown("outcome", outcomes, False)))
    series = []
    for name in SERIES:
        standard = series_standard(name, standards)
        only = None if detailed is None or name in detailed else view.scope
        figures = _figures_of(name, standard, histograms, base.hidden | base.withheld, only,
                              memo, base.min_cell, base.states)
        group = _tree(Builder(name, base.dims, base.counts, figures), view)
        series.append(Series(name, standard, hide(group, base.hidden)))  # type: ignore[arg-type]
    return View(view, base.version, base.changed_at, base.min_cell,
                hide(respondents, base.hidden), tuple(series))  # type: ignore[arg-type]


def _figures_of(series: str, standard: int | None, histograms: Histograms,
                hidden: frozenset[str], only: str | None,
                memo: dict[tuple[str, str], Summary | None] | None = None,
                min_cell: int = 1, states: Mapping[str, frozenset[str]] | None = None
                ) -> Callable[[str, str, Sequence[str]], Summary | None]:
    def figures(group_key: str, scope: str, minus: Sequence[str]) -> Summary | None:
        if group_key in hidden:
            return None  # never computed, so never published by mistake
        if only is not None and (scope != only or minus):
            return None  # not asked for
        if memo is None:
            return compute(group_key, scope, minus)
        if (series, group_key) not in memo:
            memo[(series, group_key)] = compute(group_key, scope, minus)
        return memo[(series, group_key)]

    def compute(group_key: str, scope: str, minus: Sequence[str]) -> Summary | None:
        counts = dict(histograms.get((series, scope), {}))
        for other in minus:
            for cell, count in histograms.get((series, other), {}).items():
                counts[cell] = counts.get(cell, 0) - count
        if any(count < 0 for count in counts.values()):
            return None  # the aggregates disagree with the place list: no figures to trust
        counts = {cell: count for cell, count in counts.items() if count}
        if not counts:
            return None
        return protect_figures(summarise(counts, standard if standard is not None else 0),
                               min_cell, counts, (states or {}).get(group_key, frozenset()))
    return figures


def find_region(dims: Dimensions, region_id: int) -> Region | None:
    return next((r for r in dims.regions if r.id == region_id), None)


def all_filters(dims: Dimensions) -> list[Filter]:
    """Every filter the views accept that can have answers (for checks and warming caches)."""
    cares = [int(member) for member in CareType]
    filters = [Filter()]
    filters += [Filter(region=r.id) for r in dims.regions]
    filters += [Filter(facility=f.id) for f in dims.facilities]
    filters += [Filter(care=c) for c in cares]
    filters += [Filter(region=r.id, care=c) for r in dims.regions for c in cares]
    # No facility with a care type: those cells are not published (`universe`).
    return filters
