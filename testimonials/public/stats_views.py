"""The statistics pages: /stats, /stats.json, /stats.csv (and the API's /api/v1/stats body).

Every figure comes from a published release (`services.published`): the latest one at /stats and
its files, release N at /stats/releases/N (.csv, .json). A release never changes, so what is
rendered from it is kept per process under its number, whatever the number of submissions. The
pages themselves are kept for a generation (`caching.page`), like every public page, so a warm
request reads nothing: reading the latest number and putting the page together cost 0.7 ms of
CPU per request (the bench had "/stats" at 0.3 of the ceiling). After a change the page is
put together again from the release's kept texts.
The page leads with the release's headline sentences (`stats.headlines`); its charts are
also files to download, and its share card an image (`stats_files`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import re
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from babel.dates import format_skeleton
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import (
    format_date,
    format_decimal,
    format_percent,
    get_locale,
    gettext,
    ngettext,
)
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import caching, db, licences, runtime_settings
from testimonials.api.http import RELEASE_CACHE, licence_link
from testimonials.errors import render_error
from testimonials.filter_params import CARE_NAMES
from testimonials.i18n import moment_text, select_locale
from testimonials.instance_text import instance_text
from testimonials.models import Facility, Region, RegionFormerSlug
from testimonials.public import bp, labels, stats_files, stats_places
from testimonials.services import published as served
from testimonials.siteurl import absolute_path
from testimonials.stats import csvfile, document, methods, tidy, wording
from testimonials.stats.cells import SERIES, URGENT_INTAKE
from testimonials.stats.filters import (
    FilterError,
    PlaceRef,
    Places,
    RegionRenamed,
    parse,
    parse_series,
    query_of,
)
from testimonials.stats.headlines import Headline, headlines
from testimonials.stats.methods import methods_sections, suppressed_text
from testimonials.stats.page import Filter, View
from testimonials.stats.presenter import Presenter, Words
from testimonials.stats.universe import CARE_LABELS, SERIES_LABELS
from testimonials.vocab import CareType, WaitKind
from testimonials.waits import standard_days

T = TypeVar("T")

FILTER_MESSAGES = {
    ("region", "unknown"): _l("We do not know that region."),
    ("region", "malformed"): _l("The region must be written as in the list of regions."),
    ("facility", "malformed"): _l("The facility must be given by its number."),
    ("facility", "unknown"): _l("We do not know that facility."),
    ("facility", "not_in_region"): _l("That facility is not in that region. Choose a region or "
                                      "a facility (a facility already says its region)."),
    ("care", "unknown"): _l("We do not know that care type."),
    ("care", "with_facility"): _l("Statistics by care type are published for regions and for "
                                  "the whole site, not for a single facility: there are too "
                                  "few answers there to publish them safely."),
    ("wait", "unknown"): _l("We do not know that kind of wait."),
}


def filter_status(error: FilterError) -> int:
    """404 for a place we do not have (or not where it was asked for), 400 for a bad value."""
    known_place = error.parameter in ("region", "facility") and error.code in (
        "unknown", "not_in_region")
    return 404 if known_place else 400


def filter_message(error: FilterError) -> str:
    if error.code == "repeated":
        return str(_l("A filter was given more than once."))  # as on /stories
    return str(FILTER_MESSAGES.get((error.parameter, error.code),
                                   _l("That filter is not supported.")))


def places(session: Session) -> Places:
    """Every region and facility a filter may name (kept for a generation: read three times
    a request, it is what keeps the bench's /stats line at 0.6 of the ceiling)."""
    def read() -> Places:
        regions = tuple(PlaceRef(id_, name, slug) for id_, name, slug in session.execute(
            select(Region.id, Region.name, Region.slug).order_by(Region.name)))
        facilities = tuple(PlaceRef(id_, name, "", region_id) for id_, name, region_id in
                           session.execute(select(Facility.id, Facility.name, Facility.region_id)
                                           .where(Facility.merged_into_id.is_(None))
                                           .order_by(Facility.name)))
        # A region without a facility (all moved away) has nothing to show: not offered.
        used = {facility.region_id for facility in facilities}
        return Places(tuple(r for r in regions if r.id in used), facilities,
                      former=former_slugs(session, {r.slug for r in regions}))
    return caching.remembered("stats.places", read, seconds=math.inf)


def follow_renamed_region(args: Any) -> None:
    """RegionRenamed when `region` names a region by a slug it gave up: for the pages that
    filter by region without a release (/stories and its feed), which would otherwise list
    nothing for it."""
    value = args.get("region")
    renamed = places(db.session()).renamed(value) if value else None
    if renamed is not None:
        raise RegionRenamed(value, renamed)


def former_slugs(session: Session, today: set[str]) -> tuple[tuple[str, int], ...]:
    """The slugs regions gave up (slug, region id), each once, by the region that gave it up
    last; none a region holds `today` (that region is what the slug names)."""
    found: dict[str, int] = {}
    for slug, region_id in session.execute(
            select(RegionFormerSlug.slug, RegionFormerSlug.region_id)
            .order_by(RegionFormerSlug.id.desc())):
        if slug not in today:
            found.setdefault(slug, region_id)
    return tuple(found.items())


def release_places(session: Session, release: served.Published) -> Places:
    """The places a release's filters name: a region by the slug the release was published
    with (stored at its cut), so that its permanent addresses keep resolving and its files
    keep naming the same links after an admin renames a slug; today's slug is read too (the
    filter form offers today's). Releases cut before slugs were stored use today's slugs,
    as they always did (their addresses by a region's id never change)."""
    live = places(session)
    stored = release.release.region_slugs
    if stored is None:
        return live

    def make() -> Places:
        names = {region.id: region.name for region in release.release.dims.regions}
        today = {region.id: region for region in live.regions}
        taken = {slug for slug in stored.values() if slug}
        regions = [PlaceRef(int(id_), today[int(id_)].name if int(id_) in today
                            else names.get(int(id_), ""), slug)
                   for id_, slug in stored.items()]
        # Regions the release does not hold (new, or without answers then) by today's slug,
        # unless the release gave that slug to another region.
        regions += [PlaceRef(r.id, r.name, "" if r.slug in taken else r.slug)
                    for r in live.regions if str(r.id) not in stored]
        aliases = tuple((r.slug, r.id) for r in live.regions
                        if str(r.id) in stored and r.slug and r.slug not in taken)
        return Places(tuple(regions), live.facilities, aliases, live.former)
    return caching.from_release((release.number, "places", live.fingerprint), make)


def people_withheld(release: served.Published) -> str:
    """What the pages of a release say where a count of people is hidden: the sentence the
    release stored (cut since the review of issue 14), else today's."""
    stored = None
    if release.release.texts is not None:  # older releases stored no words at all
        stored = served.wording_of(release.release, select_locale()).people_withheld
    return stored or methods.people_withheld(release.release.min_cell, gettext)


def words(min_cell: int, withheld: str | None = None) -> Words:
    locale = get_locale()
    return Words(
        translate=gettext,
        ngettext=ngettext,
        number=lambda n: format_decimal(n),
        percent=lambda share: format_percent(share),
        days=lambda n: ngettext("%(count)s day", "%(count)s days", n, count=format_decimal(n)),
        more_than=lambda n: ngettext("more than %(count)s day", "more than %(count)s days", n,
                                     count=format_decimal(n)),
        month=lambda month: format_skeleton("yMMMM", _first_day(month), locale=locale),
        short_month=lambda month: format_skeleton("yMMM", _first_day(month), locale=locale),
        hidden=suppressed_text(min_cell, gettext),
        people_withheld=withheld or methods.people_withheld(min_cell, gettext),
        date=lambda day: format_date(day, "medium"),
    )


def standard_names(view: View) -> dict[str, str]:
    """Each wait's standard as the law words it ("10 business days"), the one name every page
    uses; only where today's configured standard is the one the release measured against."""
    standards = runtime_settings.get("WAIT_STANDARDS")
    names = {}
    for series in view.series:
        if series.standard_days is None:
            continue
        kind, care = ((WaitKind.INTAKE, int(CareType.CRISIS)) if series.series == URGENT_INTAKE
                      else (WaitKind(series.series), 0))
        if standard_days(kind, care, standards) != series.standard_days:
            continue
        name = labels.standard_text(kind, care, standards)
        if name:
            names[series.series] = name
    return names


def presenter(view: View, min_cell: int, withheld: str | None = None,
              link: Callable[[int], str] | None = None) -> Presenter:
    return Presenter(view, words(min_cell, withheld), standard_names(view), link)


def view_headlines(view: View, min_cell: int) -> tuple[Headline, ...]:
    return headlines(view.series, words(min_cell), standard_names(view))


def lead_series(session: Session, release: served.Published) -> str:
    """The wait of the first headline, which the page's charts show unless asked otherwise."""
    def make() -> str:
        view, _filter, _known = current_view(session, release)
        found = view_headlines(view, release.release.min_cell)
        return found[0].series if found else SERIES[0]
    return rendered(session, release, "lead", make)


def _first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:]), 1)


