"""Disclosure control against a reader who holds every release: which groups to hide (pure).

Statistics offices (tau-Argus, sdcTable) model what a reader can infer as a linear system and
ask, for every sensitive cell, how far it can move. Our reader holds every filter of this
release and of every earlier one, and knows:
- every shown count, every partition (a parent is the sum of its children), every inequality a
  part never breaks (a care type's count is at most its place's; a wait series or an outcome in
  a scope is at most the people there), and that a hidden count is at least 1 (zeros are shown;
  not an outcome count hidden by rule 3, which may be 0);
- across releases, that a count never falls: a count in one release is at most the same count
  in the next; a quarter is the sum of its months, so a quarter is at least the sum of its
  months in a release by month (formats 1 and 2) just before it, and its change since is what
  those months showed. Not across a withdrawal that made a count fall (`Audit.fell`): there
  it is false, and a reader who sees counts fall knows it (where people left but others made
  up for it, it still holds, and assuming it only makes him stronger);
- every published story's answers: each count is at least its stories.

What must he not learn? Not how many people a group holds beyond the stories (a shown count
less its stories says that, and place, care type and quarter are what the tables are made of),
but what those people answered. Where a group holds 1 to min_cell - 1 people who chose
statistics only, its figures less the stories' answers would be theirs, and so would its
outcome counts. Hiding the group's count instead (as a first version did) hid, on a site where
nearly everyone publishes, the site's total, and the secondary suppression around it ran for
minutes; and a count hidden says nothing the shown count less the stories did not. So:

1. small counts: a count of 1 to min_cell - 1 is hidden;
2. small differences: a count whose change since the last release that showed it (for a
   quarter: the sum of its months there) is 1 to min_cell - 1 is hidden, since subtracting the
   two would isolate those few people; it is shown again once it has moved by min_cell or more;
3. a few people's answers: a wait group with 1 to min_cell - 1 answers beyond its published
   stories keeps its count but not its figures (estimates, bands, counts by how the wait
   stood), and so many other groups lose theirs that no sum of figures gives a few such
   people's back (`withheld_figures`: small-cell suppression run on the counts less the
   stories); a place or care type with 1 to min_cell - 1 people beyond its stories hides its
   outcome counts, zeros too (a hidden count is otherwise known to be at least 1, and a hidden
   outcome of one such person would say that he had it);
4. the audit: linear programs over this release and all earlier ones together (the earlier
   releases' hidden counts are unknowns too, linked to this release's by "never falls" where
   no count fell) give each hidden count its smallest and largest value, from the tables
   alone. A count hidden by
   rules 1 and 2 (or an earlier release's) must keep at least `width` values unless they span
   the whole label range, 1 to min_cell - 1; a count hidden only to protect it need not, once
   it is known to be no small group (at least `width`, and at least `width` above its value
   when last shown): the sensitive cells' intervals already account for all it gives away.
   Then, with the stories known, an outcome count hidden by rule 3 must not be proven to hold
   all of its group's few (its lowest value its stories plus all of them). Where a count fails,
   a shown count that holds its bounds is hidden and the audit runs again (below); failing that,
   one linked to it: of its own family first (an outcome's only; a wait's bound by the people
   of its place is seldom helped by hiding them, and each headcount hidden links to many more),
   the most detailed and smallest: a facility or a "not stated" group before a region x care
   or region x quarter cell, those before a care type or a quarter, a region only as a last
   resort, and the totals last. After MAX_ROUNDS rounds every linked count of the failing
   families is hidden at once, and if that is not enough the release fails (ProtectionError)
   rather than run on.
5. given back: a hidden count that the shown ones give exactly through the partitions (a
   site's total whose quarters are all shown) is shown, since it tells a reader nothing he
   cannot add up (`shown_when_determined`, once, after the audit); one hidden by rule 1 or 2
   so given fails the release.

Limits: across releases, an outcome count narrows as its group's statistics-only people
publish their stories; that says only what an earlier release showed of at least min_cell of
them. Inside a shown group, every count (how the wait stood, band cells and totals, the
answers without days of each way of stopping, those over and at the standard) is protected
inside the group and across groups (`group_table`, `across`), within one release: this
audit does not yet follow them from one release to the next. The answers without days
together are published with a group's figures (its count less the estimates' n), small or
not (`across` says why). Estimates are checked against the sums of the counts they rest on
(`inner`), not solved as the nonlinear functions they are.

Speed. On a site of a few hundred to a few thousand people most groups sit near min_cell and
nearly every hidden count is linked to every other: one component of some 2,000 unknowns and
3,000 rows, and a first version solved two linear programs for most of them in every round,
for minutes. Three facts make the rounds cheap, without weakening any verdict:

- Hiding one more count only widens every interval. Hiding a shown count c turns a constant
  of some rows into an unknown whose own bounds (1 or its stories, up to the largest count)
  hold c: every point that fitted before still fits with the new unknown at c. So the set of
  values each earlier unknown can take only grows (an earlier release's too: "never falls"
  links a release to the next through the same rows, and floors and the largest count do not
  move), and the outcome counts that may be 0 (`zero_ok`) only grow. An unknown found wide
  enough (at least `width` values, or the whole label range, or its lowest value below the
  most it can be for an outcome of a group's few) stays so: it is settled for good and never
  solved again. The test "known to be no small group" can turn (a lowest value that falls),
  so those counts are not settled.
- A bound is proven by the rows whose duals are not zero at the optimum (the linear program's
  certificate). Rows change only when a shown count in them is hidden; while none of the
  rows of both proofs of an unknown has changed, its interval is the same (the proofs still
  hold, and it can only widen), and it is not solved again.
- Those rows are also the counts to hide: hiding a shown count of a proof's row loosens it.
  One is hidden per proof in a round (a narrowed count whose proof shares a count hidden in
  this round waits for the next): many narrowed counts rest on one row, and hiding one count
  of it often frees them all, where one count hidden for each of them hid a site's total.

Each unknown is first screened with points of the system: the true counts; those where this
release's counts range above the last release's true ones (`inner`); those where each group's
hidden counts move by one amount in every release that hid it (`shifted`: one unknown per
group, however many releases; at a review of three releases this settled 3,300 of the 3,700
unknowns left, and the review's CPU fell from 85 s to 32 s); and all counts as small, then
as large, as they can be; then, in rounds, all of those still unsettled at once, their sum as
small and as large as it can be (each round settles about a third of those left; at a review
of nine releases, 13 rounds left 15 of 2,850, and the review's CPU fell from six minutes to
a minute and a half). Only those the points do not show to be wide enough get programs
of their own, solved by the primal simplex from the last optimal basis (only the objective
changes). Only the tables that share a hidden count constrain each other,
so the programs are solved per linked component (union-find over the rows).

Across releases. A release after which people only joined (nothing fell, no count hidden last
time is shown now) tells a reader nothing new of the earlier ones: any values of the last
release's hidden counts that fitted what was published then, plus each count's true growth,
fit this release too (`Audit.growth` checks each condition on the true counts). So the
earlier releases' hidden counts, judged by the audits that published them, are not judged
again, and a count hidden both times ranges at least over its last range moved by its growth,
and is at least its last lowest value: the last audit's findings (`Bounds`, stored with each
release) settle most of this release's hidden counts without a program. Between reviews
(`REVIEW_EVERY`) the last pattern is kept whole so that this holds; at a review, or after a
withdrawal, every release is judged again.

Releases cut without the audit (before it existed, or with it off) may already give away some
of their own hidden counts; nothing hidden now widens those. The first audited release after
them finds them by auditing the history alone, reports them (`Protection.lost`) and leaves them
unjudged, then judges every other count as above (`upgrade`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from testimonials.stats.cells import ALL, RESPONDENTS, SERIES
from testimonials.stats.determined import determined
from testimonials.stats.implicit import _new_solver
from testimonials.stats.quarters import month_scopes, quarter_scope
from testimonials.stats.report import Group
from testimonials.stats.suppression import suppressed_keys
from testimonials.stats.universe import (
    FAMILIES,
    OUTCOME_FAMILIES,
    Counts,
    Dimensions,
    same_answers,
    universe,
)

Interval = tuple[float, float]
# What an audit found of a hidden count: the lowest and the highest value it took in points of
# the system (values a reader cannot rule out), and its proven lowest value (None: not solved).
Bounds = tuple[float, float, float | None]
Published = Mapping[str, int | None]  # an earlier release: key -> shown count (None: hidden)


@dataclass(frozen=True)
class Earlier:
    """What a reader holds of an earlier release: its places and months, its counts, and the
    counts of the stories published by its cut (key -> count; lower bounds of its counts)."""

    dims: Dimensions
    published: Published
    stories: Mapping[str, int] = field(default_factory=dict)
    # The true counts of the keys it hid: known to no reader (stored with the release, never
    # served), used to carry its pattern over (`carried`) and as a point of the audit's system.
    hidden_counts: Mapping[str, int] = field(default_factory=dict)
    # Whether its own audit judged every hidden count of it and of the releases before it,
    # and what that audit found of the keys it hid (`Bounds`; stored, never served either).
    audited: bool = False
    bounds: Mapping[str, Bounds] = field(default_factory=dict)
    # The earlier releases' hidden counts (audit names: "0#key") that releases cut without
    # the audit had already given away when the first audited release came (`upgrade`).
    lost: frozenset[str] = frozenset()


History = Sequence[Earlier]  # oldest first


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
            for subgroup in breakdown.groups:
                self.add(subgroup)


def system(dims: Dimensions, counts: Counts) -> System:
    """Every count any view publishes and every relation a reader knows between them."""
    found = System()
    for family in FAMILIES:
        for group in (universe(family, dims, counts), *same_answers(family, dims, counts)):
            found.add(group)
    for group_key in list(found.count):
        family, _, scope = group_key.partition("|")
        people = f"respondents|{scope}"
        if family != "respondents" and "|none:" not in group_key and people in found.count:
            found.at_most[(group_key, people)] = None
    return found


def published_system(dims: Dimensions, published: Published) -> System:
    """The relations of an earlier release among the groups it published."""
    layout = system(dims, {})
    found = System({key: count for key, count in published.items()  # type: ignore[misc]
                    if key in layout.count})
    found.equal = {relation: None for relation in layout.equal
                   if all(key in published for key in (relation[0], *relation[1]))}
    found.at_most = {relation: None for relation in layout.at_most
                     if relation[0] in published and relation[1] in published}
    return found


def level(group_key: str) -> int:
    """How early a shown count is hidden to protect another: the most detailed first."""
    scope = group_key.split("|", 1)[1]
    if "|none:" in group_key or scope.startswith("facility="):
        return 0
    if "&" in scope:
        return 1  # region x care, region x month, care x month
    if scope.startswith(("care=", "month=", "quarter=")):  # a quarter: as a month was
        return 2
    if scope.startswith("region="):
        return 3
    return 4 if scope != ALL else 5


@dataclass
class _Row:
    """One relation over unknowns: low <= sum(coefficient * unknown) <= high."""

    coefficients: dict[str, float]
    low: float
    high: float
    shown: tuple[str, ...]  # this release's shown keys in it (candidates to hide)


def quarter_parts(group_key: str) -> tuple[str, ...]:
    """The month keys a quarter key is the sum of ("intake|care=2&quarter=2026-Q2" -> its
    three months; "...|none:quarter" -> "...|none:month": the same people); () otherwise."""
    if group_key.endswith("|none:quarter"):
        return (group_key.removesuffix("quarter") + "month",)
    family, _, scope = group_key.partition("|")
    months = month_scopes(scope)
    return () if months == (scope,) else tuple(f"{family}|{month}" for month in months)


@dataclass
class Audit:
    """The linear system of this release and the earlier ones, for one set of hidden keys."""

    current: System
    earlier: list[System]
    min_cell: int
    width: int
    stories: Mapping[str, int] = field(default_factory=dict)  # unknown -> published stories
    sensitive: frozenset[str] = frozenset()  # this release's counts hidden by rules 1 to 3
    # False: counts judged from the tables alone; True: outcome counts, with the stories known
    with_stories: bool = False
    before: Mapping[str, int] = field(default_factory=dict)  # key -> count last shown
    # The same for each earlier release (as it stood before that release), and the true
    # counts of the keys each hid, when stored.
    befores: Sequence[Mapping[str, int]] = ()
    truths: Sequence[Mapping[str, int]] = ()
    # Whether the last release's audit judged it and every release before it, and what it
    # found of the keys it hid (see `growth`).
    last_audited: bool = False
    last_bounds: Mapping[str, Bounds] = field(default_factory=dict)
    last_layout: System | None = None  # every relation of the last release (`system`)
    # Across rounds (see the docstring): the unknowns protected for good, and the exact
    # intervals still proven, each with the shown counts of the rows that prove it.
    _settled: set[str] = field(default_factory=set)
    _proven: dict[str, tuple[Interval, frozenset[str]]] = field(default_factory=dict)
    _zero: frozenset[str] = frozenset()
    # What this audit found of this release's hidden counts, for the next release's audit.
    found_bounds: dict[str, Bounds] = field(default_factory=dict)
    _grown: dict[str, float] | None = None  # see `growth`
    _secrets: dict[int, set[str]] = field(default_factory=dict)
    _fell: dict[int, bool] = field(default_factory=dict)  # see `fell`

    @property
    def past_unchanged(self) -> bool:
        """Whether the earlier releases were left unjudged (`growth`)."""
        return self._grown is not None

    @property
    def binding(self) -> dict[str, frozenset[str]]:
        """A narrowed unknown -> the shown counts that hold its bounds: hiding one of them
        loosens a row of the proof."""
        return {name: keys for name, (_interval, keys) in self._proven.items()}

    def unknown(self, release: int, key: str) -> str:
        """The unknown's name: this release's keys by themselves, earlier ones numbered."""
        return key if release == len(self.earlier) else f"{release}#{key}"

    def release_of(self, name: str) -> int:
        """The release an unknown's name belongs to (`unknown` made it)."""
        release, _, _key = name.rpartition("#")
        return int(release) if release else len(self.earlier)

    def told(self) -> set[int]:
        """The releases whose published stories this audit knows (by index)."""
        return {self.release_of(name) for name in self.stories}

    def secret(self, index: int, hidden: set[str]) -> set[str]:
        if index == len(self.earlier):
            return hidden
        if index not in self._secrets:  # an earlier release's: fixed
            self._secrets[index] = {key for key, count in self.earlier[index].count.items()
                                    if count is None}
        return self._secrets[index]

    def rows(self, hidden: set[str]) -> list[_Row]:
        rows: list[_Row] = []
        releases = [*self.earlier, self.current]
        for index, found in enumerate(releases):
            secret = self.secret(index, hidden)
            for parent, children in found.equal:
                self._row(rows, index, found, secret,
                          [(parent, 1.0), *((child, -1.0) for child in children)], equal=True)
            for small, big in found.at_most:
                self._row(rows, index, found, secret, [(small, 1.0), (big, -1.0)], equal=False)
            for small, big in _outcome_people(found):
                # The statistics-only people with an outcome are among those of its group: the
                # outcome less its stories is at most the people less theirs.
                gap = (self.stories.get(self.unknown(index, small), 0)
                       - self.stories.get(self.unknown(index, big), 0))
                if gap < 0 and self.with_stories:
                    self._row(rows, index, found, secret, [(small, 1.0), (big, -1.0)],
                              equal=False, offset=gap)
        # Counts never fall: each count at most the same count in the next release, and a
        # quarter at least the sum of its months in a release that published months. Not
        # across a withdrawal that made a count fall (`fell`).
        for index in range(len(self.earlier)):
            if self.fell(index):
                continue
            before, after = releases[index], releases[index + 1]
            for key in after.count:
                if key in before.count:
                    parts: tuple[str, ...] = (key,)
                else:
                    parts = tuple(part for part in quarter_parts(key) if part in before.count)
                if parts:
                    self._link(rows, index, parts, key, hidden)
        return rows

    def true_counts(self, index: int) -> dict[str, int]:
        """The true counts of a release that are known: those it showed, and those it hid
        whose true count is stored (this release's: all of them)."""
        if index == len(self.earlier):
            return dict(self.current.count)
        found = {key: count for key, count in self.earlier[index].count.items()
                 if count is not None}
        if index < len(self.truths):
            found.update(self.truths[index])
        return found

    def fell(self, index: int) -> bool:
        """Whether a count fell from release `index` to the next, as far as the true counts
        stored say: people withdrew in between (a patient's erasure takes his answers out).

        Then "never falls" is false of the true counts themselves, and a reader who knows
        that people may have left (a story gone from the site, or a shown count fallen) does
        not assume it. Kept, it would make the audit's system say what no reader can know,
        and often nothing at all: a count hidden now, bound to be at least what it was shown
        at, while its shown parts add up to less, leaves no point, and every unknown of its
        tables was taken as pinned ("assume the worst"), hiding most of the release. Where
        people left but others made up for it (no count fell), the links hold of the true
        counts, and a reader who assumes them only narrows more than one who does not."""
        if index not in self._fell:
            then, now = self.true_counts(index), self.true_counts(index + 1)
            fallen = any(key in then and count < then[key] for key, count in now.items())
            for key, count in now.items():  # a quarter over its months in a release by month
                parts = [then[part] for part in quarter_parts(key) if part in then]
                if key not in then and parts and count < sum(parts):
                    fallen = True
            self._fell[index] = fallen
        return self._fell[index]

    def _link(self, rows: list[_Row], index: int, parts: tuple[str, ...], key: str,
              hidden: set[str]) -> None:
        """sum(parts in release `index`) <= key in release `index` + 1."""
        releases = [*self.earlier, self.current]
        terms: dict[str, float] = {}
        constant = 0.0
        shown: tuple[str, ...] = ()
        before_secret = self.secret(index, hidden)
        for part in parts:
            if part in before_secret:
                terms[self.unknown(index, part)] = 1.0
            else:
                constant -= releases[index].count.get(part) or 0
        if key in self.secret(index + 1, hidden):
            terms[self.unknown(index + 1, key)] = -1.0
        else:
            if index + 1 == len(self.earlier):
                shown = (key,)
            constant += releases[index + 1].count.get(key) or 0
        if terms:
            rows.append(_Row(terms, -math.inf, constant, shown))

    def _row(self, rows: list[_Row], index: int, found: System, secret: set[str],
             terms: list[tuple[str, float]], *, equal: bool, offset: float = 0.0) -> None:
        coefficients: dict[str, float] = {}
        constant = offset
        shown = []
        for key, sign in terms:
            if key in secret:
                name = self.unknown(index, key)
                coefficients[name] = coefficients.get(name, 0.0) + sign
            else:
                constant -= sign * (found.count.get(key) or 0)
                if index == len(self.earlier):
                    shown.append(key)
        coefficients = {name: value for name, value in coefficients.items() if value}
        if coefficients:
            rows.append(_Row(coefficients, constant if equal else -math.inf, constant,
                             tuple(shown)))

    def caps(self, hidden: set[str]) -> dict[str, float]:
        """For a hidden outcome count: its stories plus every statistics-only person of its
        group, the most it can be (known for this release, and for an earlier one when it
        showed the group's people)."""
        found: dict[str, float] = {}
        for index, system_ in enumerate([*self.earlier, self.current]):
            secret = self.secret(index, hidden)
            current = index == len(self.earlier)  # this release's true counts are known
            for small, big in _outcome_people(system_):
                if small in secret and (current or big not in secret):
                    name = self.unknown(index, small)
                    found[name] = (self.stories.get(name, 0) + (system_.count.get(big) or 0)
                                   - self.stories.get(self.unknown(index, big), 0))
        return found

    def zero_ok(self, hidden: set[str]) -> set[str]:
        """Hidden outcome counts that may be 0: where the stories are known and the group's
        people are hidden or hold 1 to min_cell - 1 beyond their stories (rule 3)."""
        found = set()
        told = self.told()
        for index, system_ in enumerate([*self.earlier, self.current]):
            secret = self.secret(index, hidden)
            if index not in told:
                continue
            for small, big in _outcome_people(system_):
                people = system_.count.get(big) or 0
                beyond = people - self.stories.get(self.unknown(index, big), 0)
                if small in secret and (big in secret or 0 < beyond < self.min_cell):
                    found.add(self.unknown(index, small))
        return found

    def growth(self, hidden: Set[str], zero: Set[str]) -> dict[str, float] | None:
        """Each count's growth since the last release, when this release tells a reader
        nothing about the earlier ones that he did not know; None when that is not shown.

        Let x be any values of the last release's hidden counts that fit everything published
        up to it (its audit judged them all, and those of every release before it), and d
        each count's true growth since. Then x + d fits this release too: it keeps every
        shown count (each was shown last time, so x there is the true count), every sum (the
        true counts keep them, last time's and this time's, so their growth does), every
        "part at most its whole" (when no part grew by more than its whole), "never falls"
        (when nothing fell: no withdrawal) and every bound on an unknown. So whatever a reader
        could believe of the earlier releases, he still can: their hidden counts need not be
        judged again, and a hidden count of this release ranges at least over its range of
        last time moved by d (x + d), and is at least last time's lowest value (it never
        falls). Each condition is checked on the true counts; where one fails (a withdrawal,
        a count shown again, a release before the audit), everything is judged as before."""
        if not self.earlier or not self.last_audited or self.last_layout is None:
            return None
        index = len(self.earlier) - 1
        before, now = self.earlier[-1], self.current
        # Hidden then: the keys it published as hidden, and those it hid without publishing
        # them at all (its audit held them as unknowns too: `system`).
        truths = self.truths[index]
        varying = {key for key, count in before.count.items() if count is None} | set(truths)
        if varying - truths.keys():
            return None  # a true count not stored
        if varying & now.count.keys() - hidden:
            return None  # hidden then, shown now: it bounds the past
        then = {key: float(count) for key, count in before.count.items() if count is not None}
        then.update({key: float(count) for key, count in truths.items()})
        grown: dict[str, float] = {}
        for key, count in now.count.items():
            if key not in then and any(part in then for part in quarter_parts(key)):
                return None  # a quarter over months published before: another link
            grown[key] = float(count) - then.get(key, 0.0)
            if grown[key] < 0:
                return None  # a count fell: the past is read differently
        if then.keys() - grown.keys():
            return None  # a group gone: a withdrawal
        ceiling_then = max(then.values(), default=0.0)
        ceiling_now = float(max(now.count.values(), default=1))
        # Asked once here, not once per count: over the stories of every release, that was
        # most of a weekly release's CPU (issue 19: 61%, 11 of the 16 s of the review bench's
        # 9th release cut without a review).
        told_then = index in self.told()
        for key in hidden:
            if key not in now.count:
                continue
            floor_now = 0.0 if key in zero else 1.0
            if float(now.count[key]) < floor_now:
                return None
            if key in varying:
                floor_then = 0.0 if told_then and self._zero_then(key, varying, then) else 1.0
                if floor_then + grown[key] < floor_now:
                    return None
                if ceiling_then + grown[key] > ceiling_now:
                    return None
        # A relation whose counts were all shown last time (or are new) holds of x + d as it
        # does of the true counts. One over a count hidden then must have been one of the
        # last audit's (it judged that release with all its relations, those over counts it
        # does not publish too: `system`), over the groups that existed then.
        layout = self.last_layout
        assert layout is not None
        sums_then = {(parent, frozenset(children)) for parent, children in layout.equal}
        for parent, children in now.equal:
            if varying.isdisjoint((parent, *children)):
                continue
            kept = frozenset(child for child in children if child in layout.count)
            if (parent, kept) not in sums_then:
                return None
        unpublished = layout.count.keys() - then.keys()  # their growth is not known
        for small, big in now.at_most:
            if small not in varying and big not in varying:
                continue
            if ((small, big) not in layout.at_most or small in unpublished
                    or big in unpublished or grown[small] > grown[big]):
                return None
        return grown

    def _zero_then(self, key: str, varying: Set[str], then: Mapping[str, float]) -> bool:
        """Whether the last release's audit let this hidden count be 0 (`zero_ok`, as it
        stood then: it judged that release with all its counts, published or not), its
        stories being known."""
        family, _, scope = key.partition("|")
        if family not in OUTCOME_FAMILIES:
            return False
        index = len(self.earlier) - 1
        people = f"{RESPONDENTS}|{scope}"
        if people in varying or people not in then:
            return True  # (hidden, or not known: as low as it may be)
        beyond = then[people] - self.stories.get(f"{index}#{people}", 0)
        return 0 < beyond < self.min_cell

    def seeds(self, grown: Mapping[str, float]) -> dict[str, Bounds]:
        """What the last audit found of this release's hidden counts that it hid too, moved by
        their growth (see `growth`)."""
        return {key: (low + grown[key], high + grown[key], floor)
                for key, (low, high, floor) in self.last_bounds.items()
                if key in grown and key in self.current.count}

    def narrowed(self, hidden: set[str], rows: list[_Row]) -> dict[str, Interval]:
        """The unknowns (of any release) a reader can narrow to fewer than `width` values.

        Not narrowed: an interval that spans the whole label range (1 to min_cell - 1), or
        a count hidden only to protect another (not by rules 1 to 3) whose lowest value is
        at least `width` and at least `width` above the count last shown: the reader learns
        that it is no small group and moved by no few people, which is no secret (statistics
        offices ask protection intervals of the sensitive cells only; the intervals of those
        already account for everything the others give away). An
        outcome count of a shown group, hidden because the group holds a few people beyond
        its published stories, is narrowed only when it proves that all of those few had
        that outcome (its lowest value is its stories plus all of them): short of that, no
        one of them is known to have had it (and "none of them" is what a shown zero says)."""
        found: dict[str, Interval] = {}
        # No count exceeds the largest count of any release: this one's, unless people left
        # since an earlier one (then an earlier count can exceed every count of this one).
        ceiling = float(max([count for index in range(len(self.earlier) + 1)
                             for count in self.true_counts(index).values()], default=1))
        caps = self.caps(hidden)
        zero = self.zero_ok(hidden)
        if zero != self._zero:  # lower bounds changed: the proofs may rest on them
            self._zero = frozenset(zero)
            self._proven.clear()
        for name in [name for name, (_, keys) in self._proven.items() if keys & hidden]:
            del self._proven[name]  # a row of its proof has changed: solved again
        # Once a round shows the past unchanged it stays so: hiding more only widens.
        if self._grown is None and not self.with_stories:
            self._grown = self.growth(hidden, zero)
        grown = self._grown
        seeds = self.seeds(grown) if grown is not None else {}
        proven_low: dict[str, float] = {}
        relaxed: dict[int, list[_Row]] = {}

        def lower(wanted: list[str]) -> dict[str, float]:
            """Lowest values on each release's own rows alone: fewer rows, so lower than (or
            as low as) the exact ones, on programs a fraction of the size of all releases'."""
            if not self.earlier:
                return {}
            by_release: dict[int, list[str]] = {}
            for name in wanted:
                by_release.setdefault(self.release_of(name), []).append(
                    name.rpartition("#")[2])
            found: dict[str, float] = {}
            for index, keys in by_release.items():
                if index not in relaxed:  # that release's relations, over its own names
                    alone = Audit([*self.earlier, self.current][index], [], self.min_cell,
                                  self.width)
                    relaxed[index] = [
                        _Row({self.unknown(index, key): value
                              for key, value in row.coefficients.items()},
                             row.low, row.high, row.shown)
                        for row in alone.rows(self.secret(index, hidden))]
                names = [self.unknown(index, key) for key in keys]
                found.update({name: low for name, (low, _high) in _extremes(
                    relaxed[index], ceiling, zero, names, highest=False).items()})
            return found

        linked: list[list[_Row]] = []

        def inner(wanted: list[str]) -> dict[str, Interval]:
            """Ranges on this release's rows with the earlier releases' true counts (points
            of the whole system, when those fit it: `_solve` asks only then): a count is at
            least its true count in the last release."""
            mine = [name for name in wanted if "#" not in name]
            if not self.earlier or not mine:
                return {}
            if not linked:
                then = self.truths[-1] if self.truths else {}
                last = self.earlier[-1].count
                rows = Audit(self.current, [], self.min_cell, self.width).rows(hidden)
                for key in sorted(hidden & self.current.count.keys()):  # the same program each run
                    count = last.get(key, 0) if key in last else None
                    if key in last and count is None:
                        count = then.get(key)
                    if key in last and count is None:
                        return {}  # a true count not known
                    if key not in last and any(part in last for part in quarter_parts(key)):
                        return {}  # a quarter over months: not followed here
                    if count:
                        rows.append(_Row({key: 1.0}, float(count), math.inf, ()))
                linked.append(rows)
            return _extremes(linked[0], ceiling, zero, mine, highest=True)

        moved: list[tuple[list[_Row], dict[str, Interval], dict[str, float]]] = []

        def together(wanted: list[str]) -> dict[str, Interval]:
            """Ranges over the points where each group's hidden counts, in every release that
            hid it, move by one same amount from their true values (`shifted`): points of the
            whole system, on a program with one unknown per group instead of one per group
            and release (a review of three releases: 2,400 unknowns instead of 6,900)."""
            if not moved:
                truth = self._truth_of(rows)
                if truth is None:
                    return {}
                shift_rows, limits = shifted(rows, truth, ceiling, zero)
                moved.append((shift_rows, limits, truth))
            shift_rows, limits, truth = moved[0]
            keys = sorted({name.rpartition("#")[2] for name in wanted})
            ranges = _extremes(shift_rows, ceiling, zero, keys, highest=True, limits=limits)
            in_rows = {key for row in shift_rows for key in row.coefficients}
            found: dict[str, Interval] = {}
            for name in wanted:
                key = name.rpartition("#")[2]
                if name in truth and key in limits and (key in ranges or key not in in_rows):
                    # A shift in no row is bound by its own limits alone. (One in rows that
                    # gave no range, their program having no solution, tells nothing.)
                    low, high = ranges.get(key, limits[key])
                    found[name] = (truth[name] + low, truth[name] + high)
            return found

        def points(wanted: list[str]) -> dict[str, Interval]:
            found = dict(inner(wanted))
            for name, (low, high) in together(wanted).items():
                before = found.get(name, (low, high))
                found[name] = (min(low, before[0]), max(high, before[1]))
            return found

        for names, members in _components(rows):
            judged = {name for name in names
                      if ((_family(name) in OUTCOME_FAMILIES) == self.with_stories
                          or (not self.with_stories and name not in zero))
                      and name not in self._settled
                      and (grown is None or "#" not in name)}
            intervals = {name: self._proven[name][0] for name in judged & self._proven.keys()}
            judged -= intervals.keys()
            if judged:
                floors = {name: float(self.stories.get(name, 0)) for name in names
                          if self.with_stories}
                binding: dict[str, set[str]] = {}
                solved = _solve(sorted(names), members, ceiling,
                                self._truth(names, members, floors, zero),
                                lambda name, low, high: self._wide(name, low, high, caps, zero),
                                floors, zero & names, judged, binding, self._known_large,
                                seeds, proven_low, None if self.with_stories else lower,
                                None if self.with_stories else points)
                intervals.update(solved)
                if not self.with_stories:
                    self.found_bounds.update({
                        name: (low, high, proven_low.get(name))
                        for name, (low, high) in solved.items() if "#" not in name})
                self._proven.update({name: (solved[name], frozenset(keys))
                                     for name, keys in binding.items()})
            for name, (low, high) in intervals.items():
                if self._wide(name, low, high, caps, zero):
                    self._settled.add(name)
                    self._proven.pop(name, None)
                    continue
                if self.with_stories:  # an outcome count: proven for all of a group's few?
                    few = caps.get(name, 0) - self.stories.get(name, 0)
                    if 0 < few < self.width and low >= caps[name] - 1e-6:
                        found[name] = (low, high)
                    continue
                if not self._known_large(name, proven_low.get(name, low)):
                    found[name] = (low, high)
        return found

    def _known_large(self, name: str, low: float) -> bool:
        """Whether a count needs no width: one hidden only to protect another (or, for an
        outcome, for its group's few statistics-only people: above) whose lowest value says
        only that it is no small group and moved by no few people (see `narrowed`). Its
        lowest value alone decides: its largest need not be solved for."""
        if self.with_stories:
            return False
        release, _, key = name.rpartition("#")
        if release:  # an earlier release's count: last shown before that release
            before = (self.befores[int(release)] if int(release) < len(self.befores)
                      else {}).get(key)
        else:
            before = self.before.get(key)
        if _family(name) in OUTCOME_FAMILIES:
            # Not one that moved by a few since last shown (rule 2): pinned, it would give
            # those few people's outcome (and `shown_when_determined` fails the release).
            now = self._true_count(name)
            moved = (before is not None and now is not None
                     and 0 < abs(now - before) < self.min_cell)
            return low >= self.width and (not moved or low - (before or 0) >= self.width)
        return (low >= self.width and name not in self.sensitive
                and (before is None or low - before >= self.width))

    def _truth(self, names: Set[str], rows: Sequence[_Row], floors: Mapping[str, float],
               zero: Set[str]) -> dict[str, float] | None:
        """The true counts of the component's unknowns, when all are known and fit its rows
        (a withdrawal between releases breaks "never falls"): a point of the system for the
        screening to start from."""
        truth = self._true_counts(names)
        if truth is None:
            return None
        for name, point in truth.items():
            floor = floors.get(name, 0.0)
            if point < (floor if name in zero else max(1.0, floor)):
                return None
        for row in rows:
            total = sum(coefficient * truth[name]
                        for name, coefficient in row.coefficients.items())
            if not row.low - 1e-6 <= total <= row.high + 1e-6:
                return None
        return truth

    def _truth_of(self, rows: Sequence[_Row]) -> dict[str, float] | None:
        """The true counts of every unknown of these rows, when all are stored."""
        # In the rows' order (not a set's): the programs built from it must not vary by run.
        return self._true_counts(dict.fromkeys(name for row in rows for name in row.coefficients))

    def _true_counts(self, names: Iterable[str]) -> dict[str, float] | None:
        """The true count of each unknown, or None when one is not stored."""
        truth: dict[str, float] = {}
        for name in names:
            value = self._true_count(name)
            if value is None:
                return None
            truth[name] = float(value)
        return truth

    def _true_count(self, name: str) -> int | None:
        """An unknown's true count: this release's, or the stored one of the earlier release
        its name gives ("<release>#<key>"); None when not stored."""
        release, _, key = name.rpartition("#")
        if not release:
            return self.current.count.get(key)
        return (self.truths[int(release)].get(key) if int(release) < len(self.truths)
                else None)

    def _wide(self, name: str, low: float, high: float, caps: Mapping[str, float],
              zero: Set[str]) -> bool:
        """Whether an unknown is protected for good: whatever more is hidden, its interval
        only widens (its lowest value only falls), so it stays protected."""
        if self.with_stories:
            few = caps.get(name, 0) - self.stories.get(name, 0)
            return not 0 < few < self.width or low < caps[name] - 1e-6
        return (high - low + 1 >= self.width or (low <= 1 and high >= self.min_cell - 1)
                or (_family(name) in OUTCOME_FAMILIES and name in zero))


