"""Histograms: validation, building from observations, merging and tallies."""

import pytest

from testimonials.stats.histogram import MAX_DAYS, histogram_of, merge, normalise, tally
from testimonials.vocab import WaitState

ENDED, WAITING, GAVE_UP = WaitState.ENDED, WaitState.WAITING, WaitState.GAVE_UP


def test_histogram_of_counts_each_observation_once():
    observations = [(5, ENDED), (5, ENDED), (9, WAITING), (None, GAVE_UP), (30, GAVE_UP)]
    assert histogram_of(observations) == {
        (5, ENDED): 2,
        (9, WAITING): 1,
        (None, GAVE_UP): 1,
        (30, GAVE_UP): 1,
    }


def test_normalise_accepts_plain_strings_and_drops_zero_counts():
    clean = normalise({(5, "ended"): 2, (6, "waiting"): 0})  # type: ignore[dict-item]
    assert clean == {(5, ENDED): 2}
    assert all(isinstance(state, WaitState) for _days, state in clean)


@pytest.mark.parametrize(
    "histogram",
    [
        {(None, ENDED): 1},  # an ended wait needs its days
        {(None, WAITING): 1},
        {(-1, ENDED): 1},
        {(MAX_DAYS + 1, ENDED): 1},
        {(2.5, ENDED): 1},
        {(True, ENDED): 1},
        {(3, "finished"): 1},
        {(3, ENDED): -1},
        {(3, ENDED): 1.0},
        {(3, ENDED): True},
    ],
)
def test_normalise_rejects_impossible_answers(histogram):
    with pytest.raises(ValueError):
        normalise(histogram)


def test_days_from_zero_to_max_are_accepted():
    assert normalise({(0, ENDED): 1, (MAX_DAYS, WAITING): 1}) == {
        (0, ENDED): 1,
        (MAX_DAYS, WAITING): 1,
    }


def test_merge_adds_counts_of_the_same_key():
    first = {(5, ENDED): 2, (None, GAVE_UP): 1}
    second = {(5, ENDED): 3, (7, WAITING): 1}
    assert merge(first, second) == {(5, ENDED): 5, (None, GAVE_UP): 1, (7, WAITING): 1}
    assert merge() == {}


def test_tally_counts_states_and_answers_without_days():
    counts = tally({(5, ENDED): 4, (9, WAITING): 3, (None, GAVE_UP): 2, (30, GAVE_UP): 1})
    assert (counts.ended, counts.waiting, counts.gave_up) == (4, 3, 3)
    assert counts.gave_up_without_days == 2
    assert counts.total == 10
    assert counts.with_days == 8