def published(session: Session, number: int | None) -> served.Published | None:
    """Release `number` (None: the latest); 404 for a number that was never published."""
    found = served.release(session, number)
    if found is None and number is not None:
        abort(404)
    return found


def rendered(session: Session, release: served.Published, name: Hashable,
             make: Callable[[], T]) -> T:
    """The text `make()` renders from a release, kept per filter, language and place names."""
    known = release_places(session, release)
    # The place names are in the key: after a rename, the filter form shows the new names.
    key = (release.number, name, parse(request.args, known), select_locale(),
           known.fingerprint)
    return caching.from_release(key, make)


def current_view(session: Session, release: served.Published) -> tuple[View, Filter, Places]:
    """The view the request's filters ask for, from the release; FilterError for bad ones."""
    known = release_places(session, release)
    view_filter = parse(request.args, known)
    return release.release.view(view_filter), view_filter, known


def addresses(release: served.Published, query: dict[str, Any]) -> dict[str, str]:
    """The permanent addresses of a release's page, files and API (with the same filters)."""
    number = release.number
    return {
        "page": url_for("public.release_page", number=number, **query),
        "csv": url_for("public.release_csv", number=number, **query),
        "json": url_for("public.release_json", number=number, **query),
        "api": url_for("api.release_stats", number=number, **query),
    }