def _outcome_people(found: System) -> list[tuple[str, str]]:
    """(outcome count, the people of its group) for every outcome count of a release."""
    pairs = []
    for group_key in found.count:
        family, _, scope = group_key.partition("|")
        people = f"{RESPONDENTS}|{scope}"
        if family in OUTCOME_FAMILIES and people in found.count:
            pairs.append((group_key, people))
    return pairs


def _components(rows: Iterable[_Row]) -> list[tuple[set[str], list[_Row]]]:
    """The rows grouped by the unknowns they link (union-find)."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    kept = list(rows)
    for row in kept:
        first, *rest = row.coefficients
        for name in rest:
            a, b = root(first), root(name)
            if a != b:
                parent[b] = a
    groups: dict[str, tuple[set[str], list[_Row]]] = {}
    for row in kept:
        names, members = groups.setdefault(root(next(iter(row.coefficients))), (set(), []))
        names.update(row.coefficients)
        members.append(row)
    return list(groups.values())


def shifted(rows: Sequence[_Row], truth: Mapping[str, float], ceiling: float,
            zero: Set[str]) -> tuple[list[_Row], dict[str, Interval]]:
    """The system restricted to points where a group's hidden count moves by one amount in
    every release that hid it: each unknown is its true count plus its group's shift. The
    rows become rows over the shifts (the same row of two releases often becomes one), and
    each shift is bounded so that every release's count stays within its own bounds. Any
    point of these rows is a point of the whole system (the true counts, with the shifts
    added, keep every row), so the ranges found here are ones a reader cannot rule out."""
    found: dict[tuple[tuple[tuple[str, float], ...], float, float], _Row] = {}
    for row in rows:
        terms: dict[str, float] = {}
        constant = 0.0
        for name, value in row.coefficients.items():
            key = name.rpartition("#")[2]
            terms[key] = terms.get(key, 0.0) + value
            constant += value * truth[name]
        terms = {key: value for key, value in terms.items() if value}
        if not terms:
            continue  # the same amount in and out: kept by every shift
        low, high = row.low - constant, row.high - constant
        signature = (tuple(sorted(terms.items())), low, high)
        found.setdefault(signature, _Row(terms, low, high, ()))
    limits: dict[str, Interval] = {}
    for name, value in truth.items():
        key = name.rpartition("#")[2]
        floor = 0.0 if name in zero else 1.0
        low, high = limits.get(key, (-math.inf, math.inf))
        limits[key] = (max(low, floor - value), min(high, ceiling - value))
    return list(found.values()), limits


def _program(highspy: Any, names: Sequence[str], rows: Sequence[_Row], ceiling: float,
             floors: Mapping[str, float], zero: Set[str],
             limits: Mapping[str, Interval] | None = None) -> Any:
    """A HiGHS solver holding the linear system of these unknowns (no objective yet)."""
    column = {name: index for index, name in enumerate(names)}
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(names), len(rows)
    lp.col_cost_ = [0.0] * len(names)
    # A hidden count is at least 1 (zeros are shown), but an outcome count that rule 3 may
    # have hidden whatever it is: at least its stories.
    lp.col_lower_ = [floors.get(name, 0.0) if name in zero
                     else max(1.0, floors.get(name, 0.0)) for name in names]
    # No count exceeds the largest count of the release (everyone): every program is bounded.
    lp.col_upper_ = [ceiling] * len(names)
    if limits is not None:  # the unknowns are not counts (`shifted`): their own bounds
        lp.col_lower_ = [limits[name][0] for name in names]
        lp.col_upper_ = [limits[name][1] for name in names]
    starts, indices, values, lower, upper = [0], [], [], [], []
    for row in rows:
        for name, value in row.coefficients.items():
            indices.append(column[name])
            values.append(value)
        starts.append(len(indices))
        lower.append(-inf if row.low == -math.inf else row.low)
        upper.append(row.high)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, values
    solver: Any = _new_solver(highspy)
    # Primal simplex: each program below changes only the objective, so the last optimal
    # basis is still feasible and the primal method goes on from it (twice as fast as dual).
    solver.setOptionValue("simplex_strategy", 4)
    solver.passModel(lp)
    return solver


def _extremes(rows: Sequence[_Row], ceiling: float, zero: Set[str], wanted: Sequence[str],
              *, highest: bool, limits: Mapping[str, Interval] | None = None,
              ) -> dict[str, Interval]:
    """Each wanted unknown's lowest value in these rows, and its highest (`highest`; else
    inf); none where it is in no row."""
    import highspy

    found: dict[str, Interval] = {}
    for names, members in _components(rows):
        asked = [name for name in wanted if name in names]
        if not asked:
            continue
        ordered = sorted(names)
        solver = _program(highspy, ordered, members, ceiling, {}, zero & names, limits)
        index = {name: at for at, name in enumerate(ordered)}
        senses = [highspy.ObjSense.kMinimize] + ([highspy.ObjSense.kMaximize] if highest else [])
        for name in asked:
            solver.changeColCost(index[name], 1.0)
            ends = []
            for sense in senses:
                solver.changeObjectiveSense(sense)
                solver.run()
                if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    break
                ends.append(solver.getInfo().objective_function_value)
            solver.changeColCost(index[name], 0.0)
            if len(ends) == len(senses):
                found[name] = (ends[0], ends[1] if highest else math.inf)
    return found


# The audit's screening rounds (`_solve`): while more than GROUP_SCREEN_LEAST unknowns are left,
# and each round settles more than 1 - GROUP_SCREEN_KEEPS of them. Measured on the review of
# nine releases of a 2,200-person demo (26,000 unknowns, 59,000 rows; 2,850 left after the
# first screening): 13 rounds of 3 to 4.5 s left 15 unknowns, where a program for each of the
# 2,850 cost about 0.15 s a run.
GROUP_SCREEN_LEAST = 30
GROUP_SCREEN_KEEPS = 0.8


def _whole_low(value: float) -> float:
    """The least whole count at or above a program's real lower bound, which carries the
    solver's rounding (6.000000000000002 or 5.999999999999998 for 6): counts are whole."""
    return float(math.ceil(value - 1e-6))


