"""`flask stats check` and `flask stats rebuild`: compare the aggregates with a full recount.

Needs "stats" in FEATURE_COMMAND_MODULES (testimonials/cli.py) to be found.
"""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from testimonials import db
from testimonials.services.statistics import rebuild, recount, stored_cells

stats_cli = AppGroup("stats", help="The statistics aggregates.")


@stats_cli.command("check")
def stats_check() -> None:
    """Fail when the aggregates differ from a full recount of the counted submissions."""
    session = db.session()
    stored, counted = stored_cells(session), recount(session)
    differing = {cell for cell in stored.keys() | counted.keys()
                 if stored.get(cell, 0) != counted.get(cell, 0)}
    for cell in sorted(differing)[:20]:
        click.echo(f"{cell}: stored {stored.get(cell, 0)}, recount {counted.get(cell, 0)}")
    if differing:
        raise click.ClickException(f"{len(differing)} cells differ; run `flask stats rebuild`")
    click.echo(f"aggregates agree with a full recount ({len(counted)} cells)")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Replace the aggregates with a full recount (the figures change on the next request)."""
    session = db.write_session()
    started = time.perf_counter()
    cells = rebuild(session)
    session.commit()
    click.echo(f"{cells} cells recounted in {time.perf_counter() - started:.1f} s")


COMMANDS = [stats_cli]
