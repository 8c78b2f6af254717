"""The officials' and press report: one printable page set per place and release.

/stats/report (the whole site), ?region=<slug or id>, ?facility=<id>, for the latest release;
/stats/releases/<n>/report for release n. The figures come from the release's protected view
of the place's filter (`stats.place_report`; a wait or place hidden in it that an earlier
release showed, in tables of their own marked with that release and linking to it), the
stories from the moderators' picks
(`services.report_picks`, read on every request: a withdrawn story leaves at once). The
running header and footer of the printed pages come from a small stylesheet of the report's
own (report.css, same address plus `.css`): the site allows no inline style.
`flask export report` renders the same page with both stylesheets inlined (`standalone`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, make_response, render_template, request, url_for
from flask_babel import format_date, format_decimal, format_percent, gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from testimonials import db, licences
from testimonials.errors import render_error
from testimonials.i18n import select_locale
from testimonials.instance_text import instance_text
from testimonials.public import bp, labels, report_stories, stats_files, stats_views
from testimonials.public.stats_views import (
    filter_message,
    filter_status,
    published,
    release_places,
)
from testimonials.services import published as served
from testimonials.services import report_picks
from testimonials.siteurl import absolute_url
from testimonials.stats import methods, share_card, uncertainty
from testimonials.stats.filters import FilterError, Places, parse
from testimonials.stats.kaplan_meier import Percentile
from testimonials.stats.place_report import (
    FACILITY,
    METHODS_BRIEF,
    REGION,
    SITE,
    AsOf,
    HeldCount,
    KeyFigure,
    Place,
    PlaceFigures,
    PlaceRow,
    PlacesWithin,
    key_figure_kinds,
    key_figures,
    place_row_kinds,
    places_within,
)
from testimonials.stats.presenter import DASH, Cell, Kind, kind_notes, missing_cell
from testimonials.stats.universe import SERIES_LABELS
from testimonials.vocab import CareType, WaitKind


class PlaceRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class NamedPlace:
    place: Place
    name: str
    region_name: str | None = None  # a facility's region

    @property
    def query(self) -> dict[str, Any]:
        return {} if self.place.scope == SITE else {self.place.scope: str(self.place.id)}


def resolve(session: Session, args: Any, release: served.Published) -> NamedPlace:
    """The place the request names (region or facility, else the site), by the slugs the
    release was published with (or today's); PlaceRefused if none."""
    known = release_places(session, release)
    try:
        view_filter = parse(args, known)
    except FilterError as error:
        raise PlaceRefused(filter_status(error), filter_message(error)) from error
    if view_filter.care is not None:
        raise PlaceRefused(400, gettext("A report covers a place, for every care type: "
                                        "leave out the care type."))
    return named(known, view_filter.region, view_filter.facility)


def named(known: Places, region: int | None, facility: int | None) -> NamedPlace:
    if facility is not None:
        found = known.facility_by_id(facility)
        if found is None:
            raise PlaceRefused(404, str(_l("We do not know that facility.")))
        home = known.region_by_id(found.region_id)
        return NamedPlace(Place(FACILITY, found.id), found.name, home.name if home else None)
    if region is not None:
        found = known.region_by_id(region)
        if found is None:
            raise PlaceRefused(404, str(_l("We do not know that region.")))
        return NamedPlace(Place(REGION, found.id), found.name)
    return NamedPlace(Place(SITE), gettext("All places"))


def _published_place(number: int | None) -> tuple[Session, served.Published, NamedPlace]:
    """Release `number` (None: the latest) and the place the request names. Without either,
    the request ends here (abort) with its refusal: no release yet, none of that number, an
    unknown place or a filter a report does not take."""
    session = db.session()
    release = published(session, number)  # a number never published: 404
    if release is None:
        abort(make_response(render_error(404, str(_l("No statistics have been published yet.")))))
    try:
        return session, release, resolve(session, request.args, release)
    except PlaceRefused as refused:
        abort(make_response(render_error(refused.status, refused.reason)))


@bp.get("/stats/report")
def report() -> str:
    return report_page(None)


@bp.get("/stats/releases/<int:number>/report")
def release_report(number: int) -> str:
    return report_page(number)


@bp.get("/stats/releases/<int:number>/report.css")
def report_css(number: int) -> Response:
    """The running header and footer of the printed pages (text only, escaped for CSS)."""
    _session, release, where = _published_place(number)
    response = Response(running_css(release, where), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def report_page(number: int | None, *, standalone: bool = False) -> str:
    """The report's page; a refused request ends in abort (see `_published_place`)."""
    session, release, where = _published_place(number)
    view = release.release.view(where.place.filter)
    figures = key_figures(view)
    context = report_context(session, release, where, figures)
    headline = figures.headline
    context["within"] = within_of(places_within(view, headline.series), where) \
        if headline else None
    if standalone:
        sheet = Path(current_app.static_folder or "static") / "css" / "report.css"
        context["inline_css"] = sheet.read_text(encoding="utf-8") + running_css(release, where)
    return render_template("report/report.html", **context)


def report_context(session: Session, release: served.Published, where: NamedPlace,
                   figures: PlaceFigures) -> dict[str, Any]:
    number = release.number
    standards = release.release.standards
    min_cell = release.release.min_cell
    source = absolute_url("public.release_report", number=number, **where.query)
    headline = figures.headline
    picked = report_picks.shown(session, where.place)
    stories = [story_of(story) for story in picked]
    themes = report_stories.themes_of(session, [story.submission_id for story in picked],
                                      select_locale())
    theme_groups = report_stories.by_theme(
        [(story.submission_id, shown) for story, shown in zip(picked, stories, strict=True)],
        themes)
    rows = [row_of(row, standards) for row in figures.shown]
    held_rows = [held_row(row_of(row, standards), row.as_of, where) for row in figures.held]
    summary = headline_sentence(headline, standards) if headline else gettext(
        "How long patients waited for mental-health care at %(place)s, against the legal "
        "standards.", place=where.name)
    return {
        "site_name": instance_text("SITE_NAME"),
        "place": where,
        "number": number,
        "cut_at": format_date(release.release.cut_at, "long"),
        "published_at": format_date(release.published_at, "long"),
        "respondents": None if figures.respondents is None else format_decimal(
            figures.respondents),
        **methods.limits(min_cell),  # min_cell and below, for the line of hidden waits
        "people_withheld": stats_views.people_withheld(release),
        "held_people": held_people(figures.held_respondents, where),
        "rows": rows,
        "rows_notes": table_notes(rows),
        "held_rows": held_rows,
        "held_notes": table_notes(held_rows),
        "hidden_line": _series_line(figures.hidden),
        "empty_line": _series_line(figures.without_answers),
        "headline": summary if headline else None,
        "description": summary,
        "methods": [gettext(text) % methods.limits(min_cell) for text in METHODS_BRIEF],
        "first_story": stories[0] if stories else None,
        "more_stories": stories[1:],
        "theme_groups": theme_groups,
        "source_url": source,
        "release_url": absolute_url("public.release_page", number=number, **where.query),
        "json_url": absolute_url("public.release_json", number=number, **where.query),
        "css_url": url_for("public.report_css", number=number, **where.query),
        "share_image": absolute_url("public.release_report_image", number=number,
                                    **where.query),
        "share_alt": summary,
        "inline_css": None,
        "stats_licence": licences.stats(),
        "stories_licence": licences.stories(),
    }


def within_of(found: PlacesWithin | None, where: NamedPlace) -> dict[str, Any] | None:
    """The table of the regions (or facilities) within the place, for the headline's wait,
    and apart, those hidden in this release as an earlier release showed them."""
    if found is None or not (found.shown or found.hidden or found.held):
        return None
    wait = gettext(SERIES_LABELS[found.series])
    by_region = found.breakdown == REGION
    rows = [within_row(row, found.has_standard) for row in found.shown]
    held_rows = [held_row(within_row(row, found.has_standard), row.as_of, where)
                 for row in found.held]
    return {
        "series": found.series,
        "caption": gettext("By region: %(wait)s", wait=wait) if by_region
        else gettext("By facility: %(wait)s", wait=wait),
        "held_caption": gettext("By region: %(wait)s, hidden in this release, as the latest "
                                "earlier release that showed them", wait=wait) if by_region
        else gettext("By facility: %(wait)s, hidden in this release, as the latest earlier "
                     "release that showed them", wait=wait),
        "place_heading": gettext("Region") if by_region else gettext("Facility"),
        "rows": rows,
        "notes": table_notes(rows),
        "held_rows": held_rows,
        "held_notes": table_notes(held_rows),
        "hidden": (ngettext("%(num)s more region is not shown, to protect privacy.",
                            "%(num)s more regions are not shown, to protect privacy.",
                            found.hidden) if by_region else
                   ngettext("%(num)s more facility is not shown, to protect privacy.",
                            "%(num)s more facilities are not shown, to protect privacy.",
                            found.hidden)) if found.hidden else None,
    }


def as_of_cell(as_of: AsOf, where: NamedPlace) -> Cell:
    """Which earlier release a held figure is from, as /stats says it, linking to that
    release's page of this place (absolute: the exported file links there too)."""
    return Cell(gettext("as of release %(number)s, %(date)s", number=as_of.release,
                        date=format_date(as_of.date, "medium")),
                href=absolute_url("public.release_page", number=as_of.release, **where.query))


def held_row(row: dict[str, Any], as_of: AsOf | None, where: NamedPlace) -> dict[str, Any]:
    """A row of an earlier release's figures: the row, and which release it is from."""
    if as_of is None:  # given held rows only (`PlaceFigures.held`, `PlacesWithin.held`)
        raise ValueError("a held row without the release it is from")
    return {**row, "as_of": as_of_cell(as_of, where)}


def held_people(held: HeldCount | None, where: NamedPlace) -> dict[str, Any] | None:
    """The people counted here, when hidden in this release, as an earlier one counted them."""
    if held is None:
        return None
    return {"text": ngettext("An earlier release counted %(count)s person here",
                             "An earlier release counted %(count)s people here", held.count,
                             count=format_decimal(held.count)),
            "as_of": as_of_cell(held.as_of, where)}


def within_row(row: PlaceRow, has_standard: bool) -> dict[str, Any]:
    """One place of the table within, each figure a cell (`place_row_kinds`)."""
    kinds = place_row_kinds(row, has_standard)
    return {"key": row.key, "label": gettext(row.label) if row.not_stated else row.label,
            "count": format_decimal(row.count),
            "median": figure(kinds["median"], days_text(row.median)),
            "median_ci": days_interval(row.median_range),
            "over": figure(kinds["share_over_standard"], percent_text(row.share_over_standard)),
            "over_ci": share_interval(row.share_range)}


def figure(kind: Kind, text: str) -> Cell:
    """A figure's cell of the report: its text when shown, else the words of its kind."""
    return Cell(text) if kind is Kind.SHOWN else missing_cell(kind, gettext)


def table_notes(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """The footnote of a report's table: what its cells without a figure mean."""
    return kind_notes((value.kind for row in rows for value in row.values()
                       if isinstance(value, Cell)), gettext)


def percent_text(share: float | None) -> str:
    return "" if share is None else format_percent(share)


def story_of(story: report_picks.PickedStory) -> dict[str, Any]:
    month = story.experience_month
    return {"title": story.title, "story": story.story, "language": story.language,
            "month": format_date(month, "MMMM y") if month else None}


def headline_sentence(row: KeyFigure, standards: Any) -> str:
    values = {"wait": gettext(SERIES_LABELS[row.series]), "count": format_decimal(row.count),
              "share": format_percent(row.share_over_standard or 0),
              "standard": standard_name(row.series, standards) or ""}
    if row.share_range is not None and row.share_range.high is not None:
        return gettext("%(wait)s: of %(count)s people who answered here, about %(share)s "
                       "(95%% CI %(low)s to %(high)s) waited longer than the legal standard of "
                       "%(standard)s.", low=format_percent(row.share_range.low),
                       high=format_percent(row.share_range.high), **values)
    return gettext("%(wait)s: of %(count)s people who answered here, about %(share)s waited "
                   "longer than the legal standard of %(standard)s.", **values)


def days_interval(found: uncertainty.Range | None) -> str | None:
    """"95% CI 38–52 days", "95% CI 38 to more than 120 days"; None without an interval."""
    if found is None:
        return None
    if found.high is not None:
        return gettext("95%% CI %(low)s–%(high)s days", low=format_decimal(round(found.low)),
                       high=format_decimal(round(found.high)))
    if found.more_than is not None:
        return gettext("95%% CI %(low)s to more than %(high)s days",
                       low=format_decimal(round(found.low)),
                       high=format_decimal(found.more_than))
    return None


def share_interval(found: uncertainty.Range | None) -> str | None:
    """"95% CI 55%–68%"; None without an interval."""
    if found is None or found.high is None:
        return None
    return gettext("95%% CI %(low)s–%(high)s", low=format_percent(found.low),
                   high=format_percent(found.high))


def row_of(row: KeyFigure, standards: Any) -> dict[str, Any]:
    """One table row, every figure as the reader sees it (the test reads them back): a cell
    of the kind `key_figure_kinds` decides, "–" only where no legal standard applies."""
    kinds = key_figure_kinds(row)
    named = standard_name(row.series, standards)
    return {
        "series": row.series,
        "label": gettext(SERIES_LABELS[row.series]),
        "standard": figure(kinds["standard"] if named else Kind.NOT_APPLICABLE,
                           named or DASH),
        "standard_days": None if row.standard_days is None else ngettext(
            "%(num)s calendar day", "%(num)s calendar days", row.standard_days),
        "count": format_decimal(row.count),
        # The estimates rest on the answers with a number of days (not those who gave up
        # without saying after how long): said when fewer than all.
        "n_estimate": None if row.n_in_estimate >= row.count else ngettext(
            "%(num)s in the estimates", "%(num)s in the estimates", row.n_in_estimate),
        "median": figure(kinds["median"], days_text(row.median)),
        "median_ci": days_interval(row.median_range),
        "p90": figure(kinds["p90"], days_text(row.p90)),
        "p90_ci": days_interval(row.p90_range),
        "over": figure(kinds["share_over_standard"], percent_text(row.share_over_standard)),
        "over_ci": None if row.standard_days is None else share_interval(row.share_range),
        "n_over": figure(kinds["n_over_standard"], "" if row.n_over_standard is None
                         else format_decimal(row.n_over_standard)),
        "gave_up": figure(kinds["share_gave_up"], percent_text(row.share_gave_up)),
    }


def standard_name(series: str, standards: Any) -> str | None:
    """The standard as the law words it ("10 business days"), the urgent one for urgent intakes."""
    if series == "urgent_intake":
        return labels.standard_text(WaitKind.INTAKE, int(CareType.CRISIS), standards)
    return labels.standard_text(WaitKind(series), 0, standards)


def days_text(value: Percentile) -> str:
    """A percentile in days ("" when not given: its cell says why, `key_figure_kinds`)."""
    if value.days is not None:
        return ngettext("%(num)s day", "%(num)s days", value.days)
    if value.more_than is not None:
        return ngettext("more than %(num)s day", "more than %(num)s days", value.more_than)
    return ""


def _series_line(series: tuple[str, ...]) -> str | None:
    return ", ".join(gettext(SERIES_LABELS[name]) for name in series) or None


def running_css(release: served.Published, where: NamedPlace) -> str:
    """@page margin boxes: site, release and date at the top, the place, the source and pages."""
    top = gettext("%(site)s · Release %(number)s · %(date)s", site=instance_text("SITE_NAME"),
                  number=release.number, date=format_date(release.release.cut_at, "long"))
    place = where.name if where.region_name is None else f"{where.name} ({where.region_name})"
    source = absolute_url("public.release_report", number=release.number, **where.query)
    return ("@page {\n"
            f"  @top-left {{ content: {css_string(top)}; }}\n"
            f"  @top-right {{ content: {css_string(place)}; }}\n"
            f"  @bottom-left {{ content: {css_string(source)}; }}\n"
            f"  @bottom-right {{ content: counter(page) {css_string(' / ')} counter(pages); }}\n"
            "}\n")


_PLAIN = re.compile(r"[A-Za-z0-9 ]")


def css_string(text: str) -> str:
    """A CSS string literal that nothing in `text` can close: every other character escaped."""
    # Six hex digits and a space, which the escape consumes: "a · b" keeps both its spaces.
    return '"' + "".join(ch if _PLAIN.fullmatch(ch) else f"\\{ord(ch):06x} " for ch in text) + '"'


def report_href(number: int) -> str:
    """The report of the place the release page shows (its region or facility; no care type)."""
    query: dict[str, Any] = {name: request.args[name] for name in (REGION, FACILITY)
                             if request.args.get(name)}
    return url_for("public.release_report", number=number, **query)


@bp.app_context_processor
def _report_link() -> dict[str, Any]:
    return {"report_href": report_href}


@bp.get("/stats/releases/<int:number>/report.png")
def release_report_image(number: int) -> Response:
    """The report's share image: the place's headline figure (Open Graph, Twitter cards)."""
    session, release, where = _published_place(number)

    def make() -> bytes:
        figures = key_figures(release.release.view(where.place.filter))
        headline = figures.headline
        source = stats_files.source_lines(release)[0]
        title = f"{instance_text('SITE_NAME')} · {where.name}"
        if headline is None or headline.share_over_standard is None:
            return share_card.share_png(title, "", None, gettext(
                "How long patients waited for mental-health care at %(place)s, against the "
                "legal standards.", place=where.name), source)
        return share_card.share_png(
            title, format_percent(headline.share_over_standard),
            headline.share_over_standard,
            headline_sentence(headline, release.release.standards), source)

    body = stats_views.rendered(session, release, "report.png", make)
    return stats_files.file_response(body, "png", f"report-{where.place.scope}", release.number,
                               False)