def _whole_high(value: float) -> float:
    """The greatest whole count at or below a real upper bound (`_whole_low`). An infinite
    one stays so: the ranges come from stored releases too (`Audit.seeds`)."""
    return float(math.floor(value + 1e-6)) if math.isfinite(value) else value


def _solve(names: list[str], rows: list[_Row], ceiling: float,
           truth: Mapping[str, float] | None, enough: Callable[[str, float, float], bool],
           floors: Mapping[str, float], zero: Set[str] = frozenset(),
           judged: Set[str] | None = None,
           binding: dict[str, set[str]] | None = None,
           large: Callable[[str, float], bool] | None = None,
           seeds: Mapping[str, Bounds] | None = None,
           proven_low: dict[str, float] | None = None,
           lower: Callable[[list[str]], Mapping[str, float]] | None = None,
           inner: Callable[[list[str]], Mapping[str, Interval]] | None = None,
           ) -> dict[str, Interval]:
    """Each unknown's interval (only those `judged`, when given): exact, unless a few points
    of the system already give it an interval that is `enough` (then that one: the exact one
    holds it). `binding` gets, for each unknown given exact bounds, the shown counts of the
    rows that hold those bounds (their duals are not zero): hiding one of them loosens one.
    An unknown that `large` accepts on its exact lowest value gets that value and the largest
    value seen in any solution, not refined. `seeds`: values some unknowns are known to
    reach in points of the system, and a proven lowest value (`Audit.growth`); `proven_low`
    gets each unknown's proven lowest value, where one is known. `lower` gives lowest values
    of some unknowns on a smaller system that holds this one (a bound below the exact one),
    asked before this system's programs: an unknown that `large` accepts on it needs none.
    `inner` gives the range of some unknowns on a system of points of this one (when the true
    counts are one), asked next: an unknown it shows wide enough needs no program either."""
    seeds = seeds or {}
    known_low = {name: bounds[2] for name, bounds in seeds.items() if bounds[2] is not None}
    wanted = [index for index, name in enumerate(names) if judged is None or name in judged]
    found: dict[str, Interval] = {}
    # The true counts and the seeds first: a component whose unknowns they all settle needs
    # no program at all (a later release whose counts were judged last time, `growth`).
    points = [[truth[name] for name in names]] if truth is not None else []
    lows = [min((point[index] for point in points), default=math.inf)
            for index in range(len(names))]
    highs = [max((point[index] for point in points), default=-math.inf)
             for index in range(len(names))]
    for index, name in enumerate(names):
        if name in seeds:
            lows[index] = min(lows[index], seeds[name][0])
            highs[index] = max(highs[index], seeds[name][1])

    def settled(index: int) -> bool:
        if lows[index] == math.inf:  # no point yet
            return False
        name = names[index]
        # The whole values of the points' range, as of the programs' below: a point's value
        # carries the solver's rounding, and the range is stored with the release.
        low, high = _whole_low(lows[index]), _whole_high(highs[index])
        if enough(name, low, high):
            found[name] = (low, high)  # wide enough: not refined
            return True
        floor = known_low.get(name)
        if floor is not None and large is not None and large(name, float(math.ceil(floor))):
            # Accepted on a proven lowest value alone; the interval given is one it spans.
            found[name] = (low, high)
            if proven_low is not None:
                proven_low[name] = float(math.ceil(floor))
            return True
        return False

    wanted = [index for index in wanted if not settled(index)]
    if wanted and lower is not None and large is not None:
        # Only where the lowest value seen so far would be accepted: a lowest value proven on
        # fewer rows is no higher than any point's.
        asked = [names[index] for index in wanted if lows[index] != math.inf
                 and large(names[index], _whole_low(lows[index]))]
        for name, low in lower(asked).items():
            known_low[name] = max(known_low.get(name, -math.inf), low)
        wanted = [index for index in wanted if not settled(index)]
    if wanted and inner is not None and truth is not None:
        ranges = inner([names[index] for index in wanted])
        for index in wanted:
            if names[index] in ranges:
                low, high = ranges[names[index]]
                lows[index], highs[index] = min(lows[index], low), max(highs[index], high)
        wanted = [index for index in wanted if not settled(index)]
    if not wanted:
        return found
    import highspy  # here, not at the top: a worker that only serves releases never loads it

    solver = _program(highspy, names, rows, ceiling, floors, zero)

    def seen(solution: Sequence[float]) -> None:
        for index, value in enumerate(solution):
            if value < lows[index]:
                lows[index] = value
            if value > highs[index]:
                highs[index] = value

    # Screening: every unknown spans at least what the true counts and two extreme points of
    # the system (all as small, then all as large as they can be) give it; only the others
    # get linear programs of their own.
    everything = list(range(len(names)))
    # Then, where many unknowns are asked for and no points of the system were given
    # (`inner`: the true counts do not fit, after a withdrawal), a few more: random
    # directions, each pushing half of the unknowns up and the other half down (a
    # partition's parts cannot all grow at once). With those points, they cost more than the
    # programs they save (a review of three releases: 51 s of CPU with them, 32 s without).
    chance = random.Random(len(names))
    directions = [[1.0] * len(names)]
    if len(wanted) > 50 and (inner is None or truth is None):
        directions += [[chance.choice((1.0, -1.0)) for _ in names] for _ in range(4)]

    def pushed(columns: list[int], costs: list[float]) -> bool:
        """The sum of costs x columns as small, then as large, as it can be: two points
        seen (False when the system has none)."""
        found_one = False
        solver.changeColsCost(len(columns), columns, costs)
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            # From scratch, not from the last basis: without one HiGHS first presolves the
            # program, and these are solved 1.6 to 2.8 times faster so (four programs of a
            # review of nine releases, 59,000 rows: 7.8 s from the last basis, 4.6 s without).
            solver.clearSolver()
            solver.run()
            if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                seen(solver.getSolution().col_value)
                found_one = True
        solver.changeColsCost(len(columns), columns, [0.0] * len(columns))
        return found_one

    # These programs start far from any basis (a cold start, or all the costs changed): the
    # dual simplex solves them several times faster than the primal one (a review of nine
    # releases, 26,000 unknowns under 59,000 rows: two minutes of CPU to five seconds for
    # the first two). The primal method comes back for the programs of one unknown below.
    solver.setOptionValue("simplex_strategy", 1)
    found_points = [pushed(everything, direction) for direction in directions]
    if not points and not any(found_points):
        # No solution (a withdrawal broke "never falls"): assume the worst.
        return {names[index]: (1.0, 1.0) for index in wanted}
    # Then, while many are left, all of those left at once: their sum as small, then as
    # large, as it can be. Each round gives two more points, in which most of them reach
    # or near their own ends, and settles about a third of those left; a round costs what a
    # few dozen programs of one unknown do, and settles hundreds. It stops when a round
    # settles little. (No verdict changes: every point is one of the system.)
    left = [index for index in wanted if not settled(index)]
    while len(left) > GROUP_SCREEN_LEAST:
        pushed(left, [1.0] * len(left))
        before, left = len(left), [index for index in left if not settled(index)]
        if len(left) > GROUP_SCREEN_KEEPS * before:
            break
    # One objective at a time from the last optimal basis: the primal simplex goes on from
    # it (twice as fast as the dual here).
    solver.setOptionValue("simplex_strategy", 4)
    # Every solution below is a point of the system too: the smallest and largest value
    # each unknown has taken in any of them so far. An unknown they already show to be wide
    # enough needs no program of its own.
    with_shown = [at for at, row in enumerate(rows) if row.shown]
    for index in wanted:
        if settled(index):
            continue
        name = names[index]
        solver.changeColCost(index, 1.0)
        bounds: list[float] = []
        tight: set[str] = set()
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            if (bounds and large is not None
                    and large(name, _whole_low(bounds[0]))):
                bounds.append(highs[index])  # accepted on its lowest value alone
                break
            solver.changeObjectiveSense(sense)
            solver.run()
            if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                bounds.append(solver.getInfo().objective_function_value)
                seen(solver.getSolution().col_value)
                if binding is not None:
                    duals = solver.getSolution().row_dual
                    tight.update(key for at in with_shown if abs(duals[at]) > 1e-9
                                 for key in rows[at].shown)
            else:  # cannot happen once a point exists: assume the worst
                bounds.append(1.0)
        if binding is not None:
            binding[name] = tight
        solver.changeColCost(index, 0.0)
        found[name] = (_whole_low(bounds[0]), _whole_high(bounds[1]))
        if proven_low is not None:
            proven_low[name] = found[name][0]
    return found


