"""What search engines and browsers ask a site for by name: robots.txt, sitemap.xml, the icons.

robots.txt keeps crawlers out of the private and staff areas (/my/ receipt links, the share
journey's steps, /moderate/, /admin/) and names the sitemap; search results carry `noindex`
themselves (story_views). The sitemap (public.sitemap) lists the site's pages, every
statistics release and every published story with its last change. /favicon.ico and
/apple-touch-icon.png answer at the root, where browsers and phones look without a link.
"""

from __future__ import annotations

from flask import Response, abort, current_app, send_from_directory

from testimonials import db
from testimonials.public import bp, queries, sitemap
from testimonials.public.about import PAGES
from testimonials.services import published as served
from testimonials.siteurl import absolute_url, origin

PRIVATE_PREFIXES = ("/my/", "/share/", "/moderate/", "/admin/")
# Crawlers and browsers ask again often; an hour spares the database and is soon enough.
CACHE = "public, max-age=3600"


def robots_txt(site_url: str) -> str:
    """The robots.txt text (RFC 9309)."""
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES),
             "", f"Sitemap: {origin(site_url)}/sitemap.xml", ""]
    return "\n".join(lines)


@bp.get("/robots.txt")
def robots() -> Response:
    return Response(robots_txt(current_app.config["SITE_URL"]), mimetype="text/plain",
                    headers={"Cache-Control": CACHE})


@bp.get("/sitemap.xml")
def sitemap_index() -> Response:
    files = sitemap.story_files(queries.published_count(db.session()))
    body = sitemap.index(
        [(absolute_url("public.sitemap_pages"), None)]
        + [(absolute_url("public.sitemap_stories", page=page), None)
           for page in range(1, files + 1)])
    return _xml(body)


@bp.get("/sitemap-pages.xml")
def sitemap_pages() -> Response:
    releases = served.numbers(db.session())
    latest_release = releases[0][2] if releases else None
    newest = queries.recent_changes(db.session())
    entries: list[sitemap.Entry] = [
        (absolute_url("public.home"), newest),
        (absolute_url("public.stories"), newest),
        (absolute_url("public.stats"), latest_release),
        (absolute_url("public.releases"), latest_release),
        *((absolute_url("public.release_page", number=number), published)
          for number, _cut, published, _people, _changes in releases),
        (absolute_url("share.start_page"), None),
        *((absolute_url("public.about", page=page), None) for page in PAGES),
    ]
    return _xml(sitemap.urlset(entries))


@bp.get("/sitemap-stories-<int:page>.xml")
def sitemap_stories(page: int) -> Response:
    files = sitemap.story_files(queries.published_count(db.session()))
    if not 1 <= page <= files:
        abort(404)
    rows = queries.published_changes(db.session(), (page - 1) * sitemap.PER_FILE,
                                     sitemap.PER_FILE)
    return _xml(sitemap.urlset((absolute_url("public.story", story_id=row.id), row.changed_at)
                               for row in rows))


@bp.get("/favicon.ico")
def favicon() -> Response:
    return _icon("favicon.ico")


@bp.get("/apple-touch-icon.png")
def touch_icon() -> Response:
    return _icon("apple-touch-icon.png")


def _icon(name: str) -> Response:
    return send_from_directory(current_app.static_folder or "", f"img/{name}", max_age=86400)


def _xml(body: bytes) -> Response:
    return Response(body, mimetype="application/xml", headers={"Cache-Control": CACHE})
