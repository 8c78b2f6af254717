"""Audit finding 5: small numbers inside a shown group follow the rule of counts.

Each test first shows what the figures said before (`summarise` alone), then what a release
publishes (`inner.protect_figures`, applied to every group's figures at the cut).
"""

from __future__ import annotations

from testimonials.stats.inner import EDGES, protect_figures
from testimonials.stats.summary import summarise
from testimonials.vocab import WaitState

MIN_CELL = 11


def test_band_cells_of_one_to_ten_people_are_not_shown() -> None:
    # Twenty waits that ended within two weeks, and one person still waiting after 200 days.
    histogram = {(7, WaitState.ENDED): 20, (200, WaitState.WAITING): 1}
    before = summarise(histogram, 14)
    assert [cell.waiting for cell in before.bands if cell.waiting] == [1]  # one person
    after = protect_figures(before, MIN_CELL)
    assert all(cell.ended is None and cell.waiting is None and cell.gave_up is None
               and cell.total is None for cell in after.bands)
    assert after.count == 21  # the group itself is still shown


def test_bands_with_only_empty_or_large_cells_are_shown() -> None:
    histogram = {(7, WaitState.ENDED): 20, (40, WaitState.WAITING): 11}
    figures = protect_figures(summarise(histogram, 14), MIN_CELL)
    assert [cell.total for cell in figures.bands] == [20, 0, 11, 0, 0, 0]


def test_more_than_n_days_is_a_band_edge_not_one_persons_answer() -> None:
    # The longest wait is one person's 157 days, still waiting: the 90th percentile is beyond.
    histogram = {(10, WaitState.ENDED): 12, (157, WaitState.WAITING): 3}
    before = summarise(histogram, 14)
    assert before.p90.more_than == 157
    after = protect_figures(before, MIN_CELL)
    assert after.p90.more_than == 91 and after.p90.more_than in EDGES


def test_no_percentile_rests_on_fewer_than_the_minimum_answers() -> None:
    # Twelve answers, but only ten with a wait length (two gave up without days).
    histogram = {(30, WaitState.ENDED): 10, (None, WaitState.GAVE_UP): 2}
    before = summarise(histogram, 14)
    assert before.count == 12 and before.median.days == 30
    after = protect_figures(before, MIN_CELL)
    assert after.median.days is None and after.p90.days is None
    assert after.share_over_standard is None