def last_shown(history: History) -> dict[str, int]:
    """Each key's count in the latest earlier release that showed it; a quarter's from a
    release that published months is the sum of its months, when all of them were shown."""
    return shown_before_each(history)[-1]


def shown_before_each(history: History) -> list[dict[str, int]]:
    """`last_shown` of each start of the history (before release 1, 2, ..., and after the
    last), in one pass."""
    found: dict[str, int] = {}
    each = [dict(found)]
    for earlier in history:
        months: dict[str, list[int | None]] = {}
        for key, count in earlier.published.items():
            if count is not None:
                found[key] = count
            quarter = quarter_key(key)
            if quarter is not None:
                months.setdefault(quarter, []).append(count)
        for quarter, counts in months.items():
            if all(count is not None for count in counts):
                found[quarter] = sum(count or 0 for count in counts)
        each.append(dict(found))
    return each


def quarter_key(month_key: str) -> str | None:
    """The quarter key a month key adds to (a month absent from a release counts 0)."""
    if month_key.endswith("|none:month"):
        return month_key.removesuffix("month") + "quarter"
    family, _, scope = month_key.partition("|")
    quarter = quarter_scope(scope)
    return None if quarter is None else f"{family}|{quarter}"


def primary(counts: Mapping[str, int], min_cell: int, before: Mapping[str, int],
            stories: Mapping[str, int]) -> set[str]:
    """Rules 1 to 3: small counts, counts that moved by a few since last shown, and the
    outcome counts of a place or care type with a few people beyond its published stories."""
    hidden = {key for key, count in counts.items() if 0 < count < min_cell}
    few = {key.partition("|")[2] for key, count in counts.items()
           if stories and key.startswith(f"{RESPONDENTS}|")
           and 0 < count - stories.get(key, 0) < min_cell}
    for key, count in counts.items():
        if key in before and 0 < abs(count - before[key]) < min_cell:
            hidden.add(key)
        family, _, scope = key.partition("|")
        if family in OUTCOME_FAMILIES and scope in few:
            hidden.add(key)  # a zero too: a hidden count is otherwise known to be 1 or more
    return hidden


