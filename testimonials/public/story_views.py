"""The stories: the filtered list, one story, and the Atom feed."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext

from testimonials import caching, db, runtime_settings
from testimonials.filter_params import MAX_ID
from testimonials.i18n import select_locale
from testimonials.instance_text import instance_text
from testimonials.models import utcnow
from testimonials.public import bp, feed, finder, present, queries, stats_views
from testimonials.public.search import MAX_QUERY_LENGTH
from testimonials.public.web import listing_href, read_listing
from testimonials.siteurl import absolute_url


def _groups() -> list[queries.RegionGroup]:
    return queries.facility_groups(db.session())


def _themes() -> list[tuple[str, str]]:
    """Each theme's slug and its name in the reader's language."""
    spanish = select_locale() == "es"
    return [(theme.slug, theme.name_es if spanish else theme.name_en) for theme in
            queries.themes(db.session())]


@bp.get("/stories")
@caching.page
def stories() -> Response:
    listing = read_listing(cut_long_query=True)
    stats_views.follow_renamed_region(request.args)
    standards = runtime_settings.get("WAIT_STANDARDS")
    page = queries.story_page(db.session(), listing, standards)
    path = request.path
    filters = listing.filters
    paged = listing.before is not None or listing.after is not None
    # Search results and later pages are not pages to list in a search engine (their links
    # are followed); the header says it to crawlers that read no HTML.
    unlisted = paged or bool(filters.q)
    body = render_template(
        "public/stories.html",
        cards=present.Cards(standards, path).cards(page.stories),
        older=page.older and listing_href(path, filters, before=page.older.encode()),
        newer=page.newer and listing_href(path, filters, after=page.newer.encode()),
        paged=paged, unlisted=unlisted,
        finder=finder.build(filters, path, _groups(), _themes()),
        filters=filters,
        query_cut=listing.query_cut, max_query_length=MAX_QUERY_LENGTH,
        feed_href=listing_href(url_for("public.feed"), filters),
    )
    response = Response(body, mimetype="text/html")
    if unlisted:
        response.headers["X-Robots-Tag"] = "noindex, follow"
    return response


@bp.get("/stories/<int:story_id>")
@caching.page
def story(story_id: int) -> str:
    if story_id > MAX_ID:
        abort(404)
    standards = runtime_settings.get("WAIT_STANDARDS")
    found = queries.story(db.session(), story_id, standards)
    if found is None:
        abort(404)
    if found == queries.GONE:
        abort(410)
    assert isinstance(found, queries.PublicStory)
    return render_template("public/story.html",
                           story=present.detail(found, standards, url_for("public.stories")))


@bp.get("/stories.atom", endpoint="feed")
@caching.page
def feed_view() -> Response:
    listing = read_listing()
    stats_views.follow_renamed_region(request.args)
    filters = listing.filters
    latest = queries.latest(db.session(), filters, runtime_settings.get("WAIT_STANDARDS"),
                            feed.SIZE)
    site = instance_text("SITE_NAME")
    language = select_locale()
    # The address it was fetched at (with `lang` if it was asked for), and its canonical one
    # (always with `lang`: the English and Spanish feeds are two feeds), both on SITE_URL.
    asked = language if request.args.get("lang") == language else None
    info = feed.FeedInfo(
        title=gettext("%(site)s: stories of waiting for mental-health care", site=site),
        subtitle=gettext("The newest stories, each read by a moderator before it was shown."),
        feed_id=listing_href(absolute_url("public.feed"), filters, lang=language),
        self_url=listing_href(absolute_url("public.feed"), filters, lang=asked),
        page_url=listing_href(absolute_url("public.stories"), filters, lang=asked),
        author=site, language=language,
        anonymous=gettext("Anonymous"), untitled=gettext("Untitled story"),
    )
    body = feed.atom(info, latest,
                     lambda story_id: absolute_url("public.story", story_id=story_id),
                     utcnow())
    return Response(body, mimetype="application/atom+xml")

