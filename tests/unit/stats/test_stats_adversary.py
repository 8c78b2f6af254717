"""The audit's findings, reproduced with what a reader can download (tests/adversary.py).

Finding 1: pinning and narrowing hidden counts from one release through the inequalities a
reader knows (a part never exceeds its whole) as well as the sums. Then the same over a
sequence of releases, by month and then by quarter, with the published stories known.
"""

from __future__ import annotations

import random
from dataclasses import replace

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

from testimonials.stats import protection, releases
from tests import adversary
from tests.unit.stats.test_stats_release_document import (
    CUT,
    STANDARDS,
    audited_base_of,
    base_of,
    counts_of_people,
    dims_of,
)

SPOTS = [(1, 10), (1, 11), (2, 20), (1, None), (None, None)]


def people(seed: int, count: int) -> list:  # type: ignore[type-arg]
    rng = random.Random(seed)
    return [(rng.choice(SPOTS), rng.choice([1, 2, 4, 8, 3, 17]),
             rng.choice(["2026-04", "2026-05", None]), rng.choice([0, 1, 16, 17]),
             [("intake", rng.choice(["ended", "waiting"]), rng.randint(0, 200))])
            for _ in range(count)]


def release_of(crowd: list) -> releases.Release:  # type: ignore[type-arg]
    base, histograms = base_of(crowd)
    stored, _ = releases.encode(releases.build(base, histograms, STANDARDS))
    return releases.decode(1, CUT, stored)


def test_no_hidden_count_of_one_release_is_narrowed_through_inequalities() -> None:
    # Seed 0, 59 people, minimum cell 5: with equalities alone 21 hidden counts were narrowed,
    # e.g. "urgent_intake|facility=10" to 1..3 (urgent intakes never exceed the people there,
    # nor their region's, whose count the other cells give).
    release = release_of(people(0, 59))
    assert adversary.narrowed([release], 5) == {}


def cut(crowd: list, earlier: list[releases.Release], number: int,  # type: ignore[type-arg]
        stories: list | None = None,  # type: ignore[type-arg]
        earlier_stories: list[dict[str, int]] | None = None, *,
        quarterly: bool = False, records: list[protection.Earlier] | None = None,
        audits: list[protection.Protection] | None = None) -> releases.Release:
    """A release as the service cuts one: audited together with every earlier release (and
    the stories published by its cut) and the stories published now; `quarterly`: by
    quarter (format 3), else by month (as formats 1 and 2 were). `records`: what the service
    stores of each earlier release for the next audit (true hidden counts, the audit's
    bounds), appended to for this one; without it, the earlier releases' published figures
    only (releases cut before those were stored)."""
    if records is not None:
        history = list(records)
    else:
        history = [protection.Earlier(old.dims,
                                      {k: count for k, (count, _f) in old.stored.items()},
                                      (earlier_stories or [{}] * len(earlier))[index])
                   for index, old in enumerate(earlier)]
    base, histograms, audit = audited_base_of(crowd, history, stories, quarterly=quarterly)
    stored, _ = releases.encode(releases.build(base, histograms, STANDARDS))
    release = releases.decode(number, CUT, stored)
    if audits is not None:
        audits.append(audit)
    if records is not None:
        records.append(protection.Earlier(
            release.dims, {k: count for k, (count, _f) in release.stored.items()},
            protection.story_counts(release.dims, counts_of_people(stories or [],
                                                                   quarterly=quarterly)),
            protection.hidden_counts(base.dims, base.counts, base.hidden),
            audited=True, bounds=audit.bounds))
    return release


# Derandomised, and few examples: each one solves hundreds of linear and integer programs.
@settings(max_examples=2, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.lists(st.integers(0, 14), min_size=1, max_size=3),
       st.floats(0, 1), st.integers(0, 3))