def carried(history: History, counts: Mapping[str, int], min_cell: int,
            shown: Mapping[str, int] | None = None) -> set[str]:
    """The counts the last release hid that stay hidden: those that moved by fewer than
    min_cell since they were last shown (or, never shown, since the first release of the
    run of releases that hid them; all of them where those releases stored no counts),
    and are not 0 now.

    A count hidden to protect another stays hidden until it has moved by min_cell or more,
    as rule 2 keeps a shown count hidden: shown now at about its old value, it would give a
    reader what the last release hid it to protect. So the pattern is stable from one release
    to the next, as statistics offices prefer (a count that comes and goes invites
    differencing), and the audit starts where the last one ended instead of finding every
    partner again, round by round, over all the releases (what made later releases slow).
    The movement is counted from where the hiding began, not from the last release: a count
    that moves by a few every week comes back once the few add up to min_cell."""
    if not history:
        return set()
    if shown is None:
        shown = last_shown(history)
    found = set()
    for key, count in history[-1].published.items():
        now = counts.get(key)
        if count is not None or not now:
            continue
        then = shown.get(key)
        if then is None:  # never shown: its count when the run of releases hiding it began
            for earlier in reversed(history):
                if earlier.published.get(key, 0) is not None:
                    break
                then = earlier.hidden_counts.get(key)
        if then is None or abs(now - then) < min_cell:
            found.add(key)
    return found