def release_facts(release: served.Published) -> dict[str, Any]:
    """Number, dates and what changed, as the JSON and CSV state them."""
    return {
        "number": release.number,
        "cut_at": document.when(release.release.cut_at),
        "published_at": document.when(release.published_at),
        "changes": json.loads(release.changes),
    }


@bp.get("/stats")
@caching.page
def stats() -> tuple[str, int] | str:
    return stats_page(None)


@bp.get("/stats/releases/<int:number>")
@caching.page
def release_page(number: int) -> tuple[str, int] | str:
    return stats_page(number)


def stats_page(number: int | None) -> tuple[str, int] | str:
    session = db.session()
    release = published(session, number)
    if release is None:
        return render_template("public/stats.html", body=None, refused=None,
                               form=_form(session, Filter()), unpublished=True)
    try:
        series = parse_series(request.args.get("wait"), lead_series(session, release))
        notice = stats_places.elsewhere_notice(request.args, release_places(session, release))
        body = rendered(session, release, ("stats.html", series, notice),
                        lambda: _body(session, release, series, number is None, notice))
    except FilterError as error:
        if error.code == "not_in_region":  # explained on the region's page, not refused
            return redirect(stats_places.region_only(request.args))  # type: ignore[return-value]
        return render_template("public/stats.html", body=None, form=_form(session, Filter()),
                               refused=filter_message(error)), filter_status(error)
    # The whole page, layout included, depends only on the address and the language (the
    # layout's navigation and language links are built from them), so it is kept too.
    key = (release.number, "stats.page", request.full_path, select_locale(), body)
    return caching.from_release(key, lambda: render_template(
        "public/stats.html", body=Markup(body), refused=None,
        share=stats_files.share_meta(session, release, number is None)))


def _body(session: Session, release: served.Published, series: str, latest: bool,
          notice: stats_places.Notice | None = None) -> str:
    view, view_filter, known = current_view(session, release)
    min_cell = release.release.min_cell
    withheld = people_withheld(release)
    query = query_of(view_filter, known)
    page = presenter(view, min_cell, withheld, lambda number: url_for(
        "public.release_page", number=number, **query)).page(series)
    people = view.respondents
    links = addresses(release, query)
    here = "public.stats" if latest else "public.release_page"
    extra: dict[str, Any] = {} if latest else {"number": release.number}
    return render_template(
        "public/_stats_body.html", page=page, form=_form(session, view_filter),
        respondents=None if people.suppressed else format_decimal(people.count),
        people_withheld=withheld,
        as_of=moment_text(view.changed_at) if view.changed_at else "–",
        release_number=release.number, release_url=links["page"], latest=latest,
        releases_url=url_for("public.releases"),
        filter_label=_filter_label(view_filter, known), notice=notice,
        series_links=[(gettext(SERIES_LABELS[s.series]),
                       url_for(here, **extra, **query, wait=s.series) + "#breakdowns",
                       s.series == series) for s in view.series],
        csv_url=links["csv"] if not latest else url_for("public.stats_csv", **query),
        json_url=links["json"] if not latest else url_for("public.stats_json", **query),
        api_url=links["api"] if not latest else url_for("api.stats", **query),
        methods=methods_sections(min_cell, gettext, served.on_standard(release.release)),
        methods_url=url_for("public.stats_methods"),
        downloads=stats_files.chart_links(page, release.number if not latest else None,
                                          {**query, "wait": series}),
        share_image=stats_files.share_image_url(release.number if not latest else None, query),
        filtered=bool(query),
    )


