"""The audit's findings, reproduced with what a reader can download (tests/adversary.py).

Finding 1: pinning and narrowing hidden counts from one release through the inequalities a
reader knows (a part never exceeds its whole) as well as the sums.
"""

from __future__ import annotations

import random

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from testimonials.stats import protection, releases
from tests import adversary
from tests.unit.stats.test_stats_release_document import (
    CUT,
    DIMS,
    STANDARDS,
    base_of,
    counts_of_people,
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
        earlier_stories: list[dict[str, int]] | None = None) -> releases.Release:
    """A release as the service cuts one: audited together with every earlier release (and
    the stories published by its cut) and the stories published now."""
    history = [protection.Earlier(old.dims, {k: count for k, (count, _f) in old.stored.items()},
                                  (earlier_stories or [{}] * len(earlier))[index])
               for index, old in enumerate(earlier)]
    base, histograms = base_of(crowd, history, stories)
    stored, _ = releases.encode(releases.build(base, histograms, STANDARDS))
    return releases.decode(number, CUT, stored)


@pytest.mark.xfail(strict=False, reason=(
    "issue 14, left: passes on the protection branch; merged with releases by quarter (format "
    "3) the harness's model of the time groups contradicts the published figures (the LP is "
    "infeasible), so the harness and protection must be reconciled with quarters"))
@settings(max_examples=3, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.lists(st.integers(0, 14), min_size=1, max_size=3),
       st.floats(0, 1))
def test_no_sequence_of_approvals_and_releases_lets_a_reader_narrow_a_hidden_count(
        seed: int, arrivals: list[int], share_published: float) -> None:
    # Each person's story is published (he consented and a moderator approved) with
    # probability `share_published`; the reader knows the answers of every published one.
    crowd = people(seed, 20)
    chance = random.Random(seed)
    published = [chance.random() < share_published for _ in crowd]
    stories = [person for person, shown in zip(crowd, published, strict=True) if shown]
    cuts = [cut(crowd, [], 1, stories)]
    known = [counts_of_people(stories)]
    waiting = 0
    for index, arriving in enumerate(arrivals):
        newcomers = people(seed + index + 1, arriving)
        crowd = crowd + newcomers
        stories = stories + [person for person in newcomers
                             if chance.random() < share_published]
        waiting += arriving
        if waiting < 5:  # a release waits for min_cell new people
            continue
        by_key = [protection.story_counts(DIMS, counts) for counts in known]
        cuts.append(cut(crowd, cuts, len(cuts) + 1, stories, by_key))
        known.append(counts_of_people(stories))
        waiting = 0
    assert adversary.narrowed(cuts, 5, known) == {}
    assert adversary.differences(cuts, 5) == {}  # no few people isolated by subtraction
    assert adversary.statistics_only(cuts, known, 5) == {}  # nor by the published stories
