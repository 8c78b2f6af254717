"""The distribution of observed waits in six bands, split by how each wait stood.

Each answer with days falls in the one band that contains its days, in the column of its state:
- ``ended``: the wait ended after that many days (the whole wait is in the band);
- ``waiting``: still waiting after that many days (the wait so far; it will end in this band
  or a later one);
- ``gave_up``: gave up after that many days;
- ``never_offered``: still had no appointment offered after that many days, and none came.
Answers without days are in no band; `summary.Summary` counts them on their own.
These are counts of what people reported, not estimates: unlike the percentiles they do not
correct for waits that are still going on.
"""

from __future__ import annotations

from dataclasses import dataclass

from testimonials.stats.histogram import Histogram, normalise
from testimonials.stats.methods import N_
from testimonials.vocab import WaitState


@dataclass(frozen=True)
class Band:
    """A range of whole days, ``low`` to ``high`` inclusive (``high`` None: no upper end)."""

    key: str  # stable identifier for JSON, CSV and translation
    label: str  # English label, marked for translation
    low: int
    high: int | None

    def contains(self, days: int) -> bool:
        return self.low <= days and (self.high is None or days <= self.high)


# Week bands end on multiples of 7; month bands on average months of 30.44 days, rounded down
# (2 months = 60.9 days, so 61 is still "1-2 months"; 3 months = 91.3; 6 months = 182.6).
BANDS: tuple[Band, ...] = (
    Band("0-14", N_("≤ 2 weeks"), 0, 14),
    Band("15-28", N_("2–4 weeks"), 15, 28),
    Band("29-61", N_("1–2 months"), 29, 61),
    Band("62-91", N_("2–3 months"), 62, 91),
    Band("92-183", N_("3–6 months"), 92, 183),
    Band("184+", N_("> 6 months"), 184, None),
)


# The band of every wait the form accepts, looked up rather than searched (a page has many).
_BY_DAY: tuple[Band, ...] = tuple(
    next(band for band in BANDS if band.contains(days)) for days in range(731))


@dataclass(frozen=True)
class BandCount:
    """How many answers with days in one band, by state.

    In a release (format 4 on) a cell of 1 to STATS_MIN_CELL - 1 answers, and the cells that
    would give it away, are None: withheld (`inner.protect_bands`). `shown_total` is then the
    band's total as published (itself None when withheld too).
    """

    band: Band
    ended: int | None
    waiting: int | None
    gave_up: int | None
    never_offered: int | None = 0
    shown_total: int | None = None  # the published total when a cell is withheld

    @property
    def cells(self) -> tuple[int | None, int | None, int | None, int | None]:
        return (self.ended, self.waiting, self.gave_up, self.never_offered)

    @property
    def withheld(self) -> bool:
        """Whether any of the band's cells is withheld."""
        return None in self.cells

    @property
    def total(self) -> int | None:
        """All answers in the band; None when withheld."""
        if self.ended is None or self.waiting is None or self.gave_up is None \
                or self.never_offered is None:
            return self.shown_total
        return self.ended + self.waiting + self.gave_up + self.never_offered


def band_of(days: int) -> Band:
    """The one band that contains `days` (>= 0)."""
    if 0 <= days < len(_BY_DAY):
        return _BY_DAY[days]
    for band in BANDS:
        if band.contains(days):
            return band
    raise ValueError(f"days must be >= 0: {days!r}")


def count_bands(histogram: Histogram) -> tuple[BandCount, ...]:
    """All six bands in order (empty ones as zeros); together they hold every answer with days."""
    cells = {(band.key, state): 0 for band in BANDS for state in WaitState}
    for (days, state), count in normalise(histogram).items():
        if days is not None:
            cells[(band_of(days).key, state)] += count
    return tuple(
        BandCount(
            band,
            ended=cells[(band.key, WaitState.ENDED)],
            waiting=cells[(band.key, WaitState.WAITING)],
            gave_up=cells[(band.key, WaitState.GAVE_UP)],
            never_offered=cells[(band.key, WaitState.NEVER_OFFERED)],
        )
        for band in BANDS
    )
