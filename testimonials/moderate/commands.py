"""`flask notify digest`: the daily e-mail of the queue to moderators who chose it."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from testimonials import db
from testimonials.models import utcnow
from testimonials.services import notify

notify_cli = AppGroup("notify", help="Moderator alerts by e-mail.")


@notify_cli.command("digest")
def notify_digest() -> None:
    """Send the digest of pending items (run it daily, e.g. from cron)."""
    told = notify.digest(db.session(), current_app.config, utcnow())
    via = "SMTP" if current_app.config.get("SMTP_HOST") else "the log (no SMTP_HOST set)"
    click.echo(f"digest sent to {told} moderator(s) through {via}")


COMMANDS = [notify_cli]
