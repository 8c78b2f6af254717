"""Every `flask` command, registered here and nowhere else.

The db, users and facilities groups live here; the others beside the code they drive (demo,
export, notify, duplicates, purge, stats), each imported and added below.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from testimonials import db, migrate
from testimonials.demo.commands import demo_load
from testimonials.models import utcnow
from testimonials.moderate.commands import duplicates_cli, notify_cli
from testimonials.paths import FACILITIES_CSV
from testimonials.public.commands import export_cli
from testimonials.public.report_commands import export_report
from testimonials.services import accounts, facilities
from testimonials.share.commands import purge
from testimonials.stats_commands import stats_cli
from testimonials.vocab import Role

db_cli = AppGroup("db", help="Database migrations (Alembic).")
users_cli = AppGroup("users", help="Moderator and admin accounts.")
facilities_cli = AppGroup("facilities", help="The list of facilities.")
demo_cli = AppGroup("demo", help="The synthetic demo data set.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations to the configured database."""
    migrate.upgrade(db.engine(), revision)
    click.echo(f"database at revision {migrate.current_revision(db.engine())}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ("base" undoes all)."""
    migrate.downgrade(db.engine(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate", is_flag=True, help="Compare the models with the database.")
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration file under migrations/versions/."""
    migrate.revision(db.engine(), message, autogenerate)


@db_cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrated database differ."""
    diffs = migrate.differences(db.engine())
    for diff in diffs:
        click.echo(repr(diff))
    if diffs:
        raise SystemExit(1)
    click.echo("models and migrations agree")


def read_password() -> str:
    """Prompt twice on a terminal; read one line from standard input when piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MODERATOR.value,
              show_default=True)
def users_create(email: str, role: str) -> None:
    """Create a moderator or admin account; they enrol a second factor at first sign-in."""
    password = read_password()  # before the write lock is taken
    try:
        with db.writing() as session:
            account = accounts.create_account(session, email, password, Role(role), utcnow())
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created {account.role.value} {account.email}")


@facilities_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                default=FACILITIES_CSV)
def facilities_import(path: Path) -> None:
    """Add or update facilities from a CSV file (name, city, region, latitude, longitude)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = facilities.parse_csv(stream)
        with db.writing() as session:
            result = facilities.import_facilities(session, rows)
    except facilities.FacilityImportError as error:
        raise click.ClickException(f"{path}: {error}") from None
    click.echo(f"{result.created} facilities added, {result.updated} updated, "
               f"{result.regions_created} regions added")


demo_cli.add_command(demo_load)
export_cli.add_command(export_report)

# What `flask --help` lists (click sorts it by name).
COMMANDS = (db_cli, users_cli, facilities_cli, demo_cli, export_cli, notify_cli, duplicates_cli,
            purge, stats_cli)


def register(app: Flask) -> None:
    """Add every command to the app's `flask` command line."""
    for command in COMMANDS:
        app.cli.add_command(command)
