"""`flask notify digest`: the daily e-mail of the queue to moderators who chose it.
`flask duplicates index`: near-duplicate signatures for stories that arrived before them."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from testimonials import db
from testimonials.models import utcnow
from testimonials.services import duplicates, notify

notify_cli = AppGroup("notify", help="Moderator alerts by e-mail.")


@notify_cli.command("digest")
def notify_digest() -> None:
    """Send the digest of pending items (run it daily, e.g. from cron).

    A failed delivery ends with one line saying why and exit status 1, and is shown to
    admins on /admin/ until a later delivery succeeds.
    """
    # The mail goes out from a read transaction, before any write: an SMTP server may take up
    # to its 20 s timeout, and a write lock held meanwhile would stop every writer on SQLite.
    # Its outcome is written after it, in a short write of its own. Nothing marks a digest as
    # sent, so a run that dies in between loses only that line for the admins (the mail is
    # not sent twice); the next day's run sends the next digest.
    failure: notify.MailError | None = None
    told = 0
    try:
        told = notify.digest(db.session(), current_app.config, utcnow())
    except notify.MailError as error:
        failure = error
    if failure is not None or (told and current_app.config.get("SMTP_HOST")):
        with db.writing(after_reads=True) as session:
            notify.record_outcome(session, utcnow(), notify.DIGEST, failure)
    if failure is not None:
        raise click.ClickException(f"digest not sent: {failure}")
    via = "SMTP" if current_app.config.get("SMTP_HOST") else "the log (no SMTP_HOST set)"
    click.echo(f"digest sent to {told} moderator(s) through {via}")


duplicates_cli = AppGroup("duplicates", help="Near-duplicate stories.")


@duplicates_cli.command("index")
@click.option("--batch", default=500, show_default=True, help="Items per transaction.")
def duplicates_index(batch: int) -> None:
    """Sign every story that has no near-duplicate signature yet (once, after upgrading:
    new stories are signed as they arrive)."""
    total = 0
    while True:
        with db.writing() as session:
            done = duplicates.index_missing(session, batch)
        total += done
        if done < batch:
            break
    click.echo(f"signed {total} stories")

