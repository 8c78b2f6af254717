"""`flask --app app purge`: the retention periods of SPEC section 6, applied."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from testimonials import db, runtime_settings, scrub
from testimonials.models import utcnow
from testimonials.services import drafts, retention


class _Counted(Exception):
    """A dry run has counted: undo."""


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
@click.option("--rewrite", is_flag=True,
              help="Then write the tables that hold patients' words anew (PostgreSQL: VACUUM "
                   "FULL, which locks them while it runs; SQLite: VACUUM).")
def purge(dry_run: bool, rewrite: bool) -> None:
    """Erase refused stories, old contact e-mails and unfinished drafts past their retention."""
    hours = float(current_app.config.get("DRAFT_RETENTION_HOURS", 24))
    try:
        with db.writing() as session:
            result = retention.purge(
                session, utcnow(),
                rejected_days=int(runtime_settings.get("RETAIN_REJECTED_DAYS")),
                email_days=int(runtime_settings.get("RETAIN_CONTACT_EMAIL_DAYS")),
                dry_run=dry_run,
            )
            drafts_erased = drafts.purge(session, utcnow(), dt.timedelta(hours=hours))
            if dry_run:
                raise _Counted  # the block rolls back: nothing erased
    except _Counted:
        pass
    if not dry_run:
        if result.stories_erased or result.emails_erased or drafts_erased:
            scrub.after_erasure(db.engine())
        if rewrite:
            scrub.rewrite(db.engine())
    # Counts only: nothing that could identify a patient is printed.
    verb = "would erase" if dry_run else "erased"
    click.echo(f"{verb} {result.stories_erased} rejected or spam stories "
               f"and {result.emails_erased} contact e-mails; {drafts_erased} unfinished drafts")

