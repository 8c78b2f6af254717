"""The figures of the officials' and press report of one place, taken from a release's view (pure).

The report is a short, printable summary for the whole site, a region or a facility: for each
wait, how many answered, the median and 90th percentile, and the share over the legal standard,
exactly as the release publishes them for that place's filter (nothing is computed here that
the release does not hold, so the report and /stats.json of the same filter always agree).
A wait whose group is hidden is given the figures of the latest earlier release that showed
it (`ShownGroup.held`), apart from this release's and marked with that release (`AsOf`); one
no earlier release showed is only named, in one line, never given figures.

Places are written `site`, `region:<id>` or `facility:<id>` (the `--place` of the export
command); `place_filter` turns one into the filter of its statistics view.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from testimonials.stats import uncertainty
from testimonials.stats.intervals import FEW_ANSWERS
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.methods import N_
from testimonials.stats.page import Filter, View
from testimonials.stats.presenter import Kind, cell_kind
from testimonials.stats.report import Held, ShownGroup
from testimonials.stats.summary import Summary

SITE, REGION, FACILITY = "site", "region", "facility"
_PLACE = re.compile(r"(?:(site)|(region|facility):([1-9][0-9]{0,8}))")

# The methods in brief (the release page holds the full note); placeholders: %(min_cell)s and
# %(below)s (`methods.limits`).
METHODS_BRIEF: tuple[str, ...] = (
    N_("These figures come from approved stories whose authors agreed to be counted: the "
       "experiences of people who chose to tell them, not a random sample of all patients."),
    N_("Each kind of wait is counted on its own and compared with its legal standard, in "
       "calendar days. People still waiting count as having waited at least as long as they "
       "told us: the median, the 90th percentile and the share over the standard are "
       "Kaplan-Meier estimates, the standard method when some waits have not ended."),
    N_("People who gave up, or were never offered an appointment, are shown as a share of all "
       "answers. They have often faced the longest waits, so the estimates probably "
       "understate how long waits really are."),
    N_("To protect privacy, a group with fewer than %(min_cell)s answers shows no figures, "
       "nor does one whose count changed by 1 to %(below)s since the last release that "
       "showed it, and some larger groups are hidden too so that no hidden number can be "
       "worked out."),
    N_("The figures are those of one numbered, dated release, which never changes."),
    N_("A figure hidden in this release that an earlier release showed is given \"as of\" "
       "that release, with its date and a link to it: published there for good, it tells no "
       "one anything new, but it is that release's figure, not this one's."),
)


class PlaceError(ValueError):
    """A `--place` that is not `site`, `region:<id>` or `facility:<id>`."""


@dataclass(frozen=True)
class Place:
    """The place a report is about: the whole site (id 0), a region or a facility."""

    scope: str
    id: int = 0

    @property
    def filter(self) -> Filter:
        if self.scope == REGION:
            return Filter(region=self.id)
        if self.scope == FACILITY:
            return Filter(facility=self.id)
        return Filter()

    def __str__(self) -> str:
        return SITE if self.scope == SITE else f"{self.scope}:{self.id}"


def parse_place(text: str) -> Place:
    """`site`, `region:<id>` or `facility:<id>` as a Place; PlaceError otherwise."""
    found = _PLACE.fullmatch(text.strip())
    if found is None:
        raise PlaceError(text)
    if found.group(1):
        return Place(SITE)
    return Place(found.group(2), int(found.group(3)))


@dataclass(frozen=True)
class AsOf:
    """The earlier release a held figure is from: its number and the date of its cut."""

    release: int
    date: dt.date


@dataclass(frozen=True)
class HeldCount:
    """A count hidden in this release, as the latest earlier release that showed it gave it."""

    count: int
    as_of: AsOf


def as_of(held: Held[Summary]) -> AsOf:
    return AsOf(held.release, held.date)


@dataclass(frozen=True)
class KeyFigure:
    """One wait's figures for the place, as the release publishes them (`as_of` None), or,
    for a wait hidden in it, as the latest earlier release that showed it published them."""

    series: str
    count: int
    standard_days: int | None  # None: no standard configured for this wait
    median: Percentile
    p90: Percentile
    share_over_standard: float | None  # None: withheld (`share_withheld`) or not estimable
    n_over_standard: int | None  # None: withheld (1 to STATS_MIN_CELL - 1, or the rest)
    share_gave_up: float | None
    n_in_estimate: int
    # The 95% intervals, as the release holds them (None: format 1, or withheld).
    median_range: uncertainty.Range | None = None
    p90_range: uncertainty.Range | None = None
    share_range: uncertainty.Range | None = None
    # Why the release withholds a figure it does not give (its code, `intervals.EXTREME`...);
    # None: shown, or not estimable. A withheld figure is said to be, not "not estimated".
    median_withheld: str | None = None
    p90_withheld: str | None = None
    share_withheld: str | None = None
    as_of: AsOf | None = None  # set: an earlier release's figures (held), not this one's


@dataclass(frozen=True)
class PlaceFigures:
    """What the report shows: people counted, each wait with figures, the rest by name."""

    respondents: int | None  # None when hidden
    shown: tuple[KeyFigure, ...]  # this release's figures
    hidden: tuple[str, ...]  # series hidden here that no earlier release showed: named only
    without_answers: tuple[str, ...]  # series nobody here answered
    held: tuple[KeyFigure, ...] = ()  # series hidden here, as an earlier release showed them
    held_respondents: HeldCount | None = None  # the people count, when hidden here and held

    @property
    def headline(self) -> KeyFigure | None:
        """The wait most people here answered whose share over the standard is estimated."""
        # This release's figures only, never a held one: the headline (and the share card
        # and description made from it) is said as this release's, with no "as of" beside it.
        estimated = [row for row in self.shown
                     if row.share_over_standard is not None and row.as_of is None]
        return max(estimated, key=lambda row: row.count, default=None)


def key_figures(view: View) -> PlaceFigures:
    """The report's figures of one view (already protected: hidden groups carry nothing of
    this release's; those an earlier release showed carry what it showed, `held`)."""
    shown: list[KeyFigure] = []
    held: list[KeyFigure] = []
    hidden: list[str] = []
    empty: list[str] = []
    for series in view.series:
        group = series.group
        if group.held is not None:  # hidden here, shown by an earlier release
            held.append(key_figure(series.series, series.standard_days, group.held.count,
                                   group.held.figures, as_of(group.held)))
        elif group.suppressed or (group.count and group.figures is None):
            # Hidden, or its count shown and its figures withheld (they would give a hidden
            # count back, `protection.withheld_figures`): people answered, none is "nobody".
            hidden.append(series.series)
        elif not group.count or group.figures is None:
            empty.append(series.series)
        else:
            shown.append(key_figure(series.series, series.standard_days, group.count,
                                    group.figures))
    people = view.respondents
    held_people = None if people.held is None else HeldCount(people.held.count,
                                                             as_of(people.held))
    return PlaceFigures(None if people.suppressed else people.count, tuple(shown),
                        tuple(hidden), tuple(empty), tuple(held), held_people)


