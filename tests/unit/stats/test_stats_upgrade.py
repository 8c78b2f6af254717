"""A site upgrading from releases cut without the audit (`stats/upgrade.py`): its first
audited release reports what the old releases already give away of their own hidden counts,
judges the rest as before, and hides about what it would after audited releases; the reader
(tests/adversary.py, his own solver) narrows none of its counts."""

from __future__ import annotations

import logging

import pytest

from testimonials.stats import protection, upgrade
from tests import adversary
from tests.unit.stats.test_stats_adversary import cut, people, unaudited
from tests.unit.stats.test_stats_release_document import counts_of_people, dims_of


def published(release: object) -> dict[str, int | None]:
    return {key: count for key, (count, _figures) in release.stored.items()}  # type: ignore[attr-defined]


# (seed, people in release 1): before stats/upgrade.py, release 2 hid 164 and 166 counts
# where an audited release 1 leads to 140 and 139; (0, 40) failed: a count moved by a few,
# given exactly by the shown ones.
@pytest.mark.parametrize(("seed", "first_people"), [(2, 60), (4, 60), (0, 40)])
def test_the_first_audited_release_after_an_unaudited_one_hides_what_it_would_after_audits(
        seed: int, first_people: int, caplog: pytest.LogCaptureFixture) -> None:
    crowd = people(seed, first_people)
    grown = crowd + people(seed + 100, 10)
    counts = counts_of_people(grown)
    dims = dims_of(counts)
    old = unaudited(crowd)  # small counts hidden, and nothing else
    given_away = {f"0#{key}" for (_, key) in adversary.narrowed([old], 5)}
    assert given_away  # the upgrade case: the old release narrows some of its own

    with caplog.at_level(logging.WARNING, logger="testimonials.stats.upgrade"):
        after_old = protection.protect(dims, counts, 5, 5,
                                       [protection.Earlier(old.dims, published(old))])
    assert given_away <= after_old.lost  # reported (and no more than were given away)
    assert after_old.lost <= {f"0#{key}" for key in old.hidden}
    assert f"{len(after_old.lost)} hidden counts" in caplog.text
    records: list[protection.Earlier] = []
    cut(crowd, [], 1, records=records)
    after_audited = protection.protect(dims, counts, 5, 5, records)
    assert after_audited.lost == frozenset()
    assert len(after_old.hidden) <= 1.05 * len(after_audited.hidden)

    # The reader of both releases narrows no count of the new one, and of the old one only
    # what was reported lost.
    second = cut(grown, [old], 2)
    found = adversary.narrowed([old, second], 5)
    assert not [cell for cell in found if cell[0] == 1]
    assert {f"0#{key}" for (_, key) in found} <= after_old.lost
    assert adversary.differences([old, second], 5) == {}


def test_an_audited_history_runs_nothing_more_and_carries_what_was_lost(
        monkeypatch: pytest.MonkeyPatch) -> None:
    crowd = people(2, 60)
    records: list[protection.Earlier] = []
    cut(crowd, [], 1, records=records)
    counts = counts_of_people(crowd + people(102, 10))
    dims = dims_of(counts)

    def no_audit(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the history audited again")

    monkeypatch.setattr(upgrade, "Audit", no_audit)
    assert protection.protect(dims, counts, 5, 5, records).lost == frozenset()
    # What a first audited release found lost is stored with it and carried on: a review
    # judges every earlier release again, and would find them again.
    carried = protection.Earlier(**{**records[0].__dict__, "lost": frozenset({"0#x|all"})})
    assert carried.audited
    assert upgrade.lost_already([carried], 5, 5) == {"0#x|all"}
    assert protection.protect(dims, counts, 5, 5, [carried], review_every=1).lost == {"0#x|all"}
