"""The bulk files of the published stories: stories.csv, stories.jsonl and their datapackage.json.

Built by `flask export bulk` (run it from cron, e.g. hourly) into OPEN_DATA_DIR (default:
instance/open-data), never by a request; served at /data/<name>, read-only (a file not built
yet is a 503 that says when to come back). Each build writes new files beside the old and
renames them into place, so a reader never sees half a file. The data package states when
the build started (`created`) and the stories' licence: a copy that starts from these files
catches up with /api/v1/stories?updated_since=<created> and deletes what
/api/v1/stories/removed?since=<created> lists (README: "Open data").
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from testimonials import db, licences, runtime_settings
from testimonials.models import Submission
from testimonials.public import queries
from testimonials.public.commands import _FLAT, _flat
from testimonials.siteurl import origin
from testimonials.stats.csvfile import BOM, safe_cell
from testimonials.vocab import WaitKind

FILES = ("stories.csv", "stories.jsonl", "datapackage.json")
COLUMNS = [*_FLAT, "url", "display_name", "published_at", "updated_at"]
_BATCH = 500


def directory(app: Flask) -> Path:
    configured = app.config.get("OPEN_DATA_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "open-data"


def _story_fields() -> list[dict[str, Any]]:
    """The CSV's Table Schema (the same columns as `flask export stories --format csv`)."""
    types = {"id": "integer", "published_at": "datetime", "updated_at": "datetime",
             **{name: "integer" for name in _FLAT if name.endswith("days")}}
    described = {
        "id": "The story's id: the same in the API and at /stories/<id>.",
        "title": "The title as moderators published it (may be empty).",
        "story": "The story as moderators published it.",
        "language": "The interface language the story was sent in (en or es).",
        "facility": "The facility's name.", "city": "The facility's city.",
        "region": "The facility's region.",
        "care_types": "Kinds of care, separated by ';' (individual, group, ...).",
        "outcomes": "What happened as a result of the wait, separated by ';'.",
        "experience_month": "Year and month it happened, as YYYY-MM text.",
        "url": "The story's page.", "display_name": "The author's chosen name, or Anonymous.",
        "published_at": "When it was published (UTC).",
        "updated_at": "When its public version last changed (UTC): compare with "
                      "updated_since.",
    }
    meaning = {"state": "ended, waiting, gave_up or never_offered (empty: not answered)",
               "days": "days waited (empty when not known)",
               "standard_days": "the legal standard for this wait, in days"}
    for kind in WaitKind:
        for part, text in meaning.items():
            described[f"{kind.value}_{part}"] = f"The {kind.value.replace('_', ' ')} wait: {text}."
    return [{"name": name, "type": types.get(name, "string"),
             "description": described.get(name, name)} for name in COLUMNS]


def _csv_writer(output: Any) -> None:
    """UTF-8 with a BOM and a header (even when no row follows); rows through `_csv_row`."""
    output.write(BOM)
    csv.writer(output, lineterminator="\r\n").writerow(COLUMNS)


def _csv_row(record: dict[str, Any]) -> list[Any]:
    """A story's CSV row, formulas made plain text."""
    return [safe_cell(value) for value in _flat(record, COLUMNS)]


def package(created: dt.datetime, count: int, site_url: str) -> dict[str, Any]:
    """The Frictionless data package describing the two files."""
    when = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    licence = licences.stories()
    base = origin(site_url)
    return {
        "profile": "data-package",
        "name": "waitline-stories",
        "title": "Published stories of waiting for mental-health care",
        "description": (
            "Every story published when the files were built, as moderators published it, "
            "with no personal details. Stories withdrawn by their authors or taken down must "
            f"be deleted from copies: {base}/api/v1/stories/removed?since={when} lists them, "
            f"and {base}/api/v1/stories?updated_since={when} lists what changed since."),
        "created": when,
        "homepage": f"{base}/api/",
        "licenses": [licence.as_dict()],
        "stories": count,
        "resources": [
            {"name": "stories-csv", "path": "stories.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
             "licenses": [licence.as_dict()],
             "schema": {"fields": _story_fields(), "primaryKey": ["id"]}},
            {"name": "stories-jsonl", "path": "stories.jsonl", "format": "jsonl",
             "mediatype": "application/jsonl", "encoding": "utf-8",
             "licenses": [licence.as_dict()],
             "description": "One story a line, exactly as /api/v1/stories/<id> gives its "
                            "`data`."},
        ],
    }


