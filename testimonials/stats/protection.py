"""Protection intervals over every release a reader holds (pure).

Statistics offices (tau-Argus, sdcTable) model what a reader can infer as a linear system and
ask, for every hidden cell, how far it can move. A reader of release N holds every figure of
every filter of releases 1 to N and every published story, so he knows, for each release:
- every shown count, and that a hidden count is at least 1 (zeros are shown) and at least the
  number of published stories counted in it (their answers are on the stories' pages);
- every partition (a parent is the sum of its children), every inequality a part never breaks
  (a care type's count is at most its place's; a wait series or an outcome in a scope is at
  most the people there);
- across releases, that a count never falls (he assumes no withdrawals: that only makes him
  stronger), x in release t-1 <= x in release t.

Two kinds of figure must stay out of his reach, each checked with linear programs (HiGHS) per
group of linked hidden counts (`linked.components`):
- a hidden count, of this release or of an earlier one, less the published stories in it,
  narrowed to fewer than `width` values while at least 1 (unless the interval still covers
  1 to min_cell - 1, all that "hidden" says anyway); with no stories, the count itself;
- the people a count gained between two consecutive releases, less the published stories it
  gained: when he can tell that at least one and fewer than min_cell statistics-only people
  joined a group, and narrow their number to fewer than `width` values, comparing the two
  releases tells him about a handful of people (audit finding 2).

Earlier releases are published and never change, so every repair is in this release: a shown
count of this release linked to a weak figure is hidden too (the smallest first), and the
audit runs again, until nothing is weak. Hiding more can only widen intervals, so this ends.

Linear programs give real-valued bounds; counts are whole numbers, so each bound is rounded
inwards. Rows: at most a few thousand hidden counts per linked group; every program solved
also updates every other figure's known range (each solution is a point a reader cannot rule
out), so most figures never need programs of their own.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from testimonials.stats.implicit import _new_solver
from testimonials.stats.linked import components
from testimonials.stats.releases import Release, builder
from testimonials.stats.report import Group
from testimonials.stats.universe import (
    FAMILIES, Builder, Counts, Dimensions, hidden_keys, same_answers, universe,
)

Interval = tuple[float, float]
Cell = tuple[int, str]  # (release: 0 the earliest held, the last one this release; group key)
COUNT, CHANGE = "count", "change"
# Programs that pull many open figures at once, before one program per figure.
_SCREENING_ROUNDS = 100
CEILING = 10**6
_SCREEN_FROM = 200  # hidden counts in a linked group; smaller ones go straight to programs


@dataclass
class System:
    """The relations between the counts of one release, by group key."""

    count: dict[str, int] = field(default_factory=dict)
    equal: dict[tuple[str, tuple[str, ...]], None] = field(default_factory=dict)
    at_most: dict[tuple[str, str], None] = field(default_factory=dict)  # (small, big)

    def add(self, group: Group[object]) -> None:
        self.count.setdefault(group.key, group.count)
        for breakdown in group.breakdowns:
            children = tuple(child.key for child in breakdown.groups)
            if breakdown.partition:
                self.equal[(group.key, children)] = None
            else:
                for child in children:
                    self.at_most[(child, group.key)] = None
            for child in breakdown.groups:
                self.add(child)

    def people_bound(self) -> None:
        """A wait series or an outcome in a scope counts at most the people there."""
        for group_key in list(self.count):
            family, _, scope = group_key.partition("|")
            people = f"respondents|{scope}"
            if family != "respondents" and "|none:" not in group_key and people in self.count:
                self.at_most[(group_key, people)] = None


def system(dims: Dimensions, counts: Counts,
           builder: Callable[[str], Builder] | None = None) -> System:
    """Every count any view publishes and every relation a reader knows between them.

    `builder` lays a family's groups out from something else than true counts (a published
    release: its shown counts, 0 for the hidden ones, which are unknowns anyway).
    """
    found = System()
    for family in FAMILIES:
        found.add(universe(family, dims, counts, builder(family) if builder else None))
        for group in same_answers(family, dims, counts):
            found.add(group)
    found.people_bound()
    return found


@dataclass(frozen=True)
class Held:
    """What a reader holds of one release: its relations, hidden keys and known stories."""

    system: System
    hidden: frozenset[str]
    stories: Mapping[str, int]  # group key -> published stories counted in it at the cut


@dataclass(frozen=True)
class Target:
    """A figure a reader may try to narrow: a hidden count's statistics-only people (less the
    published stories in it), or their change between two releases."""

    kind: str  # COUNT or CHANGE
    key: str
    release: int  # for a change: the later release of the two
    terms: tuple[tuple[Cell, float], ...]  # hidden counts and their coefficients
    offset: float  # the shown counts and stories in it


def _story(stories: Mapping[str, int], group_key: str) -> int:
    return stories.get(group_key, 0)


def story_counts(dims: Dimensions, stories: Counts) -> dict[str, int]:
    """The published stories in every group, by key ("not stated" groups too)."""
    return {group_key: count for group_key, count in system(dims, stories).count.items()
            if count > 0}


def targets(held: Sequence[Held]) -> list[Target]:
    """Every hidden count of every release, and every change of a count between two."""
    found = []
    for index, release in enumerate(held):
        for group_key in sorted(release.hidden):  # its statistics-only people
            found.append(Target(COUNT, group_key, index, (((index, group_key), 1.0),),
                                -float(_story(release.stories, group_key))))
        if not index:
            continue
        before = held[index - 1]
        for group_key in sorted(release.system.count.keys() & before.system.count.keys()):
            terms, offset = [], 0.0
            for cell_index, sign in ((index, 1.0), (index - 1, -1.0)):
                side = held[cell_index]
                if group_key in side.hidden:
                    terms.append(((cell_index, group_key), sign))
                else:
                    offset += sign * side.system.count.get(group_key, 0)
                offset -= sign * _story(side.stories, group_key)
            found.append(Target(CHANGE, group_key, index, tuple(terms), offset))
    return found


def held_of(release: Release, stories: Counts) -> Held:
    """What a reader holds of a published release, given the stories published by its cut."""
    found = system(release.dims, {}, lambda family: builder(release, family))
    # Relations over groups the release does not list (none, unless the layout changed
    # since) would read their counts as 0: they are left out.
    found.equal = {relation: None for relation in found.equal
                   if all(group_key in release.stored for group_key in (relation[0], *relation[1]))}
    found.at_most = {relation: None for relation in found.at_most
                     if all(group_key in release.stored for group_key in relation)}
    found.count = {group_key: count or 0 for group_key, count in found.count.items()
                   if group_key in release.stored}
    return Held(found, release.hidden, story_counts(release.dims, stories))


def weak(target: Target, low: float, high: float, width: int, min_cell: int) -> bool:
    """Whether a reader who knows the figure lies in [low, high] learns too much."""
    if high - low + 1 >= width or (low <= 1 and high >= min_cell - 1):
        return False
    # Figures are of statistics-only people (published stories taken away): when there may
    # be none, the rest are people whose stories say as much themselves. A change that is
    # min_cell or more says nothing of a few people.
    return low >= 1 and (target.kind == COUNT or low < min_cell)


def _rows(held: Sequence[Held]) -> list[tuple[dict[Cell, float], float, float]]:
    """Every relation, over the hidden counts: (coefficients, lower, upper)."""
    rows: list[tuple[dict[Cell, float], float, float]] = []

    def row(terms: Iterable[tuple[Cell, float]], equal: bool) -> None:
        coefficients: dict[Cell, float] = {}
        constant = 0.0
        for cell, sign in terms:
            release = held[cell[0]]
            if cell[1] in release.hidden:
                coefficients[cell] = coefficients.get(cell, 0.0) + sign
            else:
                constant -= sign * release.system.count.get(cell[1], 0)
        coefficients = {cell: value for cell, value in coefficients.items() if value}
        if coefficients:
            rows.append((coefficients, constant if equal else -math.inf, constant))

    for index, release in enumerate(held):
        for parent, children in release.system.equal:
            row([((index, parent), 1.0), *(((index, child), -1.0) for child in children)], True)
        for small, big in release.system.at_most:
            row([((index, small), 1.0), ((index, big), -1.0)], False)
        if index:
            before = held[index - 1]
            for group_key in release.system.count.keys() & before.system.count.keys():
                row([((index - 1, group_key), 1.0), ((index, group_key), -1.0)], False)
    return rows


def audit(held: Sequence[Held], width: int, min_cell: int,
          truth: Mapping[str, int] | None = None,
          cache: dict[frozenset[Cell], list[tuple[Target, Interval]]] | None = None
          ) -> list[tuple[Target, Interval]]:
    """The figures a reader can narrow too far, with the interval he gets for each.

    `truth`: this release's true counts (a feasible point: it saves a program or two).
    `cache`: results by linked group, reused while a group's hidden counts are the same.
    """
    everything = targets(held)
    found: list[tuple[Target, Interval]] = []
    for target in everything:  # figures with nothing hidden in them are simply known
        if not target.terms and weak(target, target.offset, target.offset, width, min_cell):
            found.append((target, (target.offset, target.offset)))
    rows = _rows(held)
    by_cell: dict[Cell, list[Target]] = {}
    for target in everything:
        if target.terms:
            by_cell.setdefault(target.terms[0][0], []).append(target)
    hidden_cells = {(index, group_key) for index, release in enumerate(held)
                    for group_key in release.hidden}
    groups = components(rows, lambda row: row[0])
    for cell in hidden_cells - {cell for keys, _ in groups for cell in keys}:
        groups.append(({cell}, []))  # bound by nothing but its own limits
    # A bound far above any real count keeps every program bounded (a reader knows no more:
    # counts grow, so a total hidden now may exceed everything shown before).
    ceiling = float(CEILING)
    last = len(held) - 1
    for keys, group_rows in groups:
        frozen = frozenset(keys)
        if cache is not None and frozen in cache:
            found += cache[frozen]
            continue
        wanted = [target for cell in sorted(keys) for target in by_cell.get(cell, ())]
        lower = {cell: float(max(1, _story(held[cell[0]].stories, cell[1]))) for cell in keys}
        point = None
        if truth is not None and all(cell[0] == last for cell in keys):
            point = {cell: float(truth.get(cell[1], 1)) for cell in keys}
        weak_here = _solve(sorted(keys), group_rows, lower, ceiling, wanted, width, min_cell,
                           point)
        if cache is not None:
            cache[frozen] = weak_here
        found += weak_here
    return found


def _solve(keys: list[Cell], rows: list[tuple[dict[Cell, float], float, float]],
           lower: Mapping[Cell, float], ceiling: float, wanted: list[Target], width: int,
           min_cell: int, truth: Mapping[Cell, float] | None) -> list[tuple[Target, Interval]]:
    """The wanted figures of one linked group that a reader can narrow too far."""
    import highspy

    column = {cell: index for index, cell in enumerate(keys)}
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(keys), len(rows)
    lp.col_cost_ = [0.0] * len(keys)
    lp.col_lower_ = [lower[cell] for cell in keys]
    # No count exceeds the largest count held (everyone, when shown): programs stay bounded.
    lp.col_upper_ = [max(ceiling, lower[cell]) for cell in keys]
    starts, indices, values, row_lower, row_upper = [0], [], [], [], []
    for coefficients, low, high in rows:
        for cell, value in coefficients.items():
            indices.append(column[cell])
            values.append(value)
        starts.append(len(indices))
        row_lower.append(-highspy.kHighsInf if low == -math.inf else low)
        row_upper.append(high)
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, values
    solver: Any = _new_solver(highspy)
    # Only the objective changes from one program to the next, so the last optimal basis is
    # still feasible: the primal simplex goes on from it (no presolve, which would drop it).
    solver.setOptionValue("simplex_strategy", 4)
    solver.setOptionValue("presolve", "off")
    solver.passModel(lp)

    terms = [[(column[cell], value) for cell, value in target.terms] for target in wanted]
    # A figure has one or two terms: value = offset + a * x[i] + b * x[j] (b 0 when one).
    first = np.array([target_terms[0][0] for target_terms in terms], dtype=np.int64)
    first_coef = np.array([target_terms[0][1] for target_terms in terms])
    second = np.array([target_terms[-1][0] for target_terms in terms], dtype=np.int64)
    second_coef = np.array([target_terms[1][1] if len(target_terms) > 1 else 0.0
                            for target_terms in terms])
    offsets = np.array([target.offset for target in wanted])
    seen_low = np.full(len(wanted), np.inf)
    seen_high = np.full(len(wanted), -np.inf)

    def see(point: Sequence[float]) -> None:
        nonlocal seen_low, seen_high
        x = np.asarray(point, dtype=float)
        value = offsets + first_coef * x[first] + second_coef * x[second]
        seen_low, seen_high = np.minimum(seen_low, value), np.maximum(seen_high, value)

    def open_ones() -> list[int]:
        """The figures that the points seen so far do not show wide enough."""
        return [index for index in range(len(wanted))
                if weak(wanted[index], math.ceil(seen_low[index] - 1e-6),
                        math.floor(seen_high[index] + 1e-6), width, min_cell)]

    current = np.zeros(len(keys))

    def optimise(costs: Mapping[int, float], sense: Any) -> float | None:
        wanted_costs = np.zeros(len(keys))
        for col, value in costs.items():
            wanted_costs[col] = value
        changed = np.nonzero(wanted_costs != current)[0]
        if len(changed):
            solver.changeColsCost(len(changed), changed.astype(np.int32),
                                  wanted_costs[changed])
            current[:] = wanted_costs
        solver.changeObjectiveSense(sense)
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        see(solver.getSolution().col_value)
        return float(solver.getInfo().objective_function_value)

    if truth is not None:
        see([truth[cell] for cell in keys])
    # Screening: extreme points of the system show most figures to span enough. First all
    # counts small, then all large; then, while it pays, the open figures pulled each its
    # own random way at once (one program moves many); each program solved later adds its
    # point too. The random draws are seeded: the same data give the same release.
    everyone = {col: 1.0 for col in range(len(keys))}
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        optimise(everyone, sense)
    draw = random.Random(len(keys))
    remaining = open_ones()
    for _round in range(_SCREENING_ROUNDS if len(keys) > _SCREEN_FROM else 0):
        if len(remaining) < 2:
            break
        costs: dict[int, float] = {}
        for index in remaining:
            pull = draw.choice((-1.0, 1.0)) * draw.uniform(0.5, 1.5)
            for col, coef in terms[index]:
                costs[col] = costs.get(col, 0.0) + pull * coef
        optimise(costs, highspy.ObjSense.kMinimize)
        before, remaining = len(remaining), open_ones()
        if len(remaining) > 0.98 * before:
            break  # no longer paying: exact programs for the rest

    found = []
    for index in remaining:
        target = wanted[index]
        if not weak(target, math.ceil(seen_low[index] - 1e-6),
                    math.floor(seen_high[index] + 1e-6), width, min_cell):
            continue  # points seen since show it wide enough
        bounds = []
        costs = {col: coef for col, coef in terms[index]}
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            value = optimise(costs, sense)
            # No solution cannot happen (the true counts are one): assume the worst.
            bounds.append(target.offset + value if value is not None
                          else seen_low[index] if sense == highspy.ObjSense.kMinimize
                          else seen_high[index])
        # Counts are whole numbers: the interval's whole values (the programs' are real).
        low, high = float(math.ceil(bounds[0] - 1e-6)), float(math.floor(bounds[1] + 1e-6))
        if weak(target, low, high, width, min_cell):
            found.append((target, (low, high)))
    return found


def protected_keys(dims: Dimensions, counts: Counts, min_cell: int, width: int,
                   stories: Counts | None = None, earlier: Sequence[Held] = ()
                   ) -> frozenset[str]:
    """Every key of this release to hide so that no figure of any release is narrowed.

    `stories`: the counts of the published stories counted in the statistics (a reader knows
    their answers); `earlier`: what a reader holds of every earlier release, oldest first.
    """
    known = story_counts(dims, stories or {})
    now = system(dims, counts)
    primary: set[str] = set()
    for group_key, count in now.count.items():
        # A shown group whose statistics-only people are 1 to min_cell - 1: subtracting the
        # published stories from it gives their number, and from its figures their answers.
        if 0 < count - _story(known, group_key) < min_cell:
            primary.add(group_key)
        # A group that gained 1 to min_cell - 1 statistics-only people since the last release.
        if earlier and group_key not in earlier[-1].hidden \
                and group_key in earlier[-1].system.count:
            gained = (count - _story(known, group_key)) - (
                earlier[-1].system.count[group_key] - _story(earlier[-1].stories, group_key))
            if 0 < gained < min_cell:
                primary.add(group_key)
    hidden = set(hidden_keys(dims, counts, min_cell, frozenset(primary)))
    return protect(now, hidden, min_cell, width, known, earlier)


def protect(now: System, hidden: set[str], min_cell: int, width: int,
            stories: Mapping[str, int], earlier: Sequence[Held]) -> frozenset[str]:
    """`hidden` and the shown counts of this release to hide too so that nothing is weak."""
    truth = {group_key: count for group_key, count in now.count.items()}
    links = _links(now)
    last = len(earlier)
    cache: dict[frozenset[Cell], list[tuple[Target, Interval]]] = {}
    # Figures the earlier releases give away by themselves (cut before this audit, or for
    # tests with it off) are out already: nothing in this release can take them back.
    lost = {(target.kind, target.release, target.key)
            for target, _ in (audit(earlier, width, min_cell) if earlier else ())}
    while True:
        held = [*earlier, Held(now, frozenset(hidden), stories)]
        found = [(target, interval) for target, interval in audit(held, width, min_cell, truth,
                                                                   cache)
                 if (target.kind, target.release, target.key) not in lost]
        if not found:
            return frozenset(hidden)
        added: set[str] = set()
        for target, _interval in found:
            pick = _repair(target, now, hidden, links, last)
            if pick is not None:
                added.add(pick)
        if not added:
            raise RuntimeError(f"no count left to hide around {found[0][0].key!r}")
        hidden |= added


def _links(now: System) -> dict[str, set[str]]:
    linked: dict[str, set[str]] = {}
    for parent, children in now.equal:
        for group_key in (parent, *children):
            linked.setdefault(group_key, set()).update((parent, *children))
    for small, big in now.at_most:
        linked.setdefault(small, set()).add(big)
        linked.setdefault(big, set()).add(small)
    return linked


def _repair(target: Target, now: System, hidden: set[str], links: Mapping[str, set[str]],
            last: int) -> str | None:
    """A shown count of this release to hide so that the weak figure widens.

    The figure's own count in this release when shown (a change, or a count of an earlier
    release bounded by this one's); else the smallest shown count linked to it here, looking
    further out through hidden counts when every neighbour is hidden already.
    """
    if now.count.get(target.key, 0) > 0 and target.key not in hidden and (
            target.kind == CHANGE or target.release < last):
        return target.key
    reached, frontier = {target.key}, [target.key]
    while frontier:
        shown = {other for group_key in frontier for other in links.get(group_key, ())
                 if other not in hidden and now.count.get(other, 0) > 0}
        if shown:
            return min(shown, key=lambda other: (now.count[other], other))
        frontier = [other for group_key in frontier for other in links.get(group_key, ())
                    if other not in reached and other in hidden]
        reached.update(frontier)
    # Nothing linked is left shown (a group gone from this release): the smallest shown count
    # of all; hiding more only widens intervals, so the audit still ends.
    rest = [other for other, count in now.count.items() if count > 0 and other not in hidden]
    return min(rest, key=lambda other: (now.count[other], other)) if rest else None