def _filter_label(view_filter: Filter, known: Places) -> str:
    parts = []
    if view_filter.facility is not None:
        parts.append((known.facility_by_id(view_filter.facility) or PlaceRef(0, "")).name)
    if view_filter.region is not None:
        parts.append((known.region_by_id(view_filter.region) or PlaceRef(0, "")).name)
    if view_filter.care is not None:
        parts.append(gettext(CARE_LABELS[view_filter.care]))
    return " · ".join(parts)


def _form(session: Session, view_filter: Filter) -> dict[str, Any]:
    known = places(session)
    regions = {r.id: r for r in known.regions}
    grouped: dict[str, list[PlaceRef]] = {}
    for facility in known.facilities:
        if view_filter.region is not None and facility.region_id != view_filter.region:
            continue  # a region chosen: its facilities only
        region = regions.get(facility.region_id or 0)
        grouped.setdefault(region.name if region else "", []).append(facility)
    return {
        "regions": [(r.slug or str(r.id), r.name, r.id == view_filter.region)
                    for r in known.regions],
        "facilities": [(name, [(str(f.id), f.name, f.id == view_filter.facility) for f in items])
                       for name, items in sorted(grouped.items())],
        "cares": [(name, gettext(CARE_LABELS[bit]), bit == view_filter.care)
                  for name, bit in CARE_NAMES.items()],
    }


def json_document(number: int | None = None) -> Response | tuple[Response | str, int]:
    """The JSON of the view the request asks for (shared with /api/v1/stats)."""
    session = db.session()
    release = published(session, number)
    if release is None:
        return render_error(404, str(_l("No statistics have been published yet.")),
                            problem="no-release")
    try:
        text = rendered(session, release, "stats.json", lambda: _json_text(session, release))
    except FilterError as error:
        return render_error(filter_status(error), filter_message(error),
                            parameter=error.parameter)
    response = Response(text, mimetype="application/json")
    if number is not None:
        response.headers["Cache-Control"] = RELEASE_CACHE
    return _licence_headers(response)


def _json_text(session: Session, release: served.Published) -> str:
    view, view_filter, known = current_view(session, release)
    query = query_of(view_filter, known)
    filters = {"region": view_filter.region, "facility": view_filter.facility,
               "care": query.get("care")}
    # Every word from the release itself (`stats.wording`), none from today's code.
    words = served.wording_of(release.release, select_locale())
    data = document.document(view, filters=filters, methods=words.methods,
                             hidden_text=words.suppressed, language=select_locale(),
                             translate=words.translate, band_label=words.band_label)
    data["release"] = {**release_facts(release), "address": addresses(release, query)}
    data["licence"] = release_licence(release)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def release_licence(release: served.Published) -> dict[str, str]:
    """The licence the release was published under (format 5 on: stored at the cut; older
    releases stored none, and name the one configured)."""
    if release.release.licence is not None:
        return dict(release.release.licence)
    found = licences.stats()
    return {"spdx": found.spdx, "name": found.name, "url": found.url}


@bp.get("/stats/methods")
def stats_methods() -> str:
    """The methods note on its own page, with the counts of the latest release (if any)."""
    session = db.session()
    release = published(session, None)
    if release is None:
        min_cell = int(runtime_settings.get("STATS_MIN_CELL"))
        return render_template("public/stats_methods.html", release_number=None,
                               methods=methods_sections(min_cell, gettext))
    key = (release.number, "stats.methods", select_locale())
    return caching.from_release(key, lambda: render_template(
        "public/stats_methods.html", release_number=release.number,
        methods=methods_sections(release.release.min_cell, gettext,
                                 served.on_standard(release.release))))


@bp.get("/stats.json")
def stats_json() -> Response | tuple[Response | str, int]:
    return json_document()


@bp.get("/stats/releases/<int:number>.json")
def release_json(number: int) -> Response | tuple[Response | str, int]:
    return json_document(number)


@bp.get("/stats.csv")
def stats_csv() -> Response | tuple[Response | str, int]:
    return csv_file(None)


@bp.get("/stats/releases/<int:number>.csv")
def release_csv(number: int) -> Response | tuple[Response | str, int]:
    return csv_file(number)