def hidden_counts(dims: Dimensions, counts: Counts, hidden: Set[str]) -> dict[str, int]:
    """The true counts of the hidden keys, stored with a release for the next audits."""
    return {key: count for key, count in system(dims, counts).count.items()
            if key in hidden}


def story_counts(dims: Dimensions, stories: Counts) -> dict[str, int]:
    """The published stories' counts by group key, "not stated" groups included (non-zero)."""
    return {key: count for key, count in system(dims, stories).count.items() if count > 0}


def withheld_figures(dims: Dimensions, counts: Counts, stories: Counts | None,
                     min_cell: int) -> frozenset[str]:
    """The wait groups whose figures (estimates, bands, the counts by state) are withheld
    while their count is shown: those with 1 to min_cell - 1 answers beyond the published
    stories, and enough others that no sum gives them back (rule 3)."""
    if not stories:
        return frozenset()
    beyond = {cell: count - stories.get(cell, 0) for cell, count in counts.items()}
    if any(count < 0 for count in beyond.values()):
        beyond = {cell: max(count, 0) for cell, count in beyond.items()}
    found: set[str] = set()
    for family in SERIES:
        report = [universe(family, dims, beyond), *same_answers(family, dims, beyond)]
        found |= suppressed_keys(report, min_cell)
    return frozenset(found)


