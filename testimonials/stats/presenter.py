"""What the release page shows of a protected view: headlines, charts and tables, as text.

Pure: the words come in as `Words` (translation and number formats of the reader's language),
so templates only place what is here. Hidden groups show one marker, `Words.hidden`, in a
table's cell or after a colon; where a sentence would state a hidden count of people, the
sentence `Words.people_withheld` stands instead. A figure the release does not give says why
in its cell (`cell_kind`: withheld to protect privacy, too uncertain to publish, not
estimated), and its table says in a footnote what each means (`kind_notes`): "–" stands only
where no legal standard applies. A hidden group that an earlier release showed
(`ShownGroup.held`) is listed apart, in a table of its own under the figure's (`held`), each
row saying which release and date its figures are from and linking to that release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from testimonials.stats import charts, quarters, uncertainty
from testimonials.stats.headlines import Headline, headlines, standard_name
from testimonials.stats.intervals import EXTREME, FEW_ANSWERS, TOO_UNCERTAIN, Estimate
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.methods import N_
from testimonials.stats.page import Series, View
from testimonials.stats.quarters import MONTH, QUARTER
from testimonials.stats.report import Held, ShownGroup
from testimonials.stats.summary import Summary
from testimonials.stats.universe import CARE_LABELS, NOT_STATED_LABELS, SERIES_LABELS
from testimonials.waits import MAX_DAYS  # the longest wait stored: the open last band ends here

DASH = "–"


class Kind(StrEnum):
    """What a figure's cell holds: the figure, or why there is none. Each reads differently,
    so that "–" says one thing only (no legal standard applies) and a figure held back is
    never taken for one that has no meaning here; its CSS class is `figure-<kind>`."""

    SHOWN = "shown"
    NOT_APPLICABLE = "not-applicable"  # "–": no legal standard applies to this wait
    NOT_ESTIMATED = "not-estimated"  # the answers do not reach it (no wait with days...)
    WITHHELD = "withheld"  # to protect privacy (`intervals.FEW_ANSWERS`, `EXTREME`)
    TOO_UNCERTAIN = "too-uncertain"  # `intervals.TOO_UNCERTAIN`


# A cell's words for each kind of missing figure, those of the release's own reasons.
KIND_TEXTS = {
    Kind.NOT_APPLICABLE: DASH,
    Kind.NOT_ESTIMATED: N_("not estimated"),
    Kind.WITHHELD: N_("withheld to protect privacy"),
    Kind.TOO_UNCERTAIN: N_("too uncertain to publish"),
}
# What a screen reader says for "–", which it would read as a dash or not at all.
NOT_APPLICABLE_SPOKEN = N_("no legal standard applies")
# The footnote under a table, one line for each kind of missing figure it holds.
KIND_NOTES = {
    Kind.NOT_APPLICABLE: N_("–: no legal standard applies to this wait."),
    Kind.NOT_ESTIMATED: N_("Not estimated: these answers do not reach this figure (none gives "
                           "a number of days, or too many people are still waiting)."),
    Kind.WITHHELD: N_("Withheld to protect privacy: the figure would rest on too few answers, "
                      "or would give away a number too small to show."),
    Kind.TOO_UNCERTAIN: N_("Too uncertain to publish: the range it likely lies in is too "
                           "wide to say anything useful."),
}


def cell_kind(shown: bool, withheld: str | None, applies: bool = True) -> Kind:
    """What the cell of one figure says: `shown`, whether the release gives it; `withheld`,
    the reason it stores for holding it back (`uncertainty.withheld`, None: none); `applies`,
    False where the figure has no meaning (a share over the standard without a standard)."""
    if not applies:
        return Kind.NOT_APPLICABLE
    if shown:
        return Kind.SHOWN
    if withheld == TOO_UNCERTAIN:
        return Kind.TOO_UNCERTAIN
    if withheld is not None:  # too few answers, or one that would give a count away
        return Kind.WITHHELD
    return Kind.NOT_ESTIMATED


def missing_cell(kind: Kind, translate: Callable[[str], str], numeric: bool = False) -> Cell:
    """The cell of a figure not given, in the words of its kind ("–" said aloud as what it
    means)."""
    spoken = translate(NOT_APPLICABLE_SPOKEN) if kind is Kind.NOT_APPLICABLE else ""
    return Cell(translate(KIND_TEXTS[kind]), numeric=numeric, kind=kind, spoken=spoken)


def kind_notes(kinds: Iterable[Kind], translate: Callable[[str], str]) -> tuple[str, ...]:
    """The footnote of a table holding cells of these kinds: what each missing figure means,
    in the order of `KIND_NOTES`."""
    present = set(kinds)
    return tuple(translate(note) for kind, note in KIND_NOTES.items() if kind in present)


@dataclass(frozen=True)
class Words:
    """The reader's language: translations and number formats."""

    translate: Callable[[str], str]
    ngettext: Callable[..., str]  # (singular, plural, n, **values): the plural form for n
    number: Callable[[int], str]
    percent: Callable[[float], str]
    days: Callable[[int], str]  # "21 days"
    more_than: Callable[[int], str]  # "more than 730 days"
    month: Callable[[str], str]  # "2024-05" -> "May 2024"
    short_month: Callable[[str], str]  # "2024-05" -> "May 2024" as short as the language has
    hidden: str  # the one marker of a hidden group
    people_withheld: str  # the sentence said where a count of people is hidden
    date: Callable[[dt.date], str] = dt.date.isoformat  # "30 Nov 2026"


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    hidden: bool = False
    kind: Kind = Kind.SHOWN
    spoken: str = ""  # said to a screen reader instead of `text` (which it is not shown)
    href: str = ""  # the cell's text links here (an earlier release, for held figures)

    @property
    def css(self) -> str:
        return " ".join(name for name, on in (
            ("num", self.numeric), ("hidden-group", self.hidden),
            (f"figure-{self.kind}", self.kind is not Kind.SHOWN)) if on)


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()  # what the table's missing figures mean (`kind_notes`)
    id: str = ""  # names the notes, which the table is described by

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return tuple(cell.kind for row in self.rows for cell in row)