def build(app: Flask, now: dt.datetime | None = None) -> int:
    """Write the three files afresh; returns the number of stories.

    From PARALLEL_FROM stories on, the stories are read and written in PARTS processes, each
    over a range of ids, and the parts joined in id order: the same files, in half the time
    on two cores (a million-story demo load ends with this build).
    """
    created = now or dt.datetime.now(dt.UTC)
    target = directory(app)
    target.mkdir(parents=True, exist_ok=True)
    site_url = str(app.config.get("SITE_URL") or "http://localhost")
    with app.app_context():
        ranges = _ranges(db.session())
    # Names of their own: a build from cron and one by hand may run at once.
    parts = [(_temporary(target, ".jsonl"), _temporary(target, ".csv")) for _ in ranges]
    try:
        if len(ranges) == 1:
            counts = [_write_part(app, ranges[0], parts[0])]
        else:
            settings = {key: app.config[key] for key in _CHILD_SETTINGS if key in app.config}
            with ProcessPoolExecutor(len(ranges),
                                     mp_context=multiprocessing.get_context("spawn")) as pool:
                counts = list(pool.map(_part_in_child, itertools.repeat(settings), ranges,
                                       parts))
        with _atomic(target / "stories.jsonl") as lines, \
                _atomic(target / "stories.csv") as table:
            _csv_writer(table)
            for outputs in parts:
                for part, output in zip(outputs, (lines, table), strict=True):
                    output.flush()
                    with part.open("rb") as stream:
                        shutil.copyfileobj(stream, output.buffer, 1 << 20)
    finally:
        for outputs in parts:
            for part in outputs:
                part.unlink(missing_ok=True)
    count = sum(counts)
    with app.app_context(), _atomic(target / "datapackage.json") as output:
        json.dump(package(created, count, site_url), output, ensure_ascii=False, indent=1)
    return count


def _temporary(directory: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=directory, prefix=".building-part-", suffix=suffix)
    os.close(handle)
    return Path(name)


PARALLEL_FROM = 100_000  # published stories; below, one process is quicker than starting two
PARTS = 2  # the machine's cores
# What a part's process needs of the app's configuration (the rest comes from config/ and
# the environment, as for the app itself).
_CHILD_SETTINGS = ("ENV_NAME", "DATABASE_URL", "SITE_URL", "OPEN_DATA_DIR")
Range = tuple[int, int | None]  # stories with ids after the first, up to the second (or all)


def _ranges(session: Any) -> list[Range]:
    """Id ranges holding about as many published stories each: one below PARALLEL_FROM."""
    published = select(Submission.id).where(Submission.published_at.is_not(None))
    count = session.scalar(select(func.count()).select_from(published.subquery()))
    if count < PARALLEL_FROM:
        return [(0, None)]
    bounds = [session.scalar(published.order_by(Submission.id)
                             .offset(count * part // PARTS - 1).limit(1))
              for part in range(1, PARTS)]
    return list(zip([0, *bounds], [*bounds, None], strict=True))


def _part_in_child(settings: dict[str, Any], ids: Range, paths: tuple[Path, Path]) -> int:
    from testimonials import create_app  # in a process of its own: the app made afresh

    return _write_part(create_app(settings), ids, paths)


def _write_part(app: Flask, ids: Range, paths: tuple[Path, Path]) -> int:
    """The stories of one id range as JSON lines and CSV rows (no header); how many."""
    site_url = str(app.config.get("SITE_URL") or "http://localhost")
    with app.test_request_context("/", base_url=site_url):
        from testimonials.api.stories import story_json, story_urls

        session = db.session()
        standards = runtime_settings.get("WAIT_STANDARDS")
        count = 0
        url = story_urls()
        with paths[0].open("w", encoding="utf-8", newline="") as lines, \
                paths[1].open("w", encoding="utf-8", newline="") as table:
            writer = csv.writer(table, lineterminator="\r\n")
            for story in queries.all_published(session, standards, _BATCH, after=ids[0],
                                               through=ids[1]):
                record = story_json(story, url(story.id))
                lines.write(json.dumps(record, ensure_ascii=False) + "\n")
                writer.writerow(_csv_row(record))
                count += 1
    return count


def built(app: Flask, name: str) -> Path | None:
    """The file as the last build left it; None when none has been built yet."""
    path = directory(app) / name
    return path if path.is_file() else None


class _atomic:
    """A text file written beside `path` and renamed over it when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Any:
        handle, self.temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".building-")
        self.file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        return self.file

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        self.file.close()
        if kind is None:
            os.chmod(self.temporary, 0o644)
            os.replace(self.temporary, self.path)
        else:
            os.unlink(self.temporary)
