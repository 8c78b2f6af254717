"""`flask stats release`, `flask stats check` and `flask stats rebuild`, and cutting a release.

Kept out of the `stats` package, which is pure (no Flask, no database); registered by
testimonials/cli.py with every other command.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext
from sqlalchemy import Engine

from testimonials import caching, db, licences, runtime_settings
from testimonials.instance_text import instance_text_in
from testimonials.models import Account, StatRelease, utcnow
from testimonials.models.submission import (
    PUBLISHED,
    counted_statuses,
    recount_statuses,
    stored_statuses,
)
from testimonials.services import aggregates, audit, releases
from testimonials.services import published as served
from testimonials.services.statistics import rebuild, recount, stored_cells
from testimonials.siteurl import origin
from testimonials.stats import releases as stats_releases
from testimonials.stats import tidy, wording
from testimonials.stats.cells import ALL

stats_cli = AppGroup("stats", help="Statistics releases and the aggregates they are cut from.")


def cut_release(engine: Engine, now: dt.datetime, *, force: bool = False,
                allow_few: bool = False, actor: Account | None = None,
                actor_label: str | None = None) -> StatRelease | None:
    """Cut and publish a release when one is due (or `force`); None when none is due.

    ReleaseError("too_few_new") when fewer than STATS_MIN_CELL people joined since the
    previous release (`allow_few`, for tests and the demo only, skips that guard).

    The figures are computed in a read transaction of their own (one snapshot: REPEATABLE
    READ on PostgreSQL, a deferred transaction on SQLite), however long that takes; the row
    is then inserted, with an audit entry, in a short write transaction.
    """
    schedule = str(current_app.config.get("STATS_RELEASE_SCHEDULE", "weekly"))
    with db.own_session(engine) as reader:
        previous = releases.latest(reader)
        if not force and not releases.due(previous.cut_at if previous else None, now,
                                          schedule):
            return None
    read = engine
    if engine.dialect.name == "postgresql":
        read = engine.execution_options(isolation_level="REPEATABLE READ",
                                        postgresql_readonly=True)
    min_cell = int(runtime_settings.get("STATS_MIN_CELL"))
    width = None
    if current_app.config.get("STATS_PROTECTION_AUDIT"):
        width = int(current_app.config.get("STATS_PROTECTION_WIDTH") or min_cell)
    with db.own_session(read) as reader, reader.begin():
        people = aggregates.respondents(reader, ALL)
        if not allow_few and not releases.enough_new(
                previous.respondents if previous else None, people, min_cell):
            raise releases.ReleaseError("too_few_new")
        draft = releases.compute(reader, now, runtime_settings.get("WAIT_STANDARDS"),
                                 min_cell, width,
                                 int(current_app.config["STATS_PATTERN_REVIEW_EVERY"]))
    releases.add_wording(draft, release_wording(draft, min_cell))
    with db.own_session(engine) as own, db.writing(own) as writer:
        release = releases.publish(writer, draft, utcnow())
        audit.record(writer, utcnow(), actor, "stats.release",
                     subject=f"release:{release.number}",
                     after={"number": release.number, "cut_at": release.cut_at,
                            "respondents": release.respondents}, actor_label=actor_label)
    return release


def release_wording(draft: releases.Draft, min_cell: int) -> dict[str, Any]:
    """What the release's documents will say, in every language the site offers now, and
    the licence: stored in the release, never read again from the code or configuration."""
    cut = stats_releases.from_document(0, draft.cut_at, draft.document)
    counts = served.on_standard(cut)
    texts = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            texts[language] = wording.texts(gettext, min_cell, counts)
            texts[language]["package_title"] = gettext(
                wording.PACKAGE_TITLE, site=instance_text_in("SITE_NAME", language))
    found = licences.stats()
    return {"texts": texts, "licence": {"spdx": found.spdx, "name": found.name,
                                        "url": found.url},
            # The origin of the data package's absolute links (a later SITE_URL changes none).
            "site_url": origin(str(current_app.config["SITE_URL"])),
            # And how it describes the CSV's `status` column (a later rewording changes none).
            "csv_status": tidy.STATUS}


@stats_cli.command("release")
@click.option("--force", is_flag=True, help="Cut a release even if the schedule says none is due.")
@click.option("--allow-few", is_flag=True, hidden=True,
              help="Skip the guard of STATS_MIN_CELL new people (to time a release only).")
def stats_release(force: bool, allow_few: bool) -> None:
    """Cut a statistics release when STATS_RELEASE_SCHEDULE says one is due (for cron)."""
    started = time.perf_counter()
    try:
        release = cut_release(db.engine(), utcnow(), force=force, allow_few=allow_few,
                              actor_label="flask stats release")
    except releases.ReleaseError as error:
        if error.code != "too_few_new":
            raise
        click.echo("no release: fewer than STATS_MIN_CELL people joined since the last one "
                   "(a release would show their answers)")
        return
    if release is None:
        click.echo("no release due (use --force to cut one anyway)")
        return
    click.echo(f"release {release.number} cut at {release.cut_at:%Y-%m-%d %H:%M} UTC "
               f"({release.respondents} people) in {time.perf_counter() - started:.1f} s")


@stats_cli.command("check")
def stats_check() -> None:
    """Fail when the aggregates, or the stored counts (statuses, published stories), differ
    from a full recount."""
    session = db.session()
    stored, counted = stored_cells(session), recount(session)
    differing = {cell for cell in stored.keys() | counted.keys()
                 if stored.get(cell, 0) != counted.get(cell, 0)}
    for cell in sorted(differing)[:20]:
        click.echo(f"{cell}: stored {stored.get(cell, 0)}, recount {counted.get(cell, 0)}")
    stored_counts = stored_statuses(session)
    counted_counts = {(str(status), bool(urgent)): number
                      for status, urgent, number in session.execute(counted_statuses())}
    wrong = sorted(key for key in stored_counts.keys() | counted_counts.keys()
                   if stored_counts.get(key, 0) != counted_counts.get(key, 0))
    for status, urgent in wrong:
        label = ("published stories" if status == PUBLISHED
                 else f"status {status}{' (urgent)' if urgent else ''}")
        click.echo(f"{label}: stored {stored_counts.get((status, urgent), 0)}, recount "
                   f"{counted_counts.get((status, urgent), 0)}")
    if differing or wrong:
        raise click.ClickException(f"{len(differing)} cells and {len(wrong)} stored counts "
                                   "differ; run `flask stats rebuild`")
    click.echo(f"aggregates agree with a full recount ({len(counted)} cells), and so do the "
               f"status counts and the count of published stories "
               f"({counted_counts.get((PUBLISHED, False), 0)})")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Replace the aggregates and the stored counts (statuses, published stories) with a full
    recount (published releases do not change)."""
    started = time.perf_counter()
    with db.writing() as session:
        cells = rebuild(session, utcnow())
        recount_statuses(session)
        caching.public_changed(session)  # the home page shows the published count
    click.echo(f"{cells} cells, the status counts and the published count recounted in "
               f"{time.perf_counter() - started:.1f} s")