@dataclass(frozen=True)
class Figure:
    id: str
    heading: str
    chart: charts.Chart | None
    table: Table
    note: str = ""
    legend: tuple[tuple[str, str], ...] = ()  # (CSS class of the swatch, label)
    summary: str = ""  # what the chart shows, in a sentence or two (also its text alternative)
    held: Table | None = None  # hidden groups, as the latest earlier release that showed them


@dataclass(frozen=True)
class Page:
    headlines: tuple[Headline, ...]
    wait: Figure | None  # how long people waited for the chosen wait (None: no answers)
    places: tuple[Figure, ...]  # regions, then facilities: shown groups only
    cares: Figure | None
    trend: Figure | None
    glance: Table
    outcomes: Figure
    series: str  # the wait the place, care and quarter figures show
    more_heading: str = ""  # what the folded figures are: "By care type and by quarter"
    held_glance: Table | None = None  # hidden waits, as an earlier release showed them

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure with a chart, for the downloads."""
        found = (self.wait, *self.places, self.cares, self.trend, self.outcomes)
        return tuple(f for f in found if f is not None and f.chart is not None)


# The x axis of the wait histograms: to a year when anyone waited past six months.
_LAST_BAND_TO = 366
_TICKS = (0, 30, 90, 180, 365)


def _bins(figures: Summary, axis_end: int) -> list[charts.Bin]:
    """The histogram's bars: one per band, the bands withheld (`inner.protect_bands`) drawn
    as one bar when they are side by side: their sum, the answers with days less the shown
    bands, is published anyway, and is never below the minimum cell. Withheld bands apart
    from one another cannot be drawn truly: no bars (the table says why)."""
    found: list[charts.Bin] = []
    withheld = [index for index, cell in enumerate(figures.bands) if cell.total is None]
    if withheld and withheld != list(range(withheld[0], withheld[-1] + 1)):
        return []
    rest = figures.n_in_estimate - sum(cell.total or 0 for cell in figures.bands)
    for index, cell in enumerate(figures.bands):
        if withheld and index in withheld[1:]:
            continue
        low = cell.band.low
        band = figures.bands[withheld[-1]].band if withheld and index == withheld[0] \
            else cell.band
        count = rest if withheld and index == withheld[0] else cell.total or 0
        found.append(charts.Bin(low, band.high if band.high is not None else axis_end - 1,
                                count, (band.high if band.high is not None else MAX_DAYS)
                                - low + 1))
    return found


class Presenter:
    """Turns one view into the page's figures, in one language.

    `standard_names` gives each wait's standard as the law words it ("10 business days"),
    for the waits whose configured standard is the one the release measured against.
    """

    def __init__(self, view: View, words: Words,
                 standard_names: Mapping[str, str] | None = None,
                 link: Callable[[int], str] | None = None) -> None:
        self.view, self.words, self._ = view, words, words.translate
        self.names = dict(standard_names or {})
        self.link = link  # release number -> its page (same filters); None: no links

    def page(self, series_name: str) -> Page:
        chosen = next(s for s in self.view.series if s.series == series_name)
        found = {b.name: b.groups for b in chosen.group.breakdowns}
        cares = (self.dots(chosen, "care", found["care"], N_("By care type"))
                 if "care" in found else None)
        periods, period = self._periods(found)
        trend = self.trend(chosen, periods, period)
        by_time = N_("By quarter") if period == QUARTER else N_("By month")
        more = (N_("By care type and by quarter") if period == QUARTER
                else N_("By care type and by month")) if cares and trend else (
            N_("By care type") if cares else by_time)
        return Page(
            headlines(self.view.series, self.words, self.names),
            self.histogram(chosen) if chosen.group.suppressed or chosen.group.count else None,
            tuple(self.places(chosen, found)), cares, trend,
            self.glance(), self.outcomes(), series_name, self._(more), self.held_glance())

    # Words for figures.
    def label(self, group: ShownGroup[Summary], breakdown: str) -> str:
        if "|none:" in group.key:
            return self._(NOT_STATED_LABELS[breakdown])
        if breakdown == "care":
            return self._(CARE_LABELS[int(group.key.rsplit("care=", 1)[1])])
        if breakdown == "month":
            return self.words.month(group.label)
        if breakdown == QUARTER:
            return quarters.label(group.label, self._)
        return group.label

    @staticmethod
    def _periods(found: Mapping[str, Sequence[ShownGroup[Summary]]]
                 ) -> tuple[Sequence[ShownGroup[Summary]], str]:
        """The time breakdown of a view: quarters, or months in releases before format 3."""
        name = QUARTER if QUARTER in found else MONTH
        return found.get(name, ()), name

    def percentile(self, value: Percentile) -> str:
        if value.days is not None:
            return self.words.days(value.days)
        return self.words.more_than(value.more_than) if value.more_than is not None else DASH

    def median_text(self, figures: Summary) -> str:
        """The median as a chart writes it, with its 95% interval: "34 days (30–41)"."""
        text = self.percentile(figures.median)
        found = uncertainty.median(figures)
        if found is None:
            return text
        low = self.words.number(round(found.low))
        if found.high is not None:
            return f"{text} ({low}–{self.words.number(round(found.high))})"
        if found.more_than is None:
            return text
        return self._(N_("%(median)s (%(low)s to more than %(high)s)")) % {
            "median": text, "low": low, "high": self.words.number(found.more_than)}

    def with_interval(self, text: str, estimate: Estimate | None, as_text: Callable[[float], str]
                      ) -> str:
        """"45 days (95% CI 38 days to 52 days)": an estimate's text with its interval."""
        if estimate is None or estimate.value is None or estimate.low is None or text == DASH:
            return text
        if estimate.high is not None:
            high = as_text(estimate.high)
        elif estimate.high_more_than is not None:
            high = self.words.more_than(estimate.high_more_than)
        else:
            return text
        return self._(N_("%(estimate)s (95%% CI %(low)s to %(high)s)")) % {
            "estimate": text, "low": as_text(estimate.low), "high": high}

    def band_cell(self, value: int | None) -> Cell:
        """A band's count, or the one marker when it is withheld (`inner.protect_bands`)."""
        if value is None:
            return Cell(self.words.hidden, hidden=True)
        return Cell(self.words.number(value), numeric=True)

    def kind_cell(self, kind: Kind, text: str = "") -> Cell:
        """A figure's cell: its `text` when shown, else the words of its kind."""
        if kind is Kind.SHOWN:
            return Cell(text, numeric=True)
        return missing_cell(kind, self._, numeric=True)

    def figure_cell(self, text: str, figures: Summary, name: str, applies: bool = True) -> Cell:
        """The cell of estimate `name` of `figures` ("median", "share_over_standard"...),
        written `text` (DASH: not given)."""
        return self.kind_cell(cell_kind(text != DASH, uncertainty.withheld(figures, name),
                                        applies), text)

    def noted(self, table: Table, table_id: str = "") -> Table:
        """The table with the footnote its missing figures need."""
        return replace(table, notes=kind_notes(table.kinds, self._), id=table_id)

    def count_cell(self, group: ShownGroup[Summary]) -> Cell:
        if group.suppressed:
            return Cell(self.words.hidden, hidden=True)
        return Cell(self.words.number(group.count or 0), numeric=True)

    def share(self, summary: Summary | None, standard: int | None) -> str:
        """The share over the standard with its 95% interval, as the tables write it."""
        if summary is None or standard is None or summary.share_over_standard is None:
            return DASH
        return self.with_interval(self.words.percent(summary.share_over_standard),
                                  None if summary.intervals is None
                                  else summary.intervals.share_over_standard,
                                  self.words.percent)

    def median(self, summary: Summary) -> str:
        """The median with its 95% interval, as the tables write it."""
        return self.with_interval(self.percentile(summary.median),
                                  None if summary.intervals is None
                                  else summary.intervals.median,
                                  lambda days: self.words.days(int(days)))

    def head(self, *names: str) -> tuple[Cell, ...]:
        return tuple(Cell(self._(name), numeric=index > 0) for index, name in enumerate(names))

    def standard_name(self, s: Series) -> str:
        return standard_name(s, self.names, self.words)

    def _mark(self, s: Series) -> charts.Mark | None:
        """The standard on a chart: its legal name, with calendar days when they differ."""
        if s.standard_days is None:
            return None
        name, days = self.standard_name(s), self.words.days(s.standard_days)
        label = name if name == days else self._(N_("%(standard)s (%(days)s)")) % {
            "standard": name, "days": self.words.ngettext(
                "%(count)s calendar day", "%(count)s calendar days", s.standard_days,
                count=self.words.number(s.standard_days))}
        return charts.Mark(s.standard_days, label)

    # The figures.
    def glance(self) -> Table:
        rows = []
        for s in self.view.series:
            figures, standard = s.group.figures, s.standard_days
            cells = [Cell(self._(SERIES_LABELS[s.series])), self.count_cell(s.group)]
            law = (Cell(self.standard_name(s), numeric=True) if standard is not None
                   else self.kind_cell(Kind.NOT_APPLICABLE))
            if figures is None:
                # Hidden, or its count shown and its figures withheld (they would give a hidden
                # count back): held back to protect people; else nobody answered.
                kind = (Kind.WITHHELD if s.group.suppressed or s.group.count
                        else Kind.NOT_ESTIMATED)
                missing = self.kind_cell(kind)
                over = missing if standard is not None else self.kind_cell(Kind.NOT_APPLICABLE)
                cells += [missing, law, over, missing, missing, missing, missing]
            else:
                cells += [
                    self.figure_cell(self.median(figures), figures, "median"),
                    law,
                    self.figure_cell(self.share(figures, standard), figures,
                                     "share_over_standard", applies=standard is not None),
                    Cell(self._(N_("%(gave_up)s / %(never_offered)s")) % {
                        "gave_up": self._state_share(figures.share_gave_up),
                        "never_offered": self._state_share(figures.share_never_offered)},
                        numeric=True),
                    *(self.figure_cell(self.percentile(p), figures, name)
                      for p, name in ((figures.p25, "p25"), (figures.p75, "p75"),
                                      (figures.p90, "p90"))),
                ]
            rows.append(tuple(cells))
        return self.noted(Table(
            self._(N_("Waits at a glance")),
            self.head(N_("Wait"), N_("Answers"), N_("Median"), N_("Legal standard"),
                      N_("Over the standard (estimate)"), N_("Gave up / never offered"),
                      N_("25th percentile"), N_("75th percentile"), N_("90th percentile")),
            tuple(rows)), "glance")

    def _state_share(self, share: float | None) -> str:
        """A share of all answers, or the one marker where its count is withheld."""
        return self.words.hidden if share is None else self.words.percent(share)

    def histogram(self, s: Series) -> Figure:
        """How long people waited, on a true day axis, the part over the standard coloured."""
        name = self._(SERIES_LABELS[s.series])
        heading = self._(N_("%(wait)s: how long people waited")) % {"wait": name}
        figures = s.group.figures
        if figures is None:
            # A hidden group: its count too, said in a sentence; else a shown count whose
            # figures are withheld (`protection.withheld_figures`): the marker, as before.
            return Figure(f"waits-{s.series}", heading, None, Table(heading, (), ()),
                          self.words.people_withheld if s.group.suppressed
                          else self.words.hidden)
        last = figures.bands[-1].band
        axis_end = _LAST_BAND_TO if figures.bands[-1].total != 0 else last.low
        bins = _bins(figures, axis_end)
        ticks = [(t, self.words.number(t)) for t in _TICKS if t <= axis_end]
        ticks[-1] = (ticks[-1][0], self.words.days(ticks[-1][0]))
        mark = self._mark(s)
        with_days = figures.n_in_estimate
        if mark is not None and figures.n_over_standard is not None:
            summary = self._(N_(
                "%(over)s of the %(count)s answers with a number of days were already longer "
                "than the standard of %(standard)s (the coloured part).")) % {
                "over": self.words.number(figures.n_over_standard),
                "count": self.words.number(with_days), "standard": self.standard_name(s)}
            share = self.share(figures, s.standard_days)
            if share == DASH and self._share_protected(figures):
                # Withheld beside enough answers (it would give a withheld count back): not
                # "too few answers", which a reader would take for the count just given.
                summary += " " + self._(N_(
                    "The share of all waits longer than the standard is withheld to protect "
                    "privacy: it would give away a number too small to show."))
            elif share == DASH:  # not given: say so, rather than "an estimated – of waits"
                summary += " " + self._(N_(
                    "Too few answers to estimate the share of all waits, counting people "
                    "still waiting, that are longer than the standard."))
            else:
                summary += " " + self._(N_(
                    "Counting people still waiting, an estimated %(share)s of waits are "
                    "longer than the standard.")) % {"share": share}
        else:
            summary = self._(N_("%(count)s answers with a number of days.")) % {
                "count": self.words.number(with_days)}
        description = " ".join((summary, self._(N_(
            "Each bar is as wide as the waits it counts and its height is answers per week of "
            "wait, so its area is its number of answers; waits over six months are spread to "
            "730 days and drawn up to a year. The table gives every number."))))
        chart = charts.wait_histogram(
            f"waits-{s.series}", heading, description, bins, mark, axis_end, ticks,
            self._(N_("Answers per week of wait")), self.words.number) if bins else None
        rows = tuple(
            (Cell(self._(c.band.label)), *(self.band_cell(v) for v in (
                c.ended, c.waiting,
                None if c.gave_up is None or c.never_offered is None
                else c.gave_up + c.never_offered, c.total)))
            for c in figures.bands)
        table = Table(heading, self.head(N_("Wait"), N_("Waits that ended"),
                                         N_("People still waiting"),
                                         N_("Gave up or never offered"), N_("All answers")),
                      rows)
        note = ""
        if any(c.withheld or c.total is None for c in figures.bands):
            note = self._(N_("Cells of fewer than %(min_cell)s answers, and those that would "
                             "give them away, are not shown: %(marker)s.")) % {
                "min_cell": self.words.number(self.view.min_cell), "marker": self.words.hidden}
        # The answers without days, together: the count less those with days (both shown).
        if figures.count - figures.n_in_estimate:
            count = figures.count - figures.n_in_estimate
            without = self.words.ngettext(
                "%(count)s person gave up, or was never offered an appointment, without saying "
                "after how long; they are in no bar.",
                "%(count)s people gave up, or were never offered an appointment, without saying "
                "after how long; they are in no bar.",
                count, count=self.words.number(count))
            note = f"{note} {without}" if note else without
        legend: tuple[tuple[str, str], ...] = (
            ("swatch-within", self._(N_("Within the standard"))),)
        if mark is not None:
            legend += (("swatch-over", self._(N_("Longer than the standard"))),
                       ("swatch-standard", mark.label))
        return Figure(f"waits-{s.series}", heading, chart, table, note, legend, summary)

    def _share_protected(self, figures: Summary) -> bool:
        """Whether the release withholds the share over the standard to protect people (its
        stored reason) though the answers it would rest on are not too few."""
        reason = uncertainty.withheld(figures, "share_over_standard")
        return reason == EXTREME or (reason == FEW_ANSWERS
                                     and figures.n_in_estimate >= self.view.min_cell)

    def places(self, s: Series, found: Mapping[str, Sequence[ShownGroup[Summary]]]
               ) -> list[Figure]:
        figures = []
        if "region" in found:
            figures.append(self.dots(s, "region", found["region"], N_("By region")))
            facilities = [child for region in found["region"] for b in region.breakdowns
                          if b.name == "facility" for child in b.groups]
            figures.append(self.dots(s, "facility", facilities, N_("By facility")))
        if "facility" in found:
            figures.append(self.dots(s, "facility", found["facility"], N_("By facility")))
        return [figure for figure in figures if figure.table.rows or figure.note]

    @staticmethod
    def _has_median(group: ShownGroup[Summary]) -> bool:
        median = group.figures.median if group.figures is not None else None
        return median is not None and (median.days is not None or median.more_than is not None)

    def _dot(self, group: ShownGroup[Summary], label: str) -> charts.Dot:
        figures = group.figures
        assert figures is not None
        median = figures.median
        value = median.days if median.days is not None else (median.more_than or 0)
        found = uncertainty.median(figures)
        return charts.Dot(label, value, self.median_text(figures),
                          found.low if found else None, found.high if found else None,
                          median.days is None, self.percentile(median))

    def _median_table(self, s: Series, caption: str, first: str,
                      rows: Sequence[tuple[ShownGroup[Summary], str]], table_id: str) -> Table:
        body = tuple(
            (Cell(label), self.count_cell(g),
             self.figure_cell(self.median(g.figures), g.figures, "median")
             if g.figures else self.kind_cell(Kind.WITHHELD),
             self.figure_cell(self.share(g.figures, s.standard_days), g.figures,
                              "share_over_standard", applies=s.standard_days is not None)
             if g.figures else self.kind_cell(Kind.WITHHELD))
            for g, label in rows)
        return self.noted(Table(caption, self.head(first, N_("Answers"), N_("Median"),
                                                   N_("Over the standard (estimate)")), body),
                          table_id)

    def _dot_legend(self, s: Series, dots: Sequence[charts.Dot]
                    ) -> tuple[tuple[str, str], ...]:
        legend = [("swatch-dot", self._(N_("Median wait")))]
        mark = self._mark(s)
        if mark is not None:
            legend += [("swatch-dot-over", self._(N_("Median longer than the standard"))),
                       ("swatch-standard", mark.label)]
        if any(d.low is not None for d in dots):
            legend.append(("swatch-ci", self._(N_("Likely range (95%)"))))
        if any(d.open_ended for d in dots):
            legend.append(("swatch-open", self._(N_(
                "More than this: too many still waiting to say"))))
        return tuple(legend)

    def dots(self, s: Series, breakdown: str, groups: Sequence[ShownGroup[Summary]],
             heading: str) -> Figure:
        """A sorted dot chart of the shown groups; the hidden ones summed up in one line."""
        title = self._(N_("Median wait %(by)s: %(wait)s")) % {
            "by": self._(heading).lower(), "wait": self._(SERIES_LABELS[s.series])}
        listed = [g for g in groups if g.suppressed or g.count]
        shown = [(g, self.label(g, breakdown)) for g in listed if g.figures is not None]
        hidden = len(listed) - len(shown)
        shown.sort(key=lambda item: (-self._dot(*item).value, item[1]))
        # A group whose median the release does not give (too few days) is in the table only.
        dots = [self._dot(g, label) for g, label in shown if self._has_median(g)]
        note = ""
        if hidden:
            note = self._(N_("%(hidden)s of %(groups)s groups not shown: %(marker)s.")) % {
                "hidden": self.words.number(hidden), "groups": self.words.number(len(listed)),
                "marker": self.words.hidden}
        summary = ""
        if len(dots) == 1:
            summary = self._(N_("The median wait is %(median)s (%(name)s).")) % {
                "median": dots[0].text, "name": dots[0].label}
        elif dots:
            summary = self._(N_(
                "The longest median wait is %(longest)s (%(first)s), the shortest %(shortest)s "
                "(%(last)s).")) % {"longest": dots[0].text, "first": dots[0].label,
                                   "shortest": dots[-1].text, "last": dots[-1].label}
        description = " ".join((summary, self._(N_(
            "One row per group, longest median first: a dot at the median wait in days, on a "
            "scale from 0, with the standard marked in each row. The table gives every "
            "number."))))
        chart = None
        if dots:
            chart = charts.dot_chart(f"{breakdown}-{s.series}", title, description, dots,
                                     self._mark(s), self.words.number, self.words.days)
        first = {"region": N_("Region"), "facility": N_("Facility"),
                 "care": N_("Care type")}[breakdown]
        held = [(g, self.label(g, breakdown)) for g in listed if g.held is not None]
        note = self._held_note(note, len(held))
        return Figure(f"{breakdown}-{s.series}", self._(heading), chart,
                      self._median_table(s, title, first, shown, f"{breakdown}-{s.series}"), note,
                      self._dot_legend(s, dots), summary, self.held_table(s, first, held))

    def trend(self, s: Series, groups: Sequence[ShownGroup[Summary]], period: str = QUARTER
              ) -> Figure | None:
        """The median of each quarter (releases before format 3: month) with its interval."""
        by_quarter = period == QUARTER
        title = self._(N_("Median wait by quarter of the experience: %(wait)s") if by_quarter
                       else N_("Median wait by month of the experience: %(wait)s")) % {
            "wait": self._(SERIES_LABELS[s.series])}
        periods = [g for g in groups if "|none:" not in g.key]
        if not periods:
            return None
        points = [self._dot(g, self.label(g, period)) if self._has_median(g) else None
                  for g in periods]
        years: list[str] = []
        if by_quarter:
            labels = [quarters.short_label(g.label, self._) for g in periods]
            years = [g.label[:4] if index == 0 or g.label[:4] != periods[index - 1].label[:4]
                     else "" for index, g in enumerate(periods)]
        elif len(periods) > 12:
            labels = [g.label[:4] if g.label[5:] == "01" else "" for g in periods]
        else:
            labels = [self.words.short_month(g.label) if index % 3 == 0 else ""
                      for index, g in enumerate(periods)]
        shown = [p for p in points if p is not None]
        if by_quarter:
            summary = self._(N_("%(shown)s of %(quarters)s quarters have a published median."
                                )) % {"shown": self.words.number(len(shown)),
                                      "quarters": self.words.number(len(periods))}
            if shown:
                summary = " ".join((summary, self._(N_(
                    "In the latest, %(quarter)s, the median wait was %(median)s.")) % {
                    "quarter": shown[-1].label, "median": shown[-1].text}))
            about = N_(
                "One column per quarter, in time order: a dot at the median wait in days and "
                "a line over its likely range. Quarters hidden to protect privacy (too few "
                "answers, or too small a change since the last release) are shown as a short "
                "grey mark. The table gives every number.")
        else:
            summary = self._(N_("%(shown)s of %(months)s months have a published median.")) % {
                "shown": self.words.number(len(shown)), "months": self.words.number(len(periods))}
            about = N_(
                "One column per month, in time order: a dot at the median wait in days. Months "
                "with too few answers are hidden to protect privacy and shown as a short grey "
                "mark. The table gives every number.")
        description = " ".join((summary, self._(about)))
        chart = charts.trend_chart(f"{period}-{s.series}", title, description, points, labels,
                                   self._mark(s), self.words.number,
                                   self._(N_("Median wait in days")), years)
        # The table lists the periods with figures; the others are counted in one line.
        listed = [g for g in groups if g.suppressed or g.count]
        rows = [(g, self.label(g, period)) for g in listed if g.figures is not None]
        note = ""
        if len(rows) < len(listed):
            note = self._(N_("%(hidden)s of %(groups)s groups not shown: %(marker)s.")) % {
                "hidden": self.words.number(len(listed) - len(rows)),
                "groups": self.words.number(len(listed)), "marker": self.words.hidden}
        heading, first = ((N_("By quarter"), N_("Quarter")) if by_quarter
                          else (N_("By month"), N_("Month")))
        held = [(g, self.label(g, period)) for g in listed if g.held is not None]
        note = self._held_note(note, len(held))
        return Figure(f"{period}-{s.series}", self._(heading), chart,
                      self._median_table(s, title, first, rows, f"{period}-{s.series}"), note,
                      self._dot_legend(s, shown), summary, self.held_table(s, first, held))

    def outcomes(self) -> Figure:
        people = self.view.respondents
        heading = self._(N_("What happened as a result"))
        bars, rows = [], []
        for group in self.view.outcomes:
            label = self._(group.label)
            share = DASH
            if group.count is not None and people.count:
                share = self.words.percent(group.count / people.count)
            if not group.suppressed:
                bars.append(charts.Bar(label, group.count,
                                       f"{self.words.number(group.count or 0)} · {share}"))
            rows.append((Cell(label), self.count_cell(group), Cell(share, numeric=True)
                         if share != DASH else self.kind_cell(
                             Kind.WITHHELD if group.suppressed or people.suppressed
                             else Kind.NOT_ESTIMATED)))
        bars.sort(key=lambda bar: -(bar.value or 0))
        hidden = len(rows) - len(bars)
        note = ""
        if hidden:
            note = self._(N_("%(hidden)s of %(groups)s groups not shown: %(marker)s.")) % {
                "hidden": self.words.number(hidden), "groups": self.words.number(len(rows)),
                "marker": self.words.hidden}
        description = self._(N_(
            "One bar per outcome: how many stories reported it. A story can report several "
            "outcomes or none. The table after the chart gives every number."))
        chart = charts.bar_chart("outcomes", heading, description, bars, width=charts.NARROW)
        table = self.noted(Table(heading, self.head(N_("Outcome"), N_("Stories"),
                                                    N_("Share of stories")), tuple(rows)),
                           "outcomes")
        held = tuple((Cell(self._(g.label)), self._held_count(g.held), self.as_of(g.held))
                     for g in self.view.outcomes if g.held is not None)
        note = self._held_note(note, len(held))
        return Figure("outcomes", heading, chart if bars else None, table, note,
                      held=self._held(self.head(N_("Outcome"), N_("Stories"), N_("Source")),
                                      held))

    # Hidden groups, as the latest earlier release that showed them (`ShownGroup.held`).
    def as_of(self, held: Held[Summary]) -> Cell:
        """Which release, and when, a held figure is from, linking to that release."""
        text = self._(N_("as of release %(number)s, %(date)s")) % {
            "number": held.release, "date": self.words.date(held.date)}
        return Cell(text, numeric=True, href=self.link(held.release) if self.link else "")

    def _held_note(self, note: str, held: int) -> str:
        """A figure's note on its hidden groups, saying how many are given as held."""
        if not held:
            return note
        return f"{note} " + self.words.ngettext(
            "%(count)s of them is given below as an earlier release showed it.",
            "%(count)s of them are given below as earlier releases showed them.",
            held, count=self.words.number(held))

    def _held_count(self, held: Held[Summary]) -> Cell:
        return Cell(self.words.number(held.count), numeric=True)

    def _held(self, head: tuple[Cell, ...], rows: Sequence[tuple[Cell, ...]]) -> Table | None:
        if not rows:
            return None
        # Named by what its rows are (its first column): a page holds one such table per
        # breakdown, and each is a landmark a screen reader lists by this caption.
        return Table(self._(N_("Hidden in this release: as the latest earlier release that "
                               "showed them")) + f" ({head[0].text})", head, tuple(rows))

    def _held_figures(self, s: Series, held: Held[Summary]) -> tuple[Cell, Cell]:
        """The held median and share over the standard, as the tables write them."""
        figures = held.figures
        if figures is None:  # that release showed the count alone
            return self.kind_cell(Kind.WITHHELD), self.kind_cell(Kind.WITHHELD)
        return (self.figure_cell(self.median(figures), figures, "median"),
                self.figure_cell(self.share(figures, s.standard_days), figures,
                                 "share_over_standard", applies=s.standard_days is not None))

    def held_table(self, s: Series, first: str,
                   groups: Sequence[tuple[ShownGroup[Summary], str]]) -> Table | None:
        """The hidden groups of a breakdown that an earlier release showed, with its figures."""
        rows = [(Cell(label), self._held_count(g.held), *self._held_figures(s, g.held),
                 self.as_of(g.held)) for g, label in groups if g.held is not None]
        return self._held(self.head(first, N_("Answers"), N_("Median"),
                                    N_("Over the standard (estimate)"), N_("Source")), rows)

    def held_glance(self) -> Table | None:
        """The waits hidden in this release that an earlier one showed, with its figures."""
        rows = [(Cell(self._(SERIES_LABELS[s.series])), self._held_count(s.group.held),
                 *self._held_figures(s, s.group.held), self.as_of(s.group.held))
                for s in self.view.series if s.group.held is not None]
        return self._held(self.head(N_("Wait"), N_("Answers"), N_("Median"),
                                    N_("Over the standard (estimate)"), N_("Source")), rows)
