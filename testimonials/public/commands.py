"""`flask export`: the open data as files, for a campaign's briefings and for archives.

`export bulk` rebuilds the bulk files served at /data/ (testimonials/bulk.py).
`export stats` writes exactly what /stats.csv or /stats.json serves (the latest release, or
`--release N`; the same filters, the same suppression: the view itself renders it).
`export stories` writes the published stories
(the API's fields), or, with `--audience officials`, the approved stories whose patients agreed
to share them with legislators, regulators and press: the moderated version only, with no
name. Nothing a moderator alone may see (original text, e-mail, flags, notes) is ever read.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import IO, Any

import click
from flask import current_app
from flask.cli import AppGroup

from testimonials import db, runtime_settings
from testimonials.api.stories import story_json
from testimonials.public import queries
from testimonials.services import published as served
from testimonials.stats.csvfile import BOM, safe_cell
from testimonials.vocab import WaitKind

export_cli = AppGroup("export", help="Open data as files: statistics and shareable stories.")

_BATCH = 500


@export_cli.command("stats")
@click.option("--format", "form", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--region", help="Region slug or id.")
@click.option("--facility", help="Facility id.")
@click.option("--care", help="Care type (individual, group, psychiatry, crisis, child, "
                             "intake_only).")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("--release", "number", type=click.IntRange(min=1),
              help="A release's number (default: the latest).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
def export_stats(form: str, region: str | None, facility: str | None, care: str | None,
                 language: str, number: int | None, output: IO[str]) -> None:
    """A statistics release as /stats.csv or /stats.json serve it, with the same suppression."""
    if served.latest_number(db.session()) is None:
        raise click.ClickException("No statistics have been published yet.")
    query = {k: v for k, v in (("region", region), ("facility", facility), ("care", care)) if v}
    path = f"/stats/releases/{number}" if number else "/stats"
    path += ".csv" if form == "csv" else ".json"
    with current_app.test_request_context(path, query_string=query, base_url=_base_url(),
                                          headers={"Accept-Language": language}):
        response = current_app.full_dispatch_request()
    text = response.get_data(as_text=True)
    if response.status_code != 200:
        raise click.ClickException(f"{response.status_code}: {_reason(text)}")
    output.write(text.removeprefix(BOM) if output.name == "<stdout>" else text)


@export_cli.command("stories")
@click.option("--audience", type=click.Choice(["public", "officials"]), default="public",
              show_default=True,
              help="public: the published stories; officials: approved stories shared with "
                   "legislators, regulators and press (anonymous, published or not).")
@click.option("--format", "form", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
def export_stories(audience: str, form: str, output: IO[str]) -> None:
    """Stories, one JSON object a line or one CSV row each, oldest first."""
    session = db.session()
    standards = runtime_settings.get("WAIT_STANDARDS")
    with current_app.test_request_context("/", base_url=_base_url()):
        if audience == "public":
            records = (story_json(story)
                       for story in queries.all_published(session, standards, _BATCH))
        else:
            records = (_official(story)
                       for story in queries.shared_with_officials(session, standards, _BATCH))
        count = (_write_csv if form == "csv" else _write_jsonl)(records, output)
    click.echo(f"{count} {'story' if count == 1 else 'stories'} exported", err=True)


@export_cli.command("bulk")
def export_bulk() -> None:
    """Rebuild the bulk files served at /data/ (stories CSV and JSON Lines, datapackage.json).

    For cron, e.g. hourly: `flask export bulk`. Files are replaced whole, never half-written."""
    from testimonials import bulk

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = bulk.build(app)
    click.echo(f"{count} {'story' if count == 1 else 'stories'} in {bulk.directory(app)}",
               err=True)


def _official(story: queries.PublicStory) -> dict[str, Any]:
    """A story for officials: the public fields without the name or a link (it may be off the
    site), and the date of the moderators' decision."""
    record = story_json(story)
    for key in ("display_name", "url", "published_at"):
        record.pop(key)
    record["approved_at"] = story.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return record


def _write_jsonl(records: Iterable[dict[str, Any]], output: IO[str]) -> int:
    count = 0
    for record in records:
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


_FLAT = ("id", "title", "story", "language", "facility", "city", "region", "care_types",
         "outcomes", "experience_month", *(f"{kind.value}_{part}" for kind in WaitKind
                                           for part in ("state", "days", "standard_days")))


def _flat(record: dict[str, Any], columns: list[str]) -> list[Any]:
    place = record["facility"] or {}
    row: dict[str, Any] = {
        **record, "facility": place.get("name"), "city": place.get("city"),
        "region": (place.get("region") or {}).get("name"),
        "care_types": ";".join(record["care_types"]), "outcomes": ";".join(record["outcomes"]),
    }
    for wait in record["waits"]:
        for part in ("state", "days", "standard_days"):
            row[f"{wait['kind']}_{part}"] = wait[part]
    return [row.get(key) for key in columns]


def _write_csv(records: Iterable[dict[str, Any]], output: IO[str]) -> int:
    """CSV that opens cleanly in a spreadsheet: UTF-8 with a BOM, formulas made plain text.

    The columns: the flat ones, then whatever else the audience's records hold (the same
    keys in every record, so they are read from the first)."""
    writer = csv.writer(output, lineterminator="\r\n")
    columns: list[str] = []
    count = 0
    for record in records:
        if not columns:
            columns = [*_FLAT, *(key for key in record if key not in _FLAT and key != "waits")]
            output.write(BOM)
            writer.writerow(columns)
        writer.writerow([safe_cell(value) for value in _flat(record, columns)])
        count += 1
    return count


def _base_url() -> str:
    return str(current_app.config.get("SITE_URL") or "http://localhost")


def _reason(text: str) -> str:
    try:
        return str(json.loads(text).get("error", text))[:200]
    except ValueError:
        return text.partition("\n")[0][:200]

