"""The audit's findings, reproduced with what a reader can download (tests/adversary.py).

Each finding has a test that the suppression used before (`universe.hidden_keys`, small cells
and their complements, each release on its own, stories not considered) gives the reader what
he wants, and one that a release protected as the service cuts it does not.

1. Pinning and narrowing hidden counts from one release through inequalities.
2. Differencing two releases: the people who joined between them.
3. Published stories subtracted from a group's figures.
4. The consent choice: see `test_a_release_waits_for_enough_statistics_only_people` and
   tests/integration/stats/test_stats_release_adversary.py.
5. Small numbers inside shown groups: see tests/unit/stats/test_stats_inner.py.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, example, given, settings

from testimonials.services.releases import enough_new
from testimonials.stats import protection, releases, universe
from testimonials.stats.cells import cells
from testimonials.stats.page import Base
from testimonials.stats.queries import counts_of
from tests import adversary
from tests.unit.stats.test_stats_release_document import CUT, STANDARDS, base_of

SPOTS = [(1, 10), (1, 11), (2, 20), (1, None), (None, None)]
MIN_CELL = 5


def people(seed: int, count: int) -> list:  # type: ignore[type-arg]
    rng = random.Random(seed)
    return [(rng.choice(SPOTS), rng.choice([1, 2, 4, 8, 3, 17]),
             rng.choice(["2026-04", "2026-05", None]), rng.choice([0, 1, 16, 17]),
             [("intake", rng.choice(["ended", "waiting"]), rng.randint(0, 200))])
            for _ in range(count)]


def story_counts(crowd: list) -> dict[tuple[str, str], int]:  # type: ignore[type-arg]
    """(family, scope) -> how many of these people are in it (their stories are public)."""
    total: Counter = Counter()  # type: ignore[type-arg]
    for (region, facility), care, month, outcomes, waits in crowd:
        when = dt.date.fromisoformat(month + "-01") if month else None
        total.update(cells(region, facility, care, when, outcomes, waits))
    return counts_of((scope, measure, n) for (scope, measure, days), n in total.items()
                     if days == -1)


def document_of(base: Base, histograms: dict, number: int) -> releases.Release:  # type: ignore[type-arg]
    stored, _ = releases.encode(releases.build(base, histograms, STANDARDS))
    return releases.decode(number, CUT + dt.timedelta(days=7 * number), stored)


def release_of(crowd: list, stories: list | None = None,  # type: ignore[type-arg]
               earlier: tuple = (), number: int = 1) -> releases.Release:
    """A release as the service cuts one."""
    base, histograms = base_of(crowd, story_counts(stories or []), earlier)
    return document_of(base, histograms, number)


def old_release_of(crowd: list, number: int = 1) -> releases.Release:  # type: ignore[type-arg]
    """A release as cut before: small cells and their complements, on its own."""
    base, histograms = base_of(crowd)
    counts = base.counts
    hidden = universe.hidden_keys(base.dims, counts, MIN_CELL)
    old = Base(1, CUT, base.dims, counts, hidden, MIN_CELL)
    return document_of(old, histograms, number)


def held(release: releases.Release, stories: list) -> protection.Held:  # type: ignore[type-arg]
    return protection.held_of(release, story_counts(stories))


# Finding 1 ---------------------------------------------------------------------------------

def test_the_old_suppression_let_a_reader_narrow_counts_through_inequalities() -> None:
    # Seed 0, 59 people, minimum cell 5: e.g. "urgent_intake|facility=10" to 1..3 (urgent
    # intakes never exceed the people there, nor their region's, which the other cells give).
    assert adversary.narrowed([old_release_of(people(0, 59))], MIN_CELL)


def test_no_hidden_count_of_one_release_is_narrowed_through_inequalities() -> None:
    assert adversary.narrowed([release_of(people(0, 59))], MIN_CELL) == {}


# Finding 2 ---------------------------------------------------------------------------------

def _two_releases_one_apart() -> tuple[list, list]:  # type: ignore[type-arg]
    crowd = people(3, 60)
    # Five newcomers: four in the big facility, one alone in the small one with psychiatry.
    newcomers = [((1, 10), 1, "2026-05", 0, [("intake", "ended", 20)])] * 4 + \
        [((1, 11), 4, "2026-05", 16, [("intake", "ended", 120)])]
    return crowd, crowd + newcomers


def test_the_old_suppression_let_a_reader_difference_two_releases() -> None:
    before, after = _two_releases_one_apart()
    found = adversary.narrowed([old_release_of(before, 1), old_release_of(after, 2)], MIN_CELL)
    assert any(kind == "change" for kind, _cell in found)


def test_two_releases_do_not_give_away_the_people_who_joined_between_them() -> None:
    before, after = _two_releases_one_apart()
    first = release_of(before)
    second = release_of(after, earlier=(held(first, []),), number=2)
    assert adversary.narrowed([first, second], MIN_CELL) == {}


# Finding 3 ---------------------------------------------------------------------------------

def _stories_and_one_more() -> tuple[list, list]:  # type: ignore[type-arg]
    crowd = [person for person in people(5, 40) if person[0] != (1, 11)]
    # The small facility: six published stories and one statistics-only patient.
    stories = [((1, 11), 1, "2026-04", 0, [("intake", "ended", 30)])] * 6
    alone = [((1, 11), 1, "2026-04", 1, [("intake", "waiting", 90)])]
    return crowd + stories + alone, stories


def test_the_old_suppression_let_a_reader_subtract_published_stories() -> None:
    crowd, stories = _stories_and_one_more()
    found = adversary.narrowed([old_release_of(crowd)], MIN_CELL, [story_counts(stories)])
    assert ("residual", (0, "respondents|facility=11")) in found


def test_published_stories_subtracted_from_a_release_leave_no_small_group() -> None:
    crowd, stories = _stories_and_one_more()
    release = release_of(crowd, stories)
    assert release.shown("respondents|facility=11") is None
    assert adversary.narrowed([release], MIN_CELL, [story_counts(stories)]) == {}


# Finding 4 ---------------------------------------------------------------------------------

def test_a_release_waits_for_enough_statistics_only_people() -> None:
    # Twelve more people, but eleven are published stories: the twelfth would be alone.
    assert not enough_new(100, 112, 11, unknown_before=40, unknown_now=41)
    assert enough_new(100, 112, 11, unknown_before=40, unknown_now=40)  # all of them stories
    assert enough_new(100, 112, 11, unknown_before=40, unknown_now=52)
    assert not enough_new(100, 105, 11, unknown_before=40, unknown_now=45)


# The property: random data, random approvals and releases ----------------------------------

@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@example(0, [(5, 0), (5, 0), (5, 0)])  # the total hidden later: no earlier count bounds it
@given(st.integers(0, 10_000),
       st.lists(st.tuples(st.integers(0, 14), st.integers(0, 6)), min_size=1, max_size=3))
def test_no_sequence_of_approvals_and_releases_lets_a_reader_narrow_anything(
        seed: int, arrivals: list[tuple[int, int]]) -> None:
    """Each step approves some statistics-only patients and publishes some stories; a
    release is cut when the service's guard allows it. The reader holds every release and
    every story published by each cut."""
    rng = random.Random(seed)
    crowd = people(seed, 20)
    stories = [person for person in crowd if rng.random() < 0.3]
    cuts, known, holds = [release_of(crowd, stories)], [story_counts(stories)], []
    holds.append(held(cuts[0], stories))
    last_people, last_stories = len(crowd), len(stories)
    for index, (only_counted, published) in enumerate(arrivals):
        new_stories = people(seed + 100 + index, published)
        crowd = crowd + people(seed + index + 1, only_counted) + new_stories
        stories = stories + new_stories
        if not enough_new(last_people, len(crowd), MIN_CELL, last_people - last_stories,
                          len(crowd) - len(stories)):
            continue
        cuts.append(release_of(crowd, stories, tuple(holds), len(cuts) + 1))
        known.append(story_counts(stories))
        holds.append(held(cuts[-1], stories))
        last_people, last_stories = len(crowd), len(stories)
    assert adversary.narrowed(cuts, MIN_CELL, known) == {}