# Every REVIEW_EVERY releases (the 1st, 5th, 9th...), the pattern of hidden counts is reviewed:
# counts that moved enough are shown again, and every earlier release is judged again. In the
# releases between, the last pattern is kept whole when that lets the audit leave the earlier
# releases unjudged (`protect`). Statistics offices likewise keep a table's suppression
# pattern for a season and review it at intervals. A review costs what every release cost
# before (it grows with the releases); STATS_PATTERN_REVIEW_EVERY sets it (0: never, and
# counts come back only where the audit judges every release anyway: after a withdrawal).
REVIEW_EVERY = 4

MAX_ROUNDS = 200  # a release whose audit has not settled by then is hidden more coarsely


class ProtectionError(RuntimeError):
    """The audit found no set of counts to hide that protects every hidden count."""


@dataclass(frozen=True)
class Protection:
    """The keys a release hides, and what its audit found of them (for the next audit)."""

    hidden: frozenset[str]
    bounds: Mapping[str, Bounds]
    past_unchanged: bool = False  # whether the earlier releases needed no judging again
    lost: frozenset[str] = frozenset()  # earlier hidden counts given away already (`upgrade`)


def protected_keys(dims: Dimensions, counts: Counts, min_cell: int, width: int,
                   history: History = (), stories: Counts | None = None) -> frozenset[str]:
    """Every key to hide in this release (see `protect`)."""
    return protect(dims, counts, min_cell, width, history, stories).hidden