def csv_file(number: int | None) -> Response | tuple[Response | str, int]:
    session = db.session()
    release = published(session, number)
    if release is None:
        return render_error(404, str(_l("No statistics have been published yet.")),
                            problem="no-release")
    try:
        # Kept compressed: the tidy file of a whole release runs to megabytes, and the cache
        # holds one per filter and language (it compresses about twentyfold).
        packed, etag = rendered(session, release, "stats.csv.gz",
                                lambda: _packed(_csv_text(session, release)))
        known = release_places(session, release)
        query = query_of(parse(request.args, known), known)
    except FilterError as error:
        return render_error(filter_status(error), filter_message(error),
                            parameter=error.parameter)
    # Only letters, digits and dashes in the file name (slugs come from admins).
    suffix = re.sub(r"[^a-z0-9-]+", "", "".join(f"-{k}-{v}" for k, v in query.items()).lower())
    response = Response(gzip.decompress(packed), mimetype="text/csv")
    response.set_etag(etag)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="waitline-stats-release-{release.number}{suffix}.csv"')
    if number is not None:
        response.headers["Cache-Control"] = RELEASE_CACHE
    return _licence_headers(response)


def _packed(text: str) -> tuple[bytes, str]:
    """The text compressed, and its ETag (a hash of the text, as for any other answer)."""
    body = text.encode()
    return gzip.compress(body, compresslevel=6), hashlib.sha1(body).hexdigest()


def _csv_text(session: Session, release: served.Published) -> str:
    """The tidy file (stats/tidy.py): no notes; they are in the datapackage.json beside it."""
    view, _filter, _known = current_view(session, release)
    # The places' names as the release stored them (a later rename changes no release).
    dims = release.release.dims
    names = {**{("region", r.id): r.name for r in dims.regions},
             **{("facility", f.id): f.name for f in dims.facilities}}
    words = served.wording_of(release.release, select_locale())
    table = tidy.rows(view, release.number, words.translate, names)
    columns = tidy.names(release.release.held is not None)
    return csvfile.write_table(columns, ([row[name] for name in columns] for row in table))


def _licence_headers(response: Response) -> Response:
    response.headers["Link"] = licence_link(licences.stats().url)
    return response


@bp.get("/stats/datapackage.json")
def stats_package() -> Response | tuple[Response | str, int]:
    return package_document(None)


@bp.get("/stats/releases/<int:number>/datapackage.json")
def release_package(number: int) -> Response | tuple[Response | str, int]:
    return package_document(number)


def package_document(number: int | None) -> Response | tuple[Response | str, int]:
    """The Frictionless data package of /stats.csv (the same filters): schema, methods,
    filters, licence, release number and date."""
    session = db.session()
    release = published(session, number)
    if release is None:
        return render_error(404, str(_l("No statistics have been published yet.")),
                            problem="no-release")
    try:
        text = rendered(session, release, "datapackage.json",
                        lambda: _package_text(session, release, number is None))
    except FilterError as error:
        return render_error(filter_status(error), filter_message(error),
                            parameter=error.parameter)
    return _licence_headers(Response(text, mimetype="application/json"))


def _package_text(session: Session, release: served.Published, latest: bool) -> str:
    view, view_filter, known = current_view(session, release)
    min_cell = release.release.min_cell
    query = query_of(view_filter, known)
    facts = release_facts(release)
    csv_path = (url_for("public.stats_csv", **query) if latest
                else addresses(release, query)["csv"])
    licence = licences.Licence(**release_licence(release))
    words = served.wording_of(release.release, select_locale())
    package = {
        "profile": "tabular-data-package",
        "name": f"waitline-statistics-release-{release.number}",
        # The title and the absolute address as the release stored them (cut since the review
        # of issue 14); older releases say today's, as they always did.
        "title": words.package_title or gettext(wording.PACKAGE_TITLE,
                                                site=instance_text("SITE_NAME")),
        "description": words.methods,
        "version": str(release.number),
        "created": facts["published_at"],
        "licenses": [licence.as_dict()],
        "keywords": ["mental health", "waiting times", "statistics"],
        "release": {**facts, "data_as_of": facts["cut_at"], "data_version": view.version,
                    "address": addresses(release, query)},
        "filters": {"region": view_filter.region, "facility": view_filter.facility,
                    "care": query.get("care")},
        "language": select_locale(),
        "min_cell": min_cell,
        "suppressed_text": words.suppressed,
        "methods": words.methods,
        "resources": [{
            "name": "statistics",
            "path": (release.release.site_url + csv_path if release.release.site_url
                     else absolute_path(csv_path, current_app.config)),
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig", "licenses": [licence.as_dict()],
            "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\r\n"},
            "schema": tidy.schema(release.release.held is not None,
                                  release.release.csv_status),
        }],
    }
    return json.dumps(package, ensure_ascii=False, indent=1)