@example(9116, [1, 2, 10], 0.993, 3)  # nearly every story published (the total was hidden)
@example(3110, [4, 9], 0.973, 1)  # a release by month, then by quarter
def test_no_sequence_of_approvals_and_releases_lets_a_reader_narrow_a_hidden_count(
        seed: int, arrivals: list[int], share_published: float, by_quarter_from: int) -> None:
    # Each person's story is published (he consented and a moderator approved) with
    # probability `share_published`; the reader knows the answers of every published one.
    # Releases from number `by_quarter_from` + 1 on publish quarters, the earlier ones months
    # (a site that cut releases before format 3): the reader adds up the old months.
    crowd = people(seed, 20)
    chance = random.Random(seed)
    published = [chance.random() < share_published for _ in crowd]
    stories = [person for person, shown in zip(crowd, published, strict=True) if shown]
    quarterly = by_quarter_from == 0
    cuts = [cut(crowd, [], 1, stories, quarterly=quarterly)]
    known = [counts_of_people(stories, quarterly=quarterly)]
    by_key = [protection.story_counts(cuts[0].dims, known[0])]
    waiting = 0
    for index, arriving in enumerate(arrivals):
        newcomers = people(seed + index + 1, arriving)
        crowd = crowd + newcomers
        stories = stories + [person for person in newcomers
                             if chance.random() < share_published]
        waiting += arriving
        if waiting < 5:  # a release waits for min_cell new people
            continue
        quarterly = len(cuts) >= by_quarter_from
        cuts.append(cut(crowd, cuts, len(cuts) + 1, stories, by_key, quarterly=quarterly))
        known.append(counts_of_people(stories, quarterly=quarterly))
        by_key.append(protection.story_counts(cuts[-1].dims, known[-1]))
        waiting = 0
    assert adversary.narrowed(cuts, 5, known) == {}
    assert adversary.differences(cuts, 5) == {}  # no few people isolated by subtraction
    assert adversary.statistics_only(cuts, known, 5) == {}  # nor by the published stories


@settings(max_examples=2, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.lists(st.integers(5, 14), min_size=2, max_size=3),
       st.floats(0, 1))
@example(7, [5, 12, 6, 7], 0.5)
def test_a_release_that_leaves_the_past_unjudged_lets_no_reader_narrow_a_hidden_count(
        seed: int, arrivals: list[int], share_published: float) -> None:
    # The service stores each release's true hidden counts and what its audit found: when a
    # release tells nothing new of the earlier ones (people only joined), its audit judges
    # only its own hidden counts and starts from the last audit's (`Audit.growth`). The
    # reader, with his own solver, still narrows nothing, over all the releases.
    crowd = people(seed, 20)
    chance = random.Random(seed)
    stories = [person for person in crowd if chance.random() < share_published]
    records: list[protection.Earlier] = []
    audits: list[protection.Protection] = []
    cuts = [cut(crowd, [], 1, stories, quarterly=True, records=records, audits=audits)]
    known = [counts_of_people(stories, quarterly=True)]
    for index, arriving in enumerate(arrivals):
        newcomers = people(seed + index + 1, arriving)
        crowd = crowd + newcomers
        stories = stories + [person for person in newcomers
                             if chance.random() < share_published]
        cuts.append(cut(crowd, cuts, len(cuts) + 1, stories, quarterly=True,
                        records=records, audits=audits))
        known.append(counts_of_people(stories, quarterly=True))
    if (seed, arrivals) == (7, [5, 12, 6, 7]):  # the example: the past is left unjudged,
        # but at the review (the 5th release), where counts that moved enough come back
        assert [audit.past_unchanged for audit in audits] == [False, True, True, True, False]
        assert (records[3].published.keys() - {k for k, v in records[3].published.items()
                                                if v is None}) < {
            k for k, v in records[4].published.items() if v is not None}
    assert adversary.narrowed(cuts, 5, known) == {}
    assert adversary.differences(cuts, 5) == {}
    assert adversary.statistics_only(cuts, known, 5) == {}


