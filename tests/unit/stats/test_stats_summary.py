"""Bands, the share over the standard, and the whole summary of one histogram."""

import pytest

from testimonials.stats.bands import BANDS, band_of, count_bands
from testimonials.stats.histogram import histogram_of
from testimonials.stats.summary import PERCENTILES, count_over_standard, summarise
from testimonials.vocab import WaitState

E, W, G = WaitState.ENDED, WaitState.WAITING, WaitState.GAVE_UP


@pytest.mark.parametrize(
    "days, key",
    [
        (0, "0-14"),
        (14, "0-14"),
        (15, "15-28"),
        (28, "15-28"),
        (29, "29-61"),
        (61, "29-61"),
        (62, "62-91"),
        (91, "62-91"),
        (92, "92-183"),
        (183, "92-183"),
        (184, "184+"),
        (730, "184+"),
    ],
)
def test_band_edges(days, key):
    assert band_of(days).key == key


def test_bands_cover_every_day_exactly_once():
    for days in range(731):
        assert sum(band.contains(days) for band in BANDS) == 1
    with pytest.raises(ValueError):
        band_of(-1)


def test_count_bands_puts_each_answer_with_days_in_its_state_column():
    histogram = histogram_of([(3, E), (14, W), (15, G), (40, E), (40, E), (200, W), (None, G)])
    cells = {
        cell.band.key: (cell.ended, cell.waiting, cell.gave_up) for cell in count_bands(histogram)
    }
    assert cells == {
        "0-14": (1, 1, 0),
        "15-28": (0, 0, 1),
        "29-61": (2, 0, 0),
        "62-91": (0, 0, 0),
        "92-183": (0, 0, 0),
        "184+": (0, 1, 0),
    }
    assert [cell.band for cell in count_bands({})] == list(BANDS)


@pytest.mark.parametrize(
    "standard, expected",
    [(9, 4), (10, 3), (14, 2), (20, 1), (30, 0)],
)
def test_count_over_standard_counts_strictly_longer_waits_of_any_state(standard, expected):
    # 10 ended, 14 still waiting, 20 gave up after 20 days, 30 still waiting; 5 ended is never
    # over; gave up without days cannot be placed.
    histogram = histogram_of([(5, E), (10, E), (14, W), (20, G), (30, W), (None, G)])
    assert count_over_standard(histogram, standard) == expected


def test_summary_of_a_mixed_histogram():
    histogram = histogram_of([(3, E), (3, E), (3, W), (5, E), (8, W), (None, G), (4, G)])
    summary = summarise(histogram, standard_days=4)
    assert (summary.count, summary.n_ended, summary.n_waiting, summary.n_gave_up) == (7, 3, 2, 2)
    assert (summary.n_gave_up_without_days, summary.n_in_estimate) == (1, 6)
    assert summary.share_gave_up == pytest.approx(2 / 7)
    # At 3: 6 at risk, 2 events -> 2/3; the gave-up at 4 is censored; at 5: 2 at risk -> 1/3.
    assert summary.share_over_standard == pytest.approx(2 / 3)
    assert (summary.p25.days, summary.median.days) == (3, 5)
    assert (summary.p75.reached, summary.p75.more_than) == (False, 8)
    assert summary.n_over_standard == 2  # ended at 5, still waiting at 8
    assert sum(cell.total for cell in summary.bands) == 6
    assert [summary.p25.p, summary.median.p, summary.p75.p, summary.p90.p] == list(PERCENTILES)


def test_summary_of_nothing_has_no_estimates():
    summary = summarise({}, standard_days=14)
    assert summary.count == 0
    assert summary.share_gave_up is None
    assert summary.share_over_standard is None
    assert not summary.median.reached and summary.median.more_than is None


def test_summary_of_only_gave_up_without_days():
    summary = summarise(histogram_of([(None, G)] * 12), standard_days=14)
    assert (summary.count, summary.n_in_estimate, summary.share_gave_up) == (12, 0, 1.0)
    assert summary.share_over_standard is None


def test_share_over_standard_is_none_past_the_longest_wait_unless_all_ended():
    assert summarise(histogram_of([(3, E), (9, W)]), 14).share_over_standard is None
    assert summarise(histogram_of([(3, E), (9, E)]), 14).share_over_standard == 0.0


@pytest.mark.parametrize("standard", [-1, 2.5, True])
def test_standard_must_be_whole_days(standard):
    with pytest.raises(ValueError):
        summarise({}, standard)
    with pytest.raises(ValueError):
        count_over_standard({}, standard)


def test_summary_of_a_million_answers_is_quick():
    # A million answers are at most 731 x 3 + 1 histogram keys; nothing grows with the count.
    histogram = {(days, state): 460 + days % 7 for days in range(731) for state in (E, W, G)}
    summary = summarise(histogram, standard_days=14)
    assert summary.count > 1_000_000
    assert summary.median.reached
