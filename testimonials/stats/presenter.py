"""What the /stats page shows of a protected view: tables and charts with ready-made text.

Pure: the words come in as `Words` (translation and number formats of the reader's language),
so templates only place what is here. Hidden groups show one marker, `Words.hidden`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from testimonials.stats import charts
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.methods import N_
from testimonials.stats.page import Series, View
from testimonials.stats.report import ShownGroup
from testimonials.stats.summary import Summary
from testimonials.stats.universe import CARE_LABELS, NOT_STATED_LABELS, SERIES_LABELS

DASH = "–"


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


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    hidden: bool = False

    @property
    def css(self) -> str:
        return " ".join(name for name, on in (("num", self.numeric), ("hidden-group", self.hidden))
                        if on)


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Figure:
    id: str
    heading: str
    chart: charts.Chart | None
    table: Table
    note: str = ""
    legend: tuple[tuple[str, str], ...] = ()  # (CSS class of the swatch, label)


@dataclass(frozen=True)
class Page:
    glance: Table
    distributions: tuple[Figure, ...]
    breakdowns: tuple[Figure, ...]
    outcomes: Figure
    series: str  # the series the breakdown figures show


class Presenter:
    """Turns one view into the page's figures, in one language."""

    def __init__(self, view: View, words: Words) -> None:
        self.view, self.words, self._ = view, words, words.translate

    def page(self, series_name: str) -> Page:
        chosen = next(s for s in self.view.series if s.series == series_name)
        return Page(self.glance(),
                    tuple(self.distribution(s) for s in self.view.series if s.group.count != 0),
                    tuple(self.breakdowns(chosen)), self.outcomes(), series_name)

    # Words for figures.
    def label(self, group: ShownGroup[Summary], breakdown: str) -> str:
        if "|none:" in group.key:
            return self._(NOT_STATED_LABELS[breakdown])
        if breakdown == "care":
            return self._(CARE_LABELS[int(group.key.rsplit("care=", 1)[1])])
        if breakdown == "month":
            return self.words.month(group.label)
        return group.label

    def percentile(self, value: Percentile) -> str:
        if value.days is not None:
            return self.words.days(value.days)
        return self.words.more_than(value.more_than) if value.more_than is not None else DASH

    def count_cell(self, group: ShownGroup[Summary]) -> Cell:
        if group.suppressed:
            return Cell(self.words.hidden, hidden=True)
        return Cell(self.words.number(group.count or 0), numeric=True)

    def share(self, summary: Summary | None, standard: int | None) -> str:
        if summary is None or standard is None or summary.share_over_standard is None:
            return DASH
        return self.words.percent(summary.share_over_standard)

    def head(self, *names: str) -> tuple[Cell, ...]:
        return tuple(Cell(self._(name), numeric=index > 0) for index, name in enumerate(names))

    # The figures.
    def glance(self) -> Table:
        rows = []
        for s in self.view.series:
            figures, standard = s.group.figures, s.standard_days
            cells = [Cell(self._(SERIES_LABELS[s.series])), self.count_cell(s.group)]
            if figures is None:
                cells += [Cell(DASH, numeric=True)] * 7
            else:
                cells += [
                    Cell(self.percentile(figures.median), numeric=True),
                    Cell(self.words.days(standard) if standard is not None else DASH, True),
                    Cell(self.share(figures, standard), numeric=True),
                    Cell(self.words.percent(figures.share_gave_up or 0.0), numeric=True),
                    *(Cell(self.percentile(p), numeric=True)
                      for p in (figures.p25, figures.p75, figures.p90)),
                ]
            rows.append(tuple(cells))
        return Table(self._(N_("Waits at a glance")),
                     self.head(N_("Wait"), N_("Answers"), N_("Median"), N_("Legal standard"),
                               N_("Over the standard (estimate)"),
                               N_("Gave up or never offered"), N_("25th percentile"),
                               N_("75th percentile"), N_("90th percentile")),
                     tuple(rows))

    def distribution(self, s: Series) -> Figure:
        name = self._(SERIES_LABELS[s.series])
        heading = self._(N_("%(wait)s: how long people waited")) % {"wait": name}
        figures = s.group.figures
        # Band cells withheld inside a shown group (stats.inner) are None: no chart then.
        if figures is None or any(c.ended is None for c in figures.bands):
            return Figure(f"bands-{s.series}", heading, None, Table(heading, (), ()),
                          self.words.hidden)
        stacks = [charts.Stack(self._(c.band.label), c.ended, c.waiting, c.gave_up)
                  for c in figures.bands]
        mark = None
        if s.standard_days is not None:
            mark = charts.Mark(s.standard_days, self._(N_("Standard: %(days)s")) % {
                "days": self.words.days(s.standard_days)})
        biggest = max(figures.bands, key=lambda c: c.total)
        description = self._(N_(
            "%(count)s answers in six bands of wait length, split into waits that ended, "
            "people still waiting and people who gave up. The most common band is "
            "%(band)s. The table after the chart gives every number.")) % {
            "count": self.words.number(figures.count), "band": self._(biggest.band.label)}
        chart = charts.band_chart(f"bands-{s.series}", heading, description, stacks, mark,
                                  self.words.number)
        rows = tuple(
            (Cell(self._(c.band.label)), *(Cell(self.words.number(v), numeric=True)
                                           for v in (c.ended, c.waiting, c.gave_up, c.total)))
            for c in figures.bands)
        table = Table(heading, self.head(N_("Wait"), N_("Waits that ended"),
                                         N_("People still waiting"), N_("People who gave up"),
                                         N_("All answers")), rows)
        note = ""
        if figures.n_gave_up_without_days:
            count = figures.n_gave_up_without_days
            note = self.words.ngettext(
                "%(count)s person gave up without saying after how long; they are in no band.",
                "%(count)s people gave up without saying after how long; they are in no band.",
                count, count=self.words.number(count))
        legend = (("swatch-ended", self._(N_("Waits that ended"))),
                  ("swatch-waiting", self._(N_("People still waiting"))),
                  ("swatch-gave-up", self._(N_("People who gave up"))), *self._standard_key(s))
        return Figure(f"bands-{s.series}", heading, chart, table, note, legend)

    def breakdowns(self, s: Series) -> list[Figure]:
        found = {b.name: b.groups for b in s.group.breakdowns}
        figures = []
        if "region" in found:
            figures.append(self.medians(s, "region", found["region"], N_("By region")))
            facilities = [child for region in found["region"] for b in region.breakdowns
                          if b.name == "facility" for child in b.groups]
            figures.append(self.medians(s, "facility", facilities, N_("By facility")))
        if "facility" in found:
            figures.append(self.medians(s, "facility", found["facility"], N_("By facility")))
        if "care" in found:
            figures.append(self.medians(s, "care", found["care"], N_("By care type")))
        if "month" in found:
            figures.append(self.trend(s, found["month"]))
        return [figure for figure in figures if figure.table.rows]

    def _rows(self, groups: Sequence[ShownGroup[Summary]], breakdown: str
              ) -> list[tuple[ShownGroup[Summary], str]]:
        # Groups with no answers say nothing; hidden ones are listed with the marker.
        return [(g, self.label(g, breakdown)) for g in groups if g.suppressed or g.count]

    def _bar(self, group: ShownGroup[Summary], label: str) -> charts.Bar:
        if group.figures is None:
            return charts.Bar(label, None, self.words.hidden if group.suppressed else DASH)
        median = group.figures.median
        value = median.days if median.days is not None else median.more_than
        return charts.Bar(label, value, self.percentile(median), median.days is None)

    def _median_table(self, s: Series, caption: str, first: str,
                      rows: Sequence[tuple[ShownGroup[Summary], str]]) -> Table:
        body = tuple(
            (Cell(label), self.count_cell(g),
             Cell(self.percentile(g.figures.median) if g.figures else DASH, numeric=True),
             Cell(self.share(g.figures, s.standard_days), numeric=True))
            for g, label in rows)
        return Table(caption, self.head(first, N_("Answers"), N_("Median"),
                                        N_("Over the standard (estimate)")), body)

    def _standard_key(self, s: Series) -> tuple[tuple[str, str], ...]:
        if s.standard_days is None:
            return ()
        return (("swatch-standard", self._(N_("Legal standard"))),)

    def _median_key(self, s: Series) -> tuple[tuple[str, str], ...]:
        return (("swatch-bar", self._(N_("Median wait"))),
                ("swatch-open", self._(N_("More than this: too many still waiting to say"))),
                *self._standard_key(s))

    def _mark(self, s: Series) -> charts.Mark | None:
        if s.standard_days is None:
            return None
        return charts.Mark(s.standard_days, self._(N_("Standard: %(days)s")) % {
            "days": self.words.days(s.standard_days)})

    def medians(self, s: Series, breakdown: str, groups: Sequence[ShownGroup[Summary]],
                heading: str) -> Figure:
        title = self._(N_("Median wait %(by)s: %(wait)s")) % {
            "by": self._(heading).lower(), "wait": self._(SERIES_LABELS[s.series])}
        rows = self._rows(groups, breakdown)
        hidden = sum(1 for g, _ in rows if g.suppressed)
        description = self._(N_(
            "One bar per group: the median wait in days, with the legal standard as a dashed "
            "line. %(hidden)s of %(groups)s groups are hidden to protect privacy. The table "
            "after the chart gives every number.")) % {
            "hidden": self.words.number(hidden), "groups": self.words.number(len(rows))}
        chart = charts.bar_chart(f"{breakdown}-{s.series}", title, description,
                                 [self._bar(g, label) for g, label in rows], self._mark(s))
        first = {"region": N_("Region"), "facility": N_("Facility"),
                 "care": N_("Care type")}[breakdown]
        return Figure(f"{breakdown}-{s.series}", self._(heading), chart if rows else None,
                      self._median_table(s, title, first, rows), "", self._median_key(s))

    def trend(self, s: Series, groups: Sequence[ShownGroup[Summary]]) -> Figure:
        title = self._(N_("Median wait by month of the experience: %(wait)s")) % {
            "wait": self._(SERIES_LABELS[s.series])}
        months = [g for g in groups if "|none:" not in g.key]
        columns = [self._column(g) for g in months]
        description = self._(N_(
            "One column per month: the median wait in days. Months with too few answers are "
            "hidden to protect privacy and shown as a short grey mark. The table after the "
            "chart gives every number."))
        chart = charts.column_chart(f"month-{s.series}", title, description, columns,
                                    self._mark(s), self.words.number)
        rows = self._rows(groups, "month")
        return Figure(f"month-{s.series}", self._(N_("By month")), chart if months else None,
                      self._median_table(s, title, N_("Month"), rows), "", self._median_key(s))

    def _column(self, group: ShownGroup[Summary]) -> charts.Bar:
        bar = self._bar(group, "")
        label = self.words.short_month(group.label) if group.label[5:] in ("01", "07") else ""
        return charts.Bar(label, bar.value, bar.text, bar.open_ended)

    def outcomes(self) -> Figure:
        people = self.view.respondents
        heading = self._(N_("What happened as a result"))
        bars, rows = [], []
        for group in self.view.outcomes:
            label = self._(group.label)
            share = DASH
            if group.count is not None and people.count:
                share = self.words.percent(group.count / people.count)
            text = (self.words.hidden if group.suppressed
                    else f"{self.words.number(group.count or 0)} · {share}")
            bars.append(charts.Bar(label, group.count, text))
            rows.append((Cell(label), self.count_cell(group), Cell(share, numeric=True)))
        description = self._(N_(
            "One bar per outcome: how many stories reported it. A story can report several "
            "outcomes or none. The table after the chart gives every number."))
        chart = charts.bar_chart("outcomes", heading, description, bars)
        table = Table(heading, self.head(N_("Outcome"), N_("Stories"), N_("Share of stories")),
                      tuple(rows))
        return Figure("outcomes", heading, chart, table)
