"""The protection audit's findings of issue 14, one test each (minimum cell and width 5)."""

from __future__ import annotations

import pytest

from testimonials.stats import protection
from testimonials.stats.page import all_filters
from tests import adversary
from tests.unit.stats.test_stats_adversary import cut, people
from tests.unit.stats.test_stats_release_document import DIMS, counts_of_people

ONE_AT_BIG = [((1, 10), 1, "2026-04", 0, [("intake", "ended", 30)])]


def test_nothing_is_published_by_facility_and_care_type_or_by_facility_and_month() -> None:
    # They made most of the hidden cells that link to shown ones (the s14-audit revert).
    release = cut(people(3, 80), [], 1)
    assert not [key for key in release.stored if "facility=" in key and "&" in key]
    assert not [f for f in all_filters(DIMS) if f.facility is not None and f.care is not None]


@pytest.mark.parametrize("seed", range(4))
def test_a_small_site_keeps_its_totals_shown(seed: int) -> None:
    # With the audit of s14-audit, a 200-story site hid its grand total: secondary
    # suppression climbed the hierarchy. Now the totals are hidden only if nothing else is.
    release = cut(people(seed, 40), [], 1)
    for family in ("respondents", "intake"):
        count = release.shown(f"{family}|all")
        assert count is not None and count >= 10, (family, count)
    assert adversary.narrowed([release], 5) == {}


def test_a_count_that_moved_by_a_few_since_it_was_shown_is_hidden_until_it_moved_enough(
        ) -> None:
    crowd = people(5, 120)
    first = cut(crowd, [], 1)
    assert first.shown("respondents|facility=10")  # shown: 22
    second = cut(crowd + ONE_AT_BIG * 2, [first], 2)
    # Shown in both, the two counts would say that two people joined, and the figures of
    # the two releases' difference would be theirs.
    assert second.shown("respondents|facility=10") is None
    third = cut(crowd + ONE_AT_BIG * 6, [first, second], 3)
    assert third.shown("respondents|facility=10") in (  # moved by 6 >= 5: shown, unless a
        None, first.shown("respondents|facility=10") + 6)  # neighbour needs it hidden
    assert adversary.differences([first, second, third], 5) == {}
    assert adversary.narrowed([first, second, third], 5) == {}


def test_a_group_with_a_few_people_beyond_its_published_stories_is_hidden() -> None:
    crowd = people(5, 120)
    at_big = [person for person in crowd if person[0] == (1, 10)]
    stories = at_big[:-2]  # all but two of them told their story in public
    release = cut(crowd, [], 1, stories)
    # Shown, the count less the stories would be two people who chose statistics only, and
    # the figures less the stories' answers would be theirs.
    assert release.shown("respondents|facility=10") is None
    known = [counts_of_people(stories)]
    assert adversary.statistics_only([release], known, 5) == {}
    assert adversary.narrowed([release], 5, known) == {}


def test_a_hidden_count_of_an_earlier_release_is_not_narrowed_by_a_later_one() -> None:
    # Release 1 hides a facility; release 2 would show it: x(1) <= x(2) bounds it from above.
    crowd = [person for person in people(11, 80) if person[0] != (1, 11)]
    few = [((1, 11), 1, "2026-04", 0, [("intake", "ended", 3)])] * 3
    first = cut(crowd + few, [], 1)
    assert first.shown("respondents|facility=11") is None
    second = cut(crowd + few * 3, [first], 2)  # 9 there now
    assert adversary.narrowed([first, second], 5) == {}
    assert second.shown("respondents|facility=11") is None or (
        second.shown("respondents|facility=11") - 1 >= 5)  # [1, 9]: not narrower than 5


def test_the_most_detailed_smallest_count_is_hidden_first() -> None:
    assert protection.level("respondents|facility=3") < protection.level(
        "respondents|region=1&care=2") < protection.level("respondents|care=2") < \
        protection.level("respondents|region=1") < protection.level("respondents|all")
    assert protection.level("intake|region=1|none:facility") == 0
