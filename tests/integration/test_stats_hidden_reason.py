"""Why a group is hidden: a small count, or a small change since the last release.

A group is hidden when fewer than STATS_MIN_CELL people answered (here or in a related
group), and also when its count moved by 1 to STATS_MIN_CELL - 1 since the last release that
showed it: comparing the two would single those people out. Every text said only the first,
so the officials' report of a clinic that grew from 30 to 33 people said "fewer than 11
people answered here" right before "An earlier release counted 30 people here". The words
name both reasons in releases cut from now on; a release cut before keeps the words it
stored. English and Spanish, on SQLite and PostgreSQL, through the real cut.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from testimonials import create_app
from testimonials.models import Facility, StatRelease
from testimonials.stats import methods, tidy
from tests import builders

# What a hidden count of people is said with, and the marker of a hidden group, since.
WITHHELD = {
    "en": "The number of people counted here is withheld to protect them: fewer than 11 people "
          "answered, or 1 to 10 joined or left since the last release that showed the number, "
          "here or in a related group, and they could be identified.",
    "es": "El número de personas contadas aquí no se publica, para protegerlas: menos de 11 "
          "personas respondieron, o de 1 a 10 se sumaron o salieron desde la última edición "
          "que mostró el número, aquí o en un grupo relacionado, y se las podría identificar.",
}
HIDDEN = {
    "en": "hidden (fewer than 11 answers, or a change of 1 to 10 since the last release that "
          "showed it, here or in a related group)",
    "es": "oculto (menos de 11 respuestas, o un cambio de 1 a 10 desde la última edición que "
          "lo mostró, aquí o en un grupo relacionado)",
}
# The same before (the code's msgids then, still in the catalogue), naming the count only.
OLD_MSGIDS = {"HIDDEN": "hidden (fewer than %(min_cell)s answers here or in a related group)",
              "PEOPLE_WITHHELD": "The number of people counted here is withheld to protect "
                                 "them: fewer than %(min_cell)s people answered here or in a "
                                 "related group, and they could be identified."}
OLD_WITHHELD = {
    "en": "The number of people counted here is withheld to protect them: fewer than 11 people "
          "answered here or in a related group, and they could be identified.",
    "es": "El número de personas contadas aquí no se publica, para protegerlas: menos de 11 "
          "personas respondieron aquí o en un grupo relacionado, y se las podría identificar.",
}
OLD_HIDDEN = {"en": "hidden (fewer than 11 answers here or in a related group)",
              "es": "oculto (menos de 11 respuestas aquí o en un grupo relacionado)"}


def text_of(app: Flask, path: str) -> str:
    response = app.test_client().get(path)
    assert response.status_code == 200, path
    return " ".join(response.get_data(as_text=True).split())


def json_of(app: Flask, path: str) -> Any:
    response = app.test_client().get(path)
    assert response.status_code == 200, path
    return response.get_json()


@pytest.fixture
def grown(app: Flask, session: Session) -> Facility:
    """Release 1 shows Big Clinic's 30 people; 3 join it and 15 a far clinic; release 2 hides
    Big Clinic's 33, not a small group: it moved by 3 (the audit, on by default)."""
    return builders.a_few_joined(app, session)[0]


def test_a_group_hidden_for_a_small_change_says_so_on_stats_and_the_report(
        app: Flask, grown: Facility) -> None:
    facility = f"facility={grown.id}"
    # The case: shown as 30 in release 1, hidden in release 2 though 33 are counted.
    assert json_of(app, f"/stats/releases/1.json?{facility}")["respondents"]["count"] == 30
    now = json_of(app, f"/stats/releases/2.json?{facility}")
    assert now["respondents"]["suppressed"] and now["respondents"]["count"] is None
    assert now["suppressed_text"] == HIDDEN["en"]
    for language in ("en", "es"):  # one pair of releases for both (failures name theirs)
        stats = text_of(app, f"/stats?{facility}&lang={language}")
        assert WITHHELD[language] in stats, language
        assert HIDDEN[language] in stats, language
        report = text_of(app, f"/stats/report?{facility}&lang={language}")
        assert WITHHELD[language] in report, language
        assert OLD_WITHHELD[language] not in report, language
    # The report's sentence and its held count, which contradicted each other, now agree.
    report = text_of(app, f"/stats/report?{facility}")
    held = report.index('<span class="held-count">An earlier release counted 30 people here')
    assert report.index(WITHHELD["en"]) < held
    package = json_of(app, "/stats/releases/2/datapackage.json")
    status = next(field for field in package["resources"][0]["schema"]["fields"]
                  if field["name"] == "status")
    assert status["description"] == tidy.STATUS
    assert "too small a change since the last release" in status["description"]


@pytest.fixture
def cut_before(app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Release 1 cut by the code before the change: its words then (the catalogue still
    translates them), and no description of the CSV's status stored. The code is today's
    after."""
    with monkeypatch.context() as before:
        for name, msgid in OLD_MSGIDS.items():
            before.setattr(methods, name, msgid)
        builders.clinics_released(app, session, (("Big Clinic", "East Bay", 30),
                                                 ("Small Clinic", "North", 4)))
    row = session.get(StatRelease, 1)
    assert row is not None
    data = json.loads(zlib.decompress(row.document))
    assert data.pop("csv_status") == tidy.STATUS
    session.execute(update(StatRelease).where(StatRelease.number == 1).values(
        document=zlib.compress(json.dumps(data, separators=(",", ":")).encode())))
    session.commit()


def test_a_release_cut_before_the_change_keeps_its_words(
        app: Flask, cut_before: None, database_url: str, tmp_path: Any) -> None:
    # Served by a process started after the change (nothing kept from the cut's).
    later = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "OPEN_DATA_DIR": str(tmp_path / "open-data-2")})
    try:
        for language in ("en", "es"):
            for path in ("/stats/releases/1?region=north", "/stats/releases/1/report?region=north"):
                page = text_of(later, f"{path}&lang={language}")
                assert OLD_WITHHELD[language] in page, (path, language)
                assert WITHHELD[language] not in page, (path, language)
            document = json_of(later, f"/stats/releases/1.json?lang={language}")
            assert document["suppressed_text"] == OLD_HIDDEN[language], language
            assert OLD_HIDDEN[language] in document["methods"], language
        package = json_of(later, "/stats/releases/1/datapackage.json")
        status = next(field for field in package["resources"][0]["schema"]["fields"]
                      if field["name"] == "status")
        assert status["description"] == tidy.STATUS_BEFORE
        # A release cut now says today's words.
        later.config["STATS_PROTECTION_AUDIT"] = False  # the words, not the protection
        assert builders.release(later) == 2
        assert json_of(later, "/stats/releases/2.json")["suppressed_text"] == HIDDEN["en"]
        assert WITHHELD["es"] in text_of(later, "/stats/releases/2?region=north&lang=es")
    finally:
        later.extensions["waitline.engine"].dispose()
