"""The audit's findings, reproduced with what a reader can download (tests/adversary.py).

Finding 1: pinning and narrowing hidden counts from one release through the inequalities a
reader knows (a part never exceeds its whole) as well as the sums.
"""

from __future__ import annotations

import random

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from testimonials.stats import releases
from tests import adversary
from tests.unit.stats.test_stats_release_document import CUT, STANDARDS, base_of

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


def cut(crowd: list, earlier: list[releases.Release], number: int  # type: ignore[type-arg]
        ) -> releases.Release:
    """A release as the service cuts one: audited together with every earlier release."""
    history = [(old.dims, {k: count for k, (count, _figures) in old.stored.items()})
               for old in earlier]
    base, histograms = base_of(crowd, history)
    stored, _ = releases.encode(releases.build(base, histograms, STANDARDS))
    return releases.decode(number, CUT, stored)


@settings(max_examples=3, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.lists(st.integers(0, 14), min_size=1, max_size=3))
def test_no_sequence_of_approvals_and_releases_lets_a_reader_narrow_a_hidden_count(
        seed: int, arrivals: list[int]) -> None:
    crowd = people(seed, 20)
    cuts = [cut(crowd, [], 1)]
    waiting = 0
    for index, arriving in enumerate(arrivals):
        crowd = crowd + people(seed + index + 1, arriving)
        waiting += arriving
        if waiting < 5:  # a release waits for min_cell new people
            continue
        cuts.append(cut(crowd, cuts, len(cuts) + 1))
        waiting = 0
    assert adversary.narrowed(cuts, 5) == {}