def protect(dims: Dimensions, counts: Counts, min_cell: int, width: int,
            history: History = (), stories: Counts | None = None,
            review_every: int = REVIEW_EVERY) -> Protection:
    """Every key to hide in this release, given the earlier releases (oldest first) and the
    counts of the published stories that the statistics count (`stories`); the pattern is
    reviewed every `review_every` releases (0: never, `REVIEW_EVERY`)."""
    current = system(dims, counts)
    earlier = [published_system(old.dims, old.published) for old in history]
    known = story_counts(dims, stories) if stories else {}
    befores = shown_before_each(history)
    hidden = primary(current.count, min_cell, befores[-1], known)
    sensitive = frozenset(hidden)
    floors = dict(known)
    for index, old in enumerate(history):
        floors.update({f"{index}#{key}": count for key, count in old.stories.items()})
    main = Audit(current, earlier, min_cell, max(width, 1), floors,
                 sensitive=sensitive, before=befores[-1], befores=befores[:-1],
                 truths=[old.hidden_counts for old in history],
                 last_audited=bool(history) and history[-1].audited,
                 last_bounds=history[-1].bounds if history else {},
                 last_layout=system(history[-1].dims, {}) if history else None)
    # An upgrade from releases cut without the audit: the hidden counts of theirs that they
    # already give away are lost whatever this release hides; reported, never judged here
    # (left as unknowns of the rows, like counts settled for good).
    from testimonials.stats.upgrade import lost_already  # (it builds on this module)

    lost = lost_already(history, min_cell, max(width, 1))
    main._settled |= lost
    # The pattern: a count hidden last time stays hidden until it has moved by min_cell
    # (`carried`), and, between reviews, whatever it did when that keeps the earlier releases
    # as a reader knew them (`Audit.growth`): a count shown again would bound them, and every
    # earlier release would be judged again, at a cost that grows with each release.
    kept = ({key for key, count in history[-1].published.items() if count is None}
            | set(history[-1].hidden_counts)) if history else set()
    whole = hidden | (kept & current.count.keys())  # (a hidden 0 too, when it may be 0)
    if ((not review_every or len(history) % review_every)
            and main.growth(whole, main.zero_ok(whole)) is not None):
        hidden = whole
    else:
        hidden |= carried(history, current.count, min_cell, befores[-1])
    audits = [main]
    if known:  # outcome counts with the stories known, in this release (see `narrowed`)
        audits.append(Audit(current, [], min_cell, max(width, 1), known, with_stories=True))

    def result(hidden: set[str]) -> Protection:
        # Less what the shown counts give exactly (`shown_when_determined`).
        kept = shown_when_determined(current, hidden, sensitive, min_cell, befores[-1], known)
        return Protection(kept, {key: main.found_bounds[key] for key in kept
                                 if key in main.found_bounds}, main.past_unchanged, lost)

    def weak_and_rows() -> list[tuple[dict[str, Interval], list[_Row]]]:
        found = []
        for one in audits:
            rows = one.rows(hidden)
            found.append((one.narrowed(hidden, rows), rows))
        return found

    for _round in range(MAX_ROUNDS):
        found = weak_and_rows()
        if not any(weak for weak, _rows in found):
            return result(hidden)
        added = set().union(*(_partners(weak, rows, hidden, current, audit.binding,
                                        strict=audit.with_stories)
                              for audit, (weak, rows) in zip(audits, found, strict=True)
                              if weak))
        if not added:  # nothing linked left to hide: every relation of it is hidden (the
            # audit's bound on a count, the largest count of the release, is tighter than
            # what a reader knows when the total is hidden)
            return result(hidden)
        hidden |= added
    # Coarser, once: every shown count of the narrowed ones' families linked to them (an
    # outcome's: every outcome count of its kind linked to it).
    for weak, rows in weak_and_rows():
        families = {_family(name) for name in weak}
        for names, members in _components(rows):
            if names & weak.keys():
                hidden |= {key for row in members for key in row.shown
                           if _family(key) in families and current.count.get(key)}
    weak = {name: interval for found, _rows in weak_and_rows()
            for name, interval in found.items()}
    if weak:
        raise ProtectionError(f"{len(weak)} hidden counts stay narrowed after {MAX_ROUNDS} "
                              f"rounds, e.g. {sorted(weak)[:3]}")
    return result(hidden)


def _family(name: str) -> str:
    return name.rpartition("#")[2].partition("|")[0]


def _partners(weak: Mapping[str, Interval], rows: list[_Row], hidden: set[str],
              current: System, binding: Mapping[str, Set[str]] | None = None, *,
              strict: bool = False) -> set[str]:
    """For each narrowed unknown, one shown count of this release to hide next to it: of its
    own family when one is linked (a wait's or an outcome's count bounded by the people of
    its place is seldom protected by hiding them, and each headcount hidden links to many
    more); `strict` (an outcome hidden for a few people's answers): never another family's."""
    def rank(key: str) -> tuple[bool, int, int, str]:
        # A count equal to its parent (its siblings are all zero: a region with one facility)
        # protects nothing unless the parent is hidden too: last among its level's.
        return (key in twins, level(key), current.count[key], key)

    twins = {key for parent, children in current.equal for key in children
             if current.count.get(key) == current.count.get(parent)}

    def candidates(members: Iterable[_Row], family: str) -> list[str]:
        found = [key for row in members for key in row.shown
                 if key not in hidden and current.count.get(key)]
        own = [key for key in found if _family(key) == family]
        return own if own or strict else found

    touching: dict[str, list[_Row]] = {}
    for row in rows:
        for name in row.coefficients:
            touching.setdefault(name, []).append(row)
    components = _components(rows)
    added: set[str] = set()
    for name in sorted(weak):
        # First the shown counts of the rows that prove its bounds: hiding one of them
        # loosens the proof. One is enough for this round: several narrowed counts often
        # rest on one row, and hiding one count of it may free them all.
        proof = (binding or {}).get(name, frozenset())
        if proof & added:
            continue
        tight = [key for key in proof if key not in hidden and current.count.get(key)
                 and (not strict or _family(key) == _family(name))]
        if tight:
            own = [key for key in tight if _family(key) == _family(name)]
            added.add(min(own or tight, key=rank))
            continue
        near = candidates(touching.get(name, ()), _family(name))
        near = [key for key in near if level(key) < 3] or near
        if not near or min(level(key) for key in near) >= 3:
            # Wider: any shown count of the linked tables, so that a region or the total is
            # hidden only when no more detailed count is left.
            members = next(rows_ for names, rows_ in components if name in names)
            wider = candidates(members, _family(name))
            if wider and (not near or min(map(level, wider)) < min(map(level, near))):
                near = wider
        if near:
            # One of its own each: narrowed counts that share their best partner would
            # otherwise add one count a round between them, each round a full solve.
            added.add(min([key for key in near if key not in added] or near, key=rank))
    return added


def shown_when_determined(current: System, hidden: Set[str], sensitive: Set[str],
                          min_cell: int, before: Mapping[str, int],
                          stories: Mapping[str, int]) -> frozenset[str]:
    """The keys to hide, less the hidden counts that the shown ones give exactly through this
    release's partitions (`determined`): shown, they tell a reader nothing new, and the page
    no longer says a number is withheld to protect people that anyone can add up.

    Run once, after the audit: it solves nothing, and showing a count a reader already knows
    keeps every interval the audit proved. A count hidden by rules 1 to 3 stays hidden,
    given or not. One hidden by rule 1 or 2 (a few people, or a move by a few) that the
    shown counts give is one the audit let a reader pin: the release fails rather than go
    out. Not an outcome count where stories are known: the audit lets a reader pin those,
    short of proving that all of a group's few had it (`Audit.narrowed`)."""
    found = set(determined(current.equal, hidden))
    pinned = sorted(key for key in primary(current.count, min_cell, before, {}) & found
                    if not (stories and _family(key) in OUTCOME_FAMILIES))
    if pinned:
        raise ProtectionError(f"{len(pinned)} counts hidden to protect a few people are "
                              f"given exactly by the shown ones, e.g. {pinned[:3]}")
    return frozenset(set(hidden) - (found - sensitive))