def withdrawn(crowd: list, published: list[bool], chance: random.Random,  # type: ignore[type-arg]
              leaving: int) -> tuple[list, list[bool]]:  # type: ignore[type-arg]
    """The crowd and its published flags after `leaving` of them (chosen by `chance`) erased
    their story: out of the statistics, and their story off the site."""
    gone = set(chance.sample(range(len(crowd)), min(leaving, len(crowd))))
    kept = [index for index in range(len(crowd)) if index not in gone]
    return [crowd[index] for index in kept], [published[index] for index in kept]


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.integers(0, 10_000),
       st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4)), min_size=2, max_size=3)
       .filter(lambda steps: any(leaving for _arriving, leaving in steps)),
       st.floats(0, 1), st.sampled_from([20, 30]))
@example(9403, [(0, 1), (6, 2)], 0.182, 20)  # the site's total fell by one, then rose by four
@example(4680, [(6, 1), (2, 4), (1, 4)], 0.69, 20)  # the latest total below an earlier count
@example(3639, [(0, 3), (3, 4), (1, 4)], 0.221, 30)  # the same, in the audit's own programs
def test_no_sequence_of_approvals_withdrawals_and_releases_lets_a_reader_narrow_a_count(
        seed: int, steps: list[tuple[int, int]], share_published: float, first: int) -> None:
    # Between releases, `arriving` people are approved and `leaving` withdraw (their answers
    # leave the statistics: counts fall); somewhere at least one does. The service stores
    # each release's true hidden counts and its audit's findings, as the release after
    # growth alone uses (`Audit.growth`); after a count fell, every release is judged
    # again. The reader is told between which releases people left (not who), and assumes
    # "never falls" everywhere else. The examples: a count that fell by a few must be hidden
    # as one that grew by a few is (rule 2), or subtracting gives the leavers' answers; and
    # the site's total, after people left, no longer bounds an earlier release's counts (a
    # reader who took it for a bound "narrowed" counts it had wrongly, to 18..20 and 1..3),
    # nor in the audit's programs (where the largest count of the release bounded every
    # release's unknowns, the points it screened with had no solution, and a count the
    # shown ones gave exactly was taken as wide: the release failed, ProtectionError).
    crowd = people(seed, first)
    chance = random.Random(seed)
    published = [chance.random() < share_published for _ in crowd]

    def stories() -> list:  # type: ignore[type-arg]
        return [person for person, shown in zip(crowd, published, strict=True) if shown]

    records: list[protection.Earlier] = []
    audits: list[protection.Protection] = []
    cuts = [cut(crowd, [], 1, stories(), quarterly=True, records=records, audits=audits)]
    known = [counts_of_people(stories(), quarterly=True)]
    left: set[int] = set()
    for index, (arriving, leaving) in enumerate(steps):
        crowd, published = withdrawn(crowd, published, chance, leaving)
        newcomers = people(seed + index + 1, arriving)
        crowd = crowd + newcomers
        published = published + [chance.random() < share_published for _ in newcomers]
        if leaving:
            left.add(len(cuts))
        cuts.append(cut(crowd, cuts, len(cuts) + 1, stories(), quarterly=True,
                        records=records, audits=audits))
        known.append(counts_of_people(stories(), quarterly=True))
    assert adversary.narrowed(cuts, 5, known, left=left) == {}
    assert adversary.differences(cuts, 5) == {}
    assert adversary.statistics_only(cuts, known, 5) == {}


def test_the_reader_subtracts_a_count_that_fell_by_a_few() -> None:
    # The check of the check: two releases that hide only their small counts (no rule 2),
    # the second after three people of one place withdrew.
    crowd = people(0, 40)
    gone = [index for index, person in enumerate(crowd) if person[0] == SPOTS[0]][:3]
    fallen = unaudited([person for index, person in enumerate(crowd) if index not in gone])
    found = adversary.differences([unaudited(crowd), fallen], 5)
    assert found["respondents|facility=10"][1] - found["respondents|facility=10"][3] == 3


def unaudited(crowd: list) -> releases.Release:  # type: ignore[type-arg]
    """A release that hides the small counts only: no secondary suppression, no audit."""
    base, histograms = base_of(crowd)
    small = frozenset(f"{family}|{scope}" for (family, scope), count in base.counts.items()
                      if 0 < count < 5)
    stored, _ = releases.encode(releases.build(replace(base, hidden=small, withheld=frozenset()),
                                               histograms, STANDARDS))
    return releases.decode(1, CUT, stored)


