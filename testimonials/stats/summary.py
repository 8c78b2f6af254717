"""Everything /stats shows for one group and one wait kind, from its histogram."""

from __future__ import annotations

from dataclasses import dataclass

from testimonials.stats.bands import BandCount, count_bands
from testimonials.stats.histogram import Histogram, normalise, tally
from testimonials.stats.intervals import Intervals, intervals_of
from testimonials.stats.kaplan_meier import Curve, Percentile, kaplan_meier

PERCENTILES = (0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class Summary:
    """The figures of one group; see `methods.methods_note` for what each one means."""

    count: int  # every answer, whatever its state
    # The state counts and counts without days are None where published figures withhold
    # them (1 to STATS_MIN_CELL - 1, or what would give such a one back; release format 5 on,
    # `group_table.withheld_cells`).
    n_ended: int | None
    n_waiting: int | None
    n_gave_up: int | None  # gave up, with or without days (never offered is on its own)
    n_gave_up_without_days: int | None  # left out of the estimates and of the bands
    n_in_estimate: int  # answers with days: the Kaplan-Meier sample
    p25: Percentile
    median: Percentile
    p75: Percentile
    p90: Percentile
    standard_days: int  # the legal standard, in calendar days
    share_over_standard: float | None  # headline: Kaplan-Meier P(wait > standard)
    n_over_standard: int | None  # answers already known to have waited longer than the standard;
    # None when published figures withhold it (it or the rest 1 to STATS_MIN_CELL - 1, `inner`)
    bands: tuple[BandCount, ...]
    n_never_offered: int | None = 0  # never offered an appointment, with or without days
    n_never_offered_without_days: int | None = 0  # left out of the estimates and the bands
    n_at_standard: int | None = 0  # answers of exactly the standard's days (not "over" it);
    # None when published figures withhold it (1 to STATS_MIN_CELL - 1, see `inner`)
    intervals: Intervals | None = None  # 95% intervals and n of every estimate

    @property
    def share_gave_up(self) -> float | None:
        """Share of all answers that gave up (not counting those never offered); None also
        where the count is withheld (the share would give it back)."""
        return self.n_gave_up / self.count if self.count and self.n_gave_up is not None \
            else None

    @property
    def share_never_offered(self) -> float | None:
        """Share of all answers that were never offered an appointment (None: withheld)."""
        return self.n_never_offered / self.count \
            if self.count and self.n_never_offered is not None else None


def share_over_standard(curve: Curve, standard_days: int) -> float | None:
    """Estimated share of waits longer than the standard: S(standard), None if not estimable.

    Not estimable means no answers with days, or a standard beyond the longest observed wait
    while the curve is still above 0 (nobody was observed that long, so the data cannot say).
    """
    return curve.survival_at(standard_days)


def count_over_standard(histogram: Histogram, standard_days: int) -> int:
    """Answers known to have waited longer than the standard (strictly more days).

    Ended waits longer than the standard, and still-waiting or gave-up answers whose days so far
    already exceed it. A lower bound: some of those still waiting will pass it later.
    """
    _check_standard(standard_days)
    return sum(
        count
        for (days, _state), count in normalise(histogram).items()
        if days is not None and days > standard_days
    )


def count_at_standard(histogram: Histogram, standard_days: int) -> int:
    """Answers of exactly the standard's days, whatever their state: not "over" the standard.

    Answers given in weeks or months land on whole numbers of days (a month is 30 days), so a
    standard of 30 days gathers every "1 month": this count shows how many sit on the line.
    """
    _check_standard(standard_days)
    return sum(count for (days, _state), count in normalise(histogram).items()
               if days == standard_days)


def summarise(histogram: Histogram, standard_days: int) -> Summary:
    """All the figures of one histogram, compared with a standard of `standard_days` days."""
    _check_standard(standard_days)
    clean = normalise(histogram)
    counts = tally(clean)
    curve = kaplan_meier(clean)
    p25, median, p75, p90 = (curve.percentile(p) for p in PERCENTILES)
    return Summary(
        count=counts.total,
        n_ended=counts.ended,
        n_waiting=counts.waiting,
        n_gave_up=counts.gave_up,
        n_gave_up_without_days=counts.gave_up_without_days,
        n_in_estimate=counts.with_days,
        p25=p25,
        median=median,
        p75=p75,
        p90=p90,
        standard_days=standard_days,
        share_over_standard=share_over_standard(curve, standard_days),
        n_over_standard=count_over_standard(clean, standard_days),
        bands=count_bands(clean),
        n_never_offered=counts.never_offered,
        n_never_offered_without_days=counts.never_offered_without_days,
        n_at_standard=count_at_standard(clean, standard_days),
        intervals=intervals_of(clean, curve, standard_days),
    )


def _check_standard(standard_days: int) -> None:
    if isinstance(standard_days, bool) or not isinstance(standard_days, int) or standard_days < 0:
        raise ValueError(f"standard_days must be a whole number >= 0: {standard_days!r}")
