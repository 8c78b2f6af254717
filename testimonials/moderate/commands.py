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
    session = db.session()
    try:
        told = notify.digest(session, current_app.config, utcnow())
    except notify.MailError as error:
        session.rollback()
        notify.record_outcome(session, utcnow(), notify.DIGEST, error)
        session.commit()
        raise click.ClickException(f"digest not sent: {error}") from None
    if told and current_app.config.get("SMTP_HOST"):
        notify.record_outcome(session, utcnow(), notify.DIGEST, None)
        session.commit()
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

