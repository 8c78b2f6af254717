"""Issue 14, "an earlier release stays at its address byte for byte": once cut, a release's
CSV, JSON, API and export say the same bytes after the code, the catalogue or the settings
change (a new methods note, a reworded label, another licence, minimum cell or standard), on
SQLite and PostgreSQL. Releases cut before format 5 keep serving what they served."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import StatRelease
from testimonials.stats import methods, page, quarters, tidy, wording
from testimonials.stats.universe import CARE_LABELS, OUTCOME_LABELS, SERIES_LABELS
from testimonials.vocab import Outcome, Status, WaitKind, WaitState
from tests import builders

RELEASE_PATHS = tuple(
    f"{path}{query}"
    for path in ("/stats/releases/1.csv", "/stats/releases/1.json", "/api/v1/stats/releases/1",
                 "/stats.csv", "/stats.json", "/api/v1/stats",
                 "/stats/releases/1/datapackage.json")
    for query in ("", "?lang=es", "?care=individual", "?region=east-bay&lang=es"))
EXPORTS = (("--format", "csv"), ("--format", "json"),
           ("--format", "json", "--language", "es", "--care", "individual"))


@pytest.fixture
def cut(app: Flask, session: Session) -> None:
    """A clinic of 30 people in one quarter, some of whom went to an emergency room."""
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    for number in range(30):
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 4 + 3 * number)},
                            outcomes=int(Outcome.EMERGENCY_ROOM) if number % 2 else 0)
    session.commit()
    builders.release(app)


def served(app: Flask) -> dict[str, str]:
    """Every document of release 1 (the latest) as a reader or `flask export stats` gets it."""
    found = builders.served_bodies(app.test_client(), RELEASE_PATHS)
    runner = app.test_cli_runner()
    for options in EXPORTS:
        result = runner.invoke(args=["export", "stats", "--release", "1", *options])
        assert result.exit_code == 0, result.output
        found[" ".join(options)] = result.stdout
    return found


def change_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a later version of the site could say: another methods note, hidden marker and
    labels (in the code, so untranslated); `wording` reads them afresh, as after a restart."""
    monkeypatch.setattr(methods, "SECTIONS", (("New section.", "Say %(min_cell)s."),
                                              *methods.SECTIONS[1:]))
    monkeypatch.setattr(methods, "HIDDEN", "not shown (under %(min_cell)s)")
    monkeypatch.setattr(methods, "PEOPLE_WITHHELD", "Not shown (under %(min_cell)s).")
    monkeypatch.setattr(tidy, "STATUS", "shown, hidden or missing.")
    monkeypatch.setitem(SERIES_LABELS, "intake", "Wait for a first visit")
    monkeypatch.setitem(CARE_LABELS, 1, "One-to-one therapy")
    monkeypatch.setitem(OUTCOME_LABELS, "emergency_room", "Went to the ER")
    monkeypatch.setitem(quarters.LABELS, 1, "%(year)s, first quarter")
    # Business days counted another way: every standard is 20 calendar days.
    monkeypatch.setattr(page, "standard_days", lambda *_args: 20)
    wording._ids_by_msgid.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_label_ids() -> Iterator[None]:
    wording._ids_by_msgid.cache_clear()
    yield
    wording._ids_by_msgid.cache_clear()


def restarted(database_url: str, tmp_path: Any) -> Flask:
    """The same database served by a new process under other settings."""
    return create_app({
        "DATABASE_URL": database_url, "ENV_NAME": "testing",
        "OPEN_DATA_DIR": str(tmp_path / "open-data-2"),
        "STATS_MIN_CELL": 5, "STATS_LICENCE": "CC0-1.0",
        "WAIT_STANDARDS": {"intake": {"days": 30}, "first_return": {"days": 30},
                           "between_returns": {"days": 30}, "psychiatry": {"days": 30},
                           "urgent": {"hours": 96}},
    })


def test_a_release_says_the_same_bytes_after_the_code_and_settings_change(
        app: Flask, cut: None, database_url: str, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = served(app)
    assert "How these figures are made" in before["/stats/releases/1.json"]
    assert "CC-BY-4.0" in before["/stats/releases/1.json"]
    change_code(monkeypatch)
    later = restarted(database_url, tmp_path)
    try:
        after = served(later)
    finally:
        later.extensions["waitline.engine"].dispose()
    # The live code does say something else now: a release cut now would differ.
    assert "New section." in methods.methods_note()
    for name, body in before.items():
        assert after[name] == body, name


def test_a_release_cut_before_format_5_keeps_serving_what_it_served(
        app: Flask, cut: None, session: Session, database_url: str, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A format 4 document (no stored words): served with the words frozen when format 5
    came, whatever the code says later."""
    row = session.get(StatRelease, 1)
    assert row is not None
    data = json.loads(zlib.decompress(row.document))
    assert data["format"] == 5 and set(data["texts"]) == {"en", "es"}
    for name in ("texts", "licence"):
        del data[name]
    data["format"] = 4
    session.execute(update(StatRelease).where(StatRelease.number == 1).values(
        document=zlib.compress(json.dumps(data, separators=(",", ":")).encode())))
    session.commit()
    before = served(app)
    change_code(monkeypatch)
    later = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "OPEN_DATA_DIR": str(tmp_path / "open-data-2")})
    try:
        found = served(later)
    finally:
        later.extensions["waitline.engine"].dispose()
    for name, body in before.items():
        assert found[name] == body, name
    document = json.loads(found["/stats/releases/1.json"])
    assert document["methods"].startswith("How these figures are made\n\nWhat these figures")
    assert document["waits"][0]["label"] == "First (intake) appointment"
    assert "New section." not in found["/stats/releases/1.json?lang=es"]
    assert "Wait for a first visit" not in "".join(found.values())
