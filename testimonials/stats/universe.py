"""Everything the statistics views can publish, and the one decision of which groups to hide.

The pages, the CSV, the JSON and the API publish, under every filter they accept, counts from
the same few tables: a total split by region, each region by facility, by care type and by
quarter, each care type by region and by quarter (releases before format 3: by month;
`Dimensions.period`). Nothing is published by facility and care type, nor by facility and
time (`protection` explains why). Across filters these are the
same groups with the same sums, so a reader who downloads several filtered views can subtract
across them. Suppression therefore runs once over all of it (the "universe": one report per
family of counts), and every view hides exactly the groups hidden there.

A family is what a group counts: respondents (stories), the answers of one wait series, or
the stories reporting one outcome. Sums never link two families, so each is protected on its
own (the same result as one run over all, in a fraction of the time).

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from testimonials.stats.cells import (
    ALL,
    CARE_TYPES,
    OUTCOMES,
    RESPONDENTS,
    SERIES,
    URGENT_INTAKE,
    care_scope,
    facility_scope,
    outcome_measure,
    pair,
    region_scope,
)
from testimonials.stats.methods import N_
from testimonials.stats.quarters import MONTH, period_scope
from testimonials.stats.report import Breakdown, Group
from testimonials.stats.suppression import suppressed_keys
from testimonials.vocab import CareType

OUTCOME_FAMILIES: tuple[str, ...] = tuple(outcome_measure(name) for name in OUTCOMES)
FAMILIES: tuple[str, ...] = (RESPONDENTS, *SERIES, *OUTCOME_FAMILIES)
# Outcomes are published per place and care type, never per month or quarter.
MONTHLY: frozenset[str] = frozenset((RESPONDENTS, *SERIES))

Counts = Mapping[tuple[str, str], int]  # (family, scope) -> count

# Labels of groups that are not places or months: English msgids, translated by the views.
CARE_LABELS: dict[int, str] = {
    1: N_("Individual therapy"),
    2: N_("Group therapy"),
    4: N_("Psychiatry or medication"),
    8: N_("Crisis or urgent care"),
    16: N_("Children and teenagers"),  # the same words as on /stories
    32: N_("Intake only"),
}
SERIES_LABELS: dict[str, str] = {
    "intake": N_("First (intake) appointment"),
    "urgent_intake": N_("Urgent first appointment (crisis care)"),
    "first_return": N_("First return (follow-up) appointment"),
    "between_returns": N_("Usual gap between return appointments"),
    "psychiatry": N_("First psychiatry or medication appointment"),
}
OUTCOME_LABELS: dict[str, str] = {
    "emergency_room": N_("Emergency room visit"),
    "paid_out_of_pocket": N_("Paid out of pocket elsewhere"),
    "stopped_treatment": N_("Treatment stopped"),
    "got_worse": N_("Condition worsened"),
    "referred_out": N_("Referred out of network"),
}
NOT_STATED_LABELS: dict[str, str] = {
    "region": N_("Facility not listed or not given"),
    "facility": N_("Facility not given"),
    "month": N_("Month not given"),
    "quarter": N_("Quarter not given"),
}


@dataclass(frozen=True)
class Region:
    id: int
    name: str


@dataclass(frozen=True)
class Facility:
    id: int
    name: str
    region_id: int


@dataclass(frozen=True)
class Dimensions:
    """The places and periods that have answers, in the order views list them.

    `period` names the time dimension: "quarter" in releases from format 3 on ("2025-Q2"),
    "month" before ("2024-05") and in the aggregates' own scopes.
    """

    regions: tuple[Region, ...]
    facilities: tuple[Facility, ...]
    periods: tuple[str, ...]  # ascending
    period: str = MONTH

    def facilities_in(self, region_id: int) -> tuple[Facility, ...]:
        return tuple(f for f in self.facilities if f.region_id == region_id)


def key(family: str, scope: str) -> str:
    """The key of a group: the same people in every view that shows them."""
    return f"{family}|{scope}"


def not_stated_key(family: str, parent_scope: str, dimension: str) -> str:
    return f"{family}|{parent_scope}|none:{dimension}"


# (group key, scope, scopes to subtract) -> the figures of the scope's answers minus those of
# the other scopes (a "not stated" group is its parent minus the listed children).
FiguresOf = Callable[[str, str, Sequence[str]], object]


@dataclass
class Builder:
    """Builds groups of one family from the counts; `figures` adds figures to each group."""

    family: str
    dims: Dimensions
    counts: Counts
    figures: FiguresOf | None = None
    inconsistent: bool = False  # some "not stated" came out negative: the data disagree

    def count(self, scope: str) -> int:
        return self.counts.get((self.family, scope), 0)

    def group(self, scope: str, label: str, breakdowns: Sequence[Breakdown[object]] = ()
              ) -> Group[object]:
        shown = tuple(b for b in breakdowns if b.groups)
        group_key = key(self.family, scope)
        figures = self.figures(group_key, scope, ()) if self.figures else None
        return Group(group_key, label, self.count(scope), figures, shown)

    def partition(self, name: str, parent: str, children: Sequence[Group[object]]
                  ) -> Breakdown[object]:
        """Children that split `parent`, plus the "not stated" rest so that the sum holds."""
        rest = self.count(parent) - sum(child.count for child in children)
        if rest < 0:
            # The aggregates disagree with the place list (a facility moved without its
            # stories): no sum can be relied on, so none is declared.
            self.inconsistent = True
            return Breakdown(name, tuple(children), partition=False)
        rest_key = not_stated_key(self.family, parent, name)
        minus = [child.key.split("|", 1)[1] for child in children]
        figures = self.figures(rest_key, parent, minus) if self.figures and rest else None
        rest_group = Group(rest_key, NOT_STATED_LABELS[name], rest, figures)
        return Breakdown(name, (*children, rest_group), partition=True)

    def facilities(self, region: Region, care: str) -> Breakdown[object]:
        parent = pair(region_scope(region.id), care)
        children = [self.group(pair(facility_scope(f.id), care), f.name)
                    for f in self.dims.facilities_in(region.id)]
        return self.partition("facility", parent, children)

    def regions(self, care: str, *, with_facilities: bool = True, with_care: bool = False,
                with_months: bool = False) -> Breakdown[object]:
        children = []
        for region in self.dims.regions:
            scope = pair(region_scope(region.id), care)
            inner = [self.facilities(region, care)] if with_facilities else []
            if with_care:
                # Region x care, not facility x care: see `universe`.
                inner.append(self.cares(scope))
            if with_months:
                inner.append(self.periods(scope))
            children.append(self.group(scope, region.name, inner))
        return self.partition("region", care, children)

    def cares(self, parent: str, *, nested: bool = False) -> Breakdown[object]:
        """Care types of `parent` (they overlap: not a partition)."""
        children = []
        for care in CARE_TYPES:
            scope = pair(parent, care_scope(care))
            inner: list[Breakdown[object]] = []
            if nested and parent.startswith("region="):
                region = next(r for r in self.dims.regions if region_scope(r.id) == parent)
                inner.append(self.facilities(region, care_scope(care)))
            children.append(self.group(scope, CARE_LABELS[care], inner))
        return Breakdown("care", tuple(children), partition=False)

    def periods(self, parent: str) -> Breakdown[object]:
        """`parent` by month or quarter (`Dimensions.period`), the rest "not given"."""
        period = self.dims.period
        children = [self.group(pair(parent, period_scope(period, p)), p)
                    for p in self.dims.periods]
        return self.partition(period, parent, children)


def universe(family: str, dims: Dimensions, counts: Counts) -> Group[object]:
    """Every group of one family that any view can publish, with every sum that links them."""
    build = Builder(family, dims, counts)
    monthly = family in MONTHLY
    care_groups = []
    for care in CARE_TYPES:
        scope = care_scope(care)
        # By region, not by facility: facility x care (and facility x time) cells are mostly
        # small, and every one hidden links to shown ones, so they are not published at all.
        inner = [build.regions(scope, with_facilities=False)]
        if monthly:
            inner.append(build.periods(scope))
        care_groups.append(build.group(scope, CARE_LABELS[care], inner))
    top = [build.regions(ALL, with_care=True, with_months=monthly),
           Breakdown("care", tuple(care_groups), partition=False)]
    if monthly:
        top.append(build.periods(ALL))
    return build.group(ALL, "all", top)


def same_answers(family: str, dims: Dimensions, counts: Counts) -> list[Group[object]]:
    """Groups that count the same answers under two keys, as one-child partitions.

    An urgent intake is by definition one of crisis care, so a place's urgent intakes and its
    crisis-care urgent intakes are the same people: a reader who sees one knows the other.
    Declared as sums, suppression hides both or neither.
    """
    if family != URGENT_INTAKE:
        return []
    crisis = care_scope(int(CareType.CRISIS))
    scopes = [ALL, *(region_scope(r.id) for r in dims.regions)]  # no facility x care
    pairs = [(scope, pair(scope, crisis)) for scope in scopes]
    pairs += [(period_scope(dims.period, p), pair(crisis, period_scope(dims.period, p)))
              for p in dims.periods]
    build = Builder(family, dims, counts)
    return [Group(key(family, scope), "", build.count(scope), None, (
        Breakdown("same answers", (build.group(twin, ""),), partition=True),))
        for scope, twin in pairs if build.count(scope) == build.count(twin)]


def hidden_keys(dims: Dimensions, counts: Counts, min_cell: int) -> frozenset[str]:
    """The keys of every group to hide in every view: primary and complementary suppression."""
    hidden: set[str] = set()
    for family in FAMILIES:
        report = [universe(family, dims, counts), *same_answers(family, dims, counts)]
        hidden |= suppressed_keys(report, min_cell)
    return frozenset(hidden)
