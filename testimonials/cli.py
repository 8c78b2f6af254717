"""Flask commands: db, users, facilities, demo."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from testimonials import db, migrate
from testimonials.models import utcnow
from testimonials.paths import FACILITIES_CSV
from testimonials.services import accounts, facilities
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
    session = db.session()
    try:
        account = accounts.create_account(session, email, read_password(), Role(role), utcnow())
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"created {account.role.value} {account.email}")


@facilities_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                default=FACILITIES_CSV)
def facilities_import(path: Path) -> None:
    """Add or update facilities from a CSV file (name, city, region, latitude, longitude)."""
    session = db.session()
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = facilities.parse_csv(stream)
        result = facilities.import_facilities(session, rows)
    except facilities.FacilityImportError as error:
        raise click.ClickException(f"{path}: {error}") from None
    session.commit()
    click.echo(f"{result.created} facilities added, {result.updated} updated, "
               f"{result.regions_created} regions added")


# Features keep their own commands beside their code, in a `commands` module exposing
# `COMMANDS` (a list of click commands or groups); they are found here.
FEATURE_COMMAND_MODULES = ["share", "moderate", "admin", "public", "api", "stats"]


def register(app: Flask) -> None:
    from testimonials.demo.commands import demo_load

    demo_cli.add_command(demo_load)
    for group in (db_cli, users_cli, facilities_cli, demo_cli):
        app.cli.add_command(group)
    for feature in FEATURE_COMMAND_MODULES:
        name = f"testimonials.{feature}.commands"
        if importlib.util.find_spec(name) is not None:
            for command in importlib.import_module(name).COMMANDS:
                app.cli.add_command(command)
