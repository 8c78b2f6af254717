"""The release page's charts as files (SVG, PNG) and its share card (PNG, Open Graph tags).

/stats/charts/<figure>.svg|.png draw a chart of the latest release, with the page's filters
(`?region=...&wait=...`); /stats/releases/N/charts/... the same from release N, never changing.
/stats/share.png and /stats/releases/N/share.png are the headline figure as an image for
links shared on social media; `share_meta` gives the tags that point to it. Like the page,
every file is made once per release, filter and language, and kept.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request, url_for
from flask_babel import format_date, gettext
from sqlalchemy.orm import Session

from testimonials import db, licences
from testimonials.errors import render_error
from testimonials.i18n import select_locale
from testimonials.instance_text import instance_text
from testimonials.public import bp, stats_views
from testimonials.services import published as served
from testimonials.siteurl import absolute_url
from testimonials.stats import chart_files, share_card
from testimonials.stats.filters import FilterError, parse_series, query_of
from testimonials.stats.presenter import Page

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
CACHE_SECONDS = 3600  # the latest release's files change when a release is published


def chart_links(page: Page, number: int | None, query: dict[str, Any]
                ) -> dict[str, tuple[str, str]]:
    """The SVG and PNG addresses of every chart on a page, by figure id."""
    def link(name: str, kind: str) -> str:
        if number is None:
            return url_for("public.chart_file", name=name, kind=kind, **query)
        return url_for("public.release_chart_file", number=number, name=name, kind=kind,
                       **query)
    return {f.id: (link(f.id, "svg"), link(f.id, "png")) for f in page.figures}


def share_image_url(number: int | None, query: dict[str, Any]) -> str:
    if number is None:
        return url_for("public.share_image", **query)
    return url_for("public.release_share_image", number=number, **query)


def source_lines(release: served.Published) -> list[str]:
    """Where a chart comes from and when, as printed under it."""
    licence = licences.stats()
    return [
        gettext("Source: %(site)s, statistics release %(number)s, figures as of %(date)s.",
                site=instance_text("SITE_NAME"), number=release.number,
                date=format_date(release.release.cut_at, "long")),
        f"{absolute_url('public.release_page', number=release.number)} · {licence.spdx}",
    ]


def _filtered_release(number: int | None) -> tuple[Session, served.Published]:
    session = db.session()
    release = stats_views.published(session, number)
    if release is None:
        abort(404)
    return session, release


def file_response(body: bytes | str, kind: str, name: str, number: int, latest: bool) -> Response:
    response = Response(body, mimetype=FORMATS[kind])
    response.headers["Content-Disposition"] = (
        f'inline; filename="waitline-release-{number}-{name}.{kind}"')
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS if latest else 30 * 24 * 3600
    return response


def chart(number: int | None, name: str, kind: str) -> Response | tuple[Response | str, int]:
    session, release = _filtered_release(number)
    try:
        series = parse_series(request.args.get("wait"), stats_views.lead_series(session, release))

        def make() -> bytes | str | None:
            view, _filter, _known = stats_views.current_view(session, release)
            page = stats_views.presenter(view, release.release.min_cell).page(series)
            figure = next((f for f in page.figures if f.id == name), None)
            if figure is None or figure.chart is None:
                return None
            lines = source_lines(release)
            if kind == "svg":
                return chart_files.svg_document(figure.chart, lines)
            return chart_files.png_bytes(figure.chart, lines)

        body = stats_views.rendered(session, release, ("chart", name, kind, series), make)
    except FilterError as error:
        return render_error(stats_views.filter_status(error), stats_views.filter_message(error))
    if body is None:
        return render_error(404, gettext("This release has no such chart for that choice."))
    return file_response(body, kind, name, release.number, number is None)


@bp.get("/stats/charts/<name>.<any(svg, png):kind>")
def chart_file(name: str, kind: str) -> Response | tuple[Response | str, int]:
    return chart(None, name, kind)


@bp.get("/stats/releases/<int:number>/charts/<name>.<any(svg, png):kind>")
def release_chart_file(number: int, name: str, kind: str
                       ) -> Response | tuple[Response | str, int]:
    return chart(number, name, kind)


def _card(session: Session, release: served.Published) -> bytes:
    view, _filter, _known = stats_views.current_view(session, release)
    found = stats_views.view_headlines(view, release.release.min_cell)
    words = stats_views.words(release.release.min_cell)
    if found:
        first = found[0]
        return share_card.share_png(instance_text("SITE_NAME"), words.percent(first.share),
                                    first.share, first.sentence, source_lines(release)[0])
    return share_card.share_png(instance_text("SITE_NAME"), "", None,
                                gettext("How long patients waited for mental-health care"),
                                source_lines(release)[0])


def share(number: int | None) -> Response | tuple[Response | str, int]:
    session, release = _filtered_release(number)
    try:
        body = stats_views.rendered(session, release, "share.png",
                                    lambda: _card(session, release))
    except FilterError as error:
        return render_error(stats_views.filter_status(error), stats_views.filter_message(error))
    return file_response(body, "png", "share", release.number, number is None)


@bp.get("/stats/share.png")
def share_image() -> Response | tuple[Response | str, int]:
    return share(None)


@bp.get("/stats/releases/<int:number>/share.png")
def release_share_image(number: int) -> Response | tuple[Response | str, int]:
    return share(number)


def share_meta(session: Session, release: served.Published | None, latest: bool = True,
               page_url: str | None = None) -> dict[str, Any] | None:
    """Open Graph and Twitter card values for a page showing `release` (None: no figures).

    The image is the release's own, at its permanent address, with the page's filters; its
    description is the first headline sentence. Called within the request of the page.
    """
    if release is None:
        return None

    def make() -> dict[str, Any]:
        view, view_filter, known = stats_views.current_view(session, release)
        found = stats_views.view_headlines(view, release.release.min_cell)
        query = query_of(view_filter, known)
        description = found[0].sentence if found else gettext(
            "How long patients waited for mental-health care")
        return {
            "title": gettext("%(site)s: how long patients waited for mental-health care",
                             site=instance_text("SITE_NAME")),
            "description": description,
            "image": absolute_url("public.release_share_image", number=release.number,
                                  **query),
            "image_alt": description,
            "locale": "es_ES" if select_locale() == "es" else "en_US",
            "query": query,
        }

    try:
        meta = dict(stats_views.rendered(session, release, ("share.meta", latest), make))
    except FilterError:
        return None  # the page itself says what is wrong with its filters
    meta["url"] = page_url or absolute_url(request.endpoint or "public.stats",
                                           **(request.view_args or {}), **meta["query"])
    return meta
