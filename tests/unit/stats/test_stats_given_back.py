"""No shown figure of a group gives back a count withheld in it (issue 14, the last review).

Each test is the adversary's own computation, made on a release cut by the pure builder (as
the service cuts one) and read back, with the figures a reader gets (shares rounded to the
four digits of the CSV and JSON).
"""

from __future__ import annotations

import math
from typing import Any

from testimonials.stats.releases import Release
from tests.unit.stats.test_stats_inner import at_one_facility, cut

FACILITY = "intake|facility=10"  # intake's standard: 10 business days, 14 calendar days


def figures_of(release: Release, key: str = FACILITY) -> Any:
    return release.figures(key)


def test_the_share_over_the_standard_does_not_give_back_who_gave_up() -> None:
    # The review's case: 123 answers, 3 who gave up after a day (withheld, with the ended
    # count to complete it), 20 waits that ended within the standard and 100 after it. The
    # Kaplan-Meier share is 100 / (123 - 3): the count less the shown count over the
    # standard divided by the share gave the 3 back (123 - 100 / 0.8333 = 3).
    people = (at_one_facility(("gave_up", 1), times=3) + at_one_facility(("ended", 7), times=20)
              + at_one_facility(("ended", 60), times=100))
    release, _ = cut(people)
    figures = figures_of(release)
    assert figures is not None and figures.n_gave_up is None
    share, over = figures.share_over_standard, figures.n_over_standard
    if share is not None and over is not None:
        censored_early = figures.n_in_estimate - over / round(share, 4)
        assert round(censored_early) != 3


def test_the_answers_without_days_do_not_give_back_who_gave_up() -> None:
    # Three gave up without saying after how long, none was never offered an appointment:
    # the count less the answers in the estimates (both shown) is the 3, and with the
    # gave-up band cells all shown as 0 it is the whole withheld gave-up count.
    people = (at_one_facility(("ended", 7), times=40) + at_one_facility(("waiting", 7), times=2)
              + at_one_facility(("gave_up", None), times=3))
    release, _ = cut(people)
    figures = figures_of(release)
    if figures is None:
        return  # the group's count only
    assert figures.n_gave_up is None
    never_without_days = 0 if figures.n_never_offered == 0 \
        else figures.n_never_offered_without_days
    with_days = [band.gave_up for band in figures.bands]
    if never_without_days is not None and None not in with_days:
        recovered = figures.count - figures.n_in_estimate - never_without_days + sum(with_days)
        assert recovered != 3


def test_the_count_over_the_standard_does_not_give_back_a_withheld_band() -> None:
    # 12 waits ended within two weeks, 3 at three weeks (withheld, with the 12 to complete
    # it) and 30 after a month. The standard is 14 days, the end of the first band: the
    # answers with days less those over the standard were the first band's 12, and the 3
    # followed.
    people = (at_one_facility(("ended", 7), times=12) + at_one_facility(("ended", 20), times=3)
              + at_one_facility(("ended", 40), times=30))
    release, _ = cut(people)
    figures = figures_of(release)
    assert figures is not None
    first, second = figures.bands[0], figures.bands[1]
    assert second.total is None
    if first.total is None and figures.n_over_standard is not None:
        at_or_within = figures.n_in_estimate - figures.n_over_standard
        shown_rest = sum(band.total or 0 for band in figures.bands[2:])
        assert figures.n_in_estimate - at_or_within - shown_rest != 3


def test_an_incidence_interval_does_not_count_who_is_still_waiting() -> None:
    # Nobody was never offered an appointment: that incidence is 0, and its exact interval's
    # upper end, 1 - 0.025 ** (1 / k), gave k, the answers less those still waiting before
    # the standard, so the withheld waiting count within the standard.
    people = (at_one_facility(("ended", 20), times=100) + at_one_facility(("waiting", 3), times=4)
              + at_one_facility(("gave_up", 5), times=3))
    release, _ = cut(people)
    figures = figures_of(release)
    assert figures is not None and figures.n_waiting is None
    intervals = figures.intervals
    estimate = intervals.never_offered_by_standard if intervals is not None else None
    if estimate is not None and estimate.value == 0 and estimate.high is not None:
        known = math.log(0.025) / math.log(1 - round(estimate.high, 4))
        assert round(figures.n_in_estimate - known) != 4
