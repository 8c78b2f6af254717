"""Home page and health check."""

from __future__ import annotations

from flask import Response, jsonify, render_template, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from testimonials import caching, db, runtime_settings
from testimonials.filter_params import CARE_NAMES
from testimonials.public import bp, labels, present, queries, stats_files, stats_views
from testimonials.public.listing import Filters
from testimonials.public.web import listing_href
from testimonials.services import published as served
from testimonials.siteurl import absolute_url
from testimonials.vocab import WaitKind

RECENT = 3


@bp.get("/")
@caching.page
def home() -> str:
    session = db.session()
    # Through runtime settings, as /stats reads them, so the two never disagree.
    standards = runtime_settings.get("WAIT_STANDARDS")
    headline = served.headline(session)  # the latest release, as /stats shows it
    min_cell = headline.min_cell if headline else runtime_settings.get("STATS_MIN_CELL")
    latest = served.release(session, None)
    # A hidden group is said in its own sentence, as the release stored it (not "fewer than").
    withheld = stats_views.people_withheld(latest) if latest else ""
    hidden = headline.hidden if headline else frozenset()
    stories_path = url_for("public.stories")
    recent = queries.recent_stories(session, standards, limit=RECENT)
    return render_template(
        "public/home.html",
        min_cell=min_cell,
        published=queries.published_count(session),
        release=headline,
        intake=present.figure(headline.intake if headline else None, min_cell,
                              labels.standard_text(WaitKind.INTAKE, 0, standards),
                              withheld if WaitKind.INTAKE.value in hidden else None),
        first_return=present.figure(headline.first_return if headline else None, min_cell,
                                    labels.standard_text(WaitKind.FIRST_RETURN, 0, standards),
                                    withheld if WaitKind.FIRST_RETURN.value in hidden
                                    else None),
        recent=present.Cards(standards, stories_path).cards(recent),
        care_links=[(labels.CARE_TYPE[bit], listing_href(stories_path, Filters(care=bit)))
                    for bit in CARE_NAMES.values()],
        # The share card of the latest release's figures for everyone, whatever the filters.
        share=stats_files.share_meta(session, latest,
                                     page_url=absolute_url("public.home")),
    )


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True), 200
