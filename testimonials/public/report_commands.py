"""`flask export report`: the officials' and press report of a place as one standalone HTML file.

The file is the page /stats/releases/N/report serves, rendered with its stylesheets inlined,
its icon empty and its links absolute (SITE_URL), so that it opens, prints and can be mailed
without fetching anything.
"""

from __future__ import annotations

from typing import IO

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.exceptions import HTTPException

from testimonials import db
from testimonials.public.report_views import report_page
from testimonials.services import published as served
from testimonials.stats.place_report import SITE, PlaceError, parse_place


@click.command("report")
@with_appcontext
@click.option("--place", "place_text", default=SITE, show_default=True,
              help="site, region:<id> or facility:<id>.")
@click.option("--release", "number", type=click.IntRange(min=1),
              help="A release's number (default: the latest).")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), required=True,
              help="The HTML file to write.")
def export_report(place_text: str, number: int | None, language: str, output: IO[str]) -> None:
    """The report for officials and press of a place, as one HTML file with nothing to fetch."""
    try:
        place = parse_place(place_text)
    except PlaceError as error:
        raise click.BadParameter("use site, region:<id> or facility:<id>",
                                 param_hint="--place") from error
    number = number or served.latest_number(db.session())
    if number is None:
        raise click.ClickException("No statistics have been published yet.")
    if served.release(db.session(), number) is None:
        raise click.ClickException(f"There is no release {number}.")
    query = {} if place.scope == SITE else {place.scope: str(place.id)}
    base = str(current_app.config.get("SITE_URL") or "http://localhost")
    with current_app.test_request_context(f"/stats/releases/{number}/report", base_url=base,
                                          query_string={**query, "lang": language}):
        try:
            text = report_page(number, standalone=True)
        except HTTPException as refused:  # the page's refusal (an unknown place)
            status = refused.get_response().status_code
            raise click.ClickException(
                f"{status}: no report for {place} in release {number}") from None
    output.write(text)
    click.echo(f"report of {place}, release {number}, written", err=True)