# The figures of a held group whose earlier release showed its count alone: withheld, as that
# release withheld them (they would have given a hidden count back), for `cell_kind`.
_FIGURES_WITHHELD = FEW_ANSWERS


def key_figure(series: str, standard_days: int | None, count: int, figures: Summary | None,
               held_as_of: AsOf | None = None) -> KeyFigure:
    """One wait's row from the figures a release holds (`figures` None: its count alone)."""
    has_standard = standard_days is not None
    if figures is None:
        nothing = Percentile(0.5, None, None)
        return KeyFigure(series=series, count=count, standard_days=standard_days,
                         median=nothing, p90=Percentile(0.9, None, None),
                         share_over_standard=None, n_over_standard=None if has_standard else 0,
                         share_gave_up=None, n_in_estimate=count,
                         median_withheld=_FIGURES_WITHHELD, p90_withheld=_FIGURES_WITHHELD,
                         share_withheld=_FIGURES_WITHHELD if has_standard else None,
                         as_of=held_as_of)
    return KeyFigure(
        series=series, count=count, standard_days=standard_days, median=figures.median,
        p90=figures.p90,
        share_over_standard=figures.share_over_standard if has_standard else None,
        n_over_standard=figures.n_over_standard if has_standard else 0,
        share_gave_up=figures.share_gave_up, n_in_estimate=figures.n_in_estimate,
        median_range=uncertainty.median(figures),
        p90_range=uncertainty.percentile(figures, "p90"),
        share_range=uncertainty.share_over_standard(figures) if has_standard else None,
        median_withheld=uncertainty.withheld(figures, "median"),
        p90_withheld=uncertainty.withheld(figures, "p90"),
        share_withheld=uncertainty.withheld(figures, "share_over_standard")
        if has_standard else None,
        as_of=held_as_of)