@pytest.fixture(scope="module")
def hiding_only_small_counts() -> releases.Release:
    """The unaudited release of the 40 people of seed 0, built once for the two tests that
    read it (building it runs the release's own checks: a fifth of this module's time). The
    reader's searches only read a release."""
    return unaudited(people(0, 40))


def test_the_reader_narrows_the_counts_of_a_release_that_hides_only_the_small_ones(
        hiding_only_small_counts: releases.Release) -> None:
    # The check of the check: the same 28 counts that scipy's programs, one dense program per
    # count and end, found before the solver of tests/adversary_bounds.py replaced them.
    found = adversary.narrowed([hiding_only_small_counts], 5)
    assert len(found) == 28
    assert all(high - low + 1 < 5 for low, high in found.values())


def test_a_search_that_runs_out_of_time_is_undecided_not_passed(
        hiding_only_small_counts: releases.Release) -> None:
    release = hiding_only_small_counts
    with pytest.raises(adversary.Undecided):
        adversary.narrowed([release], 5, time_limit=0.0)
    undecided: set[tuple[int, str]] = set()
    adversary.narrowed([release], 5, undecided=undecided, time_limit=0.0)
    assert undecided


def test_a_count_hidden_but_never_published_that_is_shown_now_bounds_the_past() -> None:
    # Some counts the audit hides are in no published table (an outcome's "region not
    # stated", by care type): its audit held them as unknowns all the same, so one shown now
    # would bound the last release as a published one would, and the past is judged again.
    crowd = people(7, 20)  # every story published
    records: list[protection.Earlier] = []
    cut(crowd, [], 1, crowd, quarterly=True, records=records)
    earlier = records[0]
    unpublished = set(earlier.hidden_counts) - set(earlier.published)
    grown = crowd + people(8, 5)
    counts = counts_of_people(grown, quarterly=True)
    dims = dims_of(counts, quarterly=True)
    current = protection.system(dims, counts)
    stories = {**protection.story_counts(dims, counts),
               **{f"0#{key}": count for key, count in earlier.stories.items()}}
    audit = protection.Audit(
        current, [protection.published_system(earlier.dims, earlier.published)], 5, 5,
        stories, truths=[earlier.hidden_counts], last_audited=True,
        last_bounds=earlier.bounds, last_layout=protection.system(earlier.dims, {}))
    kept = set(earlier.hidden_counts) & current.count.keys()
    assert audit.growth(kept, audit.zero_ok(kept)) is not None
    again = unpublished & kept
    assert again
    shown = kept - {min(again)}
    assert audit.growth(shown, audit.zero_ok(shown)) is None


def test_after_a_withdrawal_the_true_counts_fit_the_audits_system() -> None:
    # Two of 30 people withdrew and five joined: counts fell. "Never falls" across that gap
    # is false of the true counts; kept, it left the audit's system without the true point
    # (or any: every unknown then taken as pinned), and the release after a withdrawal hid
    # 40 of its 51 headcounts where one after growth alone hid 34 (now 35).
    crowd = people(0, 30)
    records: list[protection.Earlier] = []
    cut(crowd, [], 1, [], quarterly=True, records=records)
    later = crowd[2:] + people(99, 5)
    counts = counts_of_people(later, quarterly=True)
    dims = dims_of(counts, quarterly=True)
    earlier = records[0]
    audit = protection.Audit(
        protection.system(dims, counts),
        [protection.published_system(earlier.dims, earlier.published)], 5, 5,
        truths=[earlier.hidden_counts])
    hidden = (set(earlier.hidden_counts) | protection.primary(
        audit.current.count, 5, protection.last_shown(records), {})
              ) & audit.current.count.keys()
    assert audit.fell(0)
    rows = audit.rows(hidden)
    truth = audit._truth_of(rows)
    assert truth is not None
    assert all(row.low - 1e-6 <= sum(value * truth[name] for name, value
                                      in row.coefficients.items()) <= row.high + 1e-6
               for row in rows)
