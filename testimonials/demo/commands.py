"""`flask demo load`: facilities, demo accounts and N synthetic submissions."""

from __future__ import annotations

import datetime as dt
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import bulk, caching, db
from testimonials.models import Facility, Submission, utcnow
from testimonials.paths import FACILITIES_CSV
from testimonials.services import accounts, facilities
from testimonials.stats_commands import cut_release
from testimonials.vocab import Role


@click.command("load")
@with_appcontext
@click.option("--count", default=1000, show_default=True, type=click.IntRange(0, 10_000_000))
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date of the newest submission (default: today). Same seed and date, same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when there are submissions already.")
@click.option("--no-release", is_flag=True,
              help="Do not cut a statistics release after loading (the figures stay unpublished).")
@click.option("--only", "only_status", type=click.Choice(["approved", "pending"]), default=None,
              help="Make every item approved and published, or every item pending (benchmarks).")
def demo_load(count: int, seed: int, until: dt.datetime | None, if_empty: bool,
              no_release: bool, only_status: str | None) -> None:
    """Load the synthetic demo data set over the real facility list, then cut a release."""
    if current_app.config["ENV_NAME"] == "production":
        # Demo accounts have a published password: never on a live site.
        raise click.ClickException("demo data is for development; set WAITLINE_ENV=development")
    end = (until.replace(tzinfo=dt.UTC) if until
           else utcnow().replace(hour=0, minute=0, second=0, microsecond=0))
    with db.writing(bulk=True) as session:
        if if_empty and session.scalar(select(func.count()).select_from(Submission)):
            added = None
        else:
            started = time.perf_counter()
            added = load_into(session, count, seed, end, only_status)
    if added is None:
        click.echo("demo data already present; nothing loaded")
        print_sign_in()
        return
    click.echo(f"loaded {added} submissions in {time.perf_counter() - started:.1f} s")
    if not no_release:
        # Statistics are published only as releases: cut one, so the site shows figures.
        started = time.perf_counter()
        release = cut_release(db.engine(), utcnow(), force=True, allow_few=True,
                              actor_label="flask demo load")
        click.echo(f"statistics release {release.number if release else '-'} cut in "
                   f"{time.perf_counter() - started:.1f} s")
    # The bulk story files at /data/ are cron's to rebuild; the demo site has them at once.
    started = time.perf_counter()
    stories = bulk.build(current_app)
    click.echo(f"bulk story files: {stories} stories in {time.perf_counter() - started:.1f} s")
    print_sign_in()


def load_into(session: Session, count: int, seed: int, end: dt.datetime,
              only_status: str | None) -> int:
    """Facilities (if none), the demo accounts and `count` submissions added; how many."""
    if not session.scalar(select(func.count()).select_from(Facility)):
        with FACILITIES_CSV.open(encoding="utf-8", newline="") as stream:
            facilities.import_facilities(session, facilities.parse_csv(stream))
    moderators = ensure_demo_accounts(session)
    from testimonials.demo import loader  # heavy, and only this command needs it

    added = loader.load(session, count=count, seed=seed, until=end, moderators=moderators,
                        only_status=only_status, progress=_progress(count))
    caching.public_changed(session)  # the demo's stories and places
    return added


def _progress(total: int):  # type: ignore[no-untyped-def]
    step = max(total // 10, 100_000)

    def report(done: int) -> None:
        if done % step == 0 and done < total:
            click.echo(f"  {done} / {total}")
    return report


def ensure_demo_accounts(session) -> tuple[tuple[int, str], ...]:  # type: ignore[no-untyped-def]
    """The demo moderator and admin (created once), who decide the demo items: (id, e-mail)."""
    config = current_app.config
    found = []
    for email, role in ((config["DEMO_MODERATOR_EMAIL"], Role.MODERATOR),
                        (config["DEMO_ADMIN_EMAIL"], Role.ADMIN)):
        account = accounts.find_by_email(session, email) or accounts.create_account(
            session, email, config["DEMO_PASSWORD"], role, utcnow())
        found.append((account.id, account.email))
    return tuple(found)


def print_sign_in() -> None:
    config = current_app.config
    click.echo(f"demo moderator: {config['DEMO_MODERATOR_EMAIL']} / {config['DEMO_PASSWORD']}")
    click.echo(f"demo admin:     {config['DEMO_ADMIN_EMAIL']} / {config['DEMO_PASSWORD']}")
    if not config["TOTP_REQUIRED"]:
        click.echo("(second factor not required in this development configuration)")