@dataclass(frozen=True)
class PlaceRow:
    """One region or facility within the report's place, for one wait."""

    key: str
    label: str  # a place's name, or the msgid of the "not given" group (`not_stated`)
    not_stated: bool
    count: int
    median: Percentile
    share_over_standard: float | None
    median_range: uncertainty.Range | None = None
    share_range: uncertainty.Range | None = None
    median_withheld: str | None = None  # as KeyFigure's
    share_withheld: str | None = None
    as_of: AsOf | None = None  # as KeyFigure's: set, an earlier release's figures


@dataclass(frozen=True)
class PlacesWithin:
    """The places inside the report's place (regions of the site, facilities of a region)
    for one wait: the shown ones, most over the standard first; apart, the hidden ones an
    earlier release showed, as it showed them, in the same order; how many of the rest."""

    series: str
    breakdown: str  # "region" or "facility"
    shown: tuple[PlaceRow, ...]
    hidden: int  # hidden here and shown by no earlier release
    has_standard: bool = True  # the wait has a legal standard (a share over it means something)
    held: tuple[PlaceRow, ...] = ()


def places_within(view: View, series_name: str) -> PlacesWithin | None:
    """The regions or facilities breakdown of one wait, if the view has one (not a facility's)."""
    series = next((s for s in view.series if s.series == series_name), None)
    if series is None:
        return None
    breakdown = next((b for b in series.group.breakdowns if b.name in ("region", "facility")),
                     None)
    if breakdown is None:
        return None
    has_standard = series.standard_days is not None
    shown = [place_row(group, group.count, group.figures, has_standard)
             for group in breakdown.groups
             if not group.suppressed and group.count and group.figures is not None]
    # Never sorted in among this release's: a reader compares places of one release.
    held = [place_row(group, group.held.count, group.held.figures, has_standard,
                      as_of(group.held))
            for group in breakdown.groups if group.held is not None]
    hidden = sum(1 for group in breakdown.groups if group.suppressed and group.held is None)
    return PlacesWithin(series_name, breakdown.name, _most_over_first(shown), hidden,
                        has_standard, _most_over_first(held))


def place_row(group: ShownGroup[Summary], count: int, figures: Summary | None,
              has_standard: bool, held_as_of: AsOf | None = None) -> PlaceRow:
    """A place's row from the figures a release holds (`figures` None: its count alone)."""
    not_stated = "|none:" in group.key
    if figures is None:
        return PlaceRow(group.key, group.label, not_stated, count, Percentile(0.5, None, None),
                        None, median_withheld=_FIGURES_WITHHELD,
                        share_withheld=_FIGURES_WITHHELD if has_standard else None,
                        as_of=held_as_of)
    return PlaceRow(group.key, group.label, not_stated, count, figures.median,
                    figures.share_over_standard if has_standard else None,
                    uncertainty.median(figures),
                    uncertainty.share_over_standard(figures) if has_standard else None,
                    uncertainty.withheld(figures, "median"),
                    uncertainty.withheld(figures, "share_over_standard")
                    if has_standard else None, held_as_of)


def _most_over_first(rows: list[PlaceRow]) -> tuple[PlaceRow, ...]:
    return tuple(sorted(rows, key=lambda row: (row.share_over_standard is None,
                                               -(row.share_over_standard or 0), row.label)))


def _given(value: Percentile) -> bool:
    return value.days is not None or value.more_than is not None


# A count the release gives as None is always withheld (1 to STATS_MIN_CELL - 1, or one that
# would give such a one back): its reason, for `cell_kind`.
_COUNT_WITHHELD = FEW_ANSWERS


def key_figure_kinds(row: KeyFigure) -> dict[str, Kind]:
    """What each figure's cell of the report's table holds (`presenter.cell_kind`), by its
    field: the figure, "–" where no legal standard applies, or why the release gives none."""
    has_standard = row.standard_days is not None
    return {
        "standard": Kind.SHOWN if has_standard else Kind.NOT_APPLICABLE,
        "median": cell_kind(_given(row.median), row.median_withheld),
        "p90": cell_kind(_given(row.p90), row.p90_withheld),
        "share_over_standard": cell_kind(row.share_over_standard is not None,
                                         row.share_withheld, has_standard),
        "n_over_standard": cell_kind(row.n_over_standard is not None, _COUNT_WITHHELD,
                                     has_standard),
        "share_gave_up": cell_kind(row.share_gave_up is not None, _COUNT_WITHHELD),
    }


def place_row_kinds(row: PlaceRow, has_standard: bool) -> dict[str, Kind]:
    """The same for a row of the places within (median and share over the standard)."""
    return {
        "median": cell_kind(_given(row.median), row.median_withheld),
        "share_over_standard": cell_kind(row.share_over_standard is not None,
                                         row.share_withheld, has_standard),
    }
