"""A hidden count of people is said in a sentence of its own (the review of issue 14).

Where the site's or a place's count was hidden, pages put the hidden marker where a number
goes: "From approved stories whose authors agreed to be counted: hidden (fewer than 11
answers here or in a related group) stories.", "People counted here: hidden (...).", and the
home page said "Fewer than 11 answers so far" of a group that may hold hundreds, hidden to
protect another. The sentence is stored with the release at its cut, in each language, like
the rest of its words; a release cut before says today's. English and Spanish, on SQLite and
PostgreSQL.
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
from testimonials.models import StatRelease
from testimonials.stats import methods
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders
from tests.integration.test_stats_hidden_reason import WITHHELD  # both reasons, as pages say them

# A number's place in a sentence, filled with the hidden marker (what the pages said).
SPLICED = ("counted: hidden", "People counted here: hidden", "contaran: oculto",
           "Personas contadas aquí: oculto", "en un grupo relacionado) historias",
           "related group) stories")


@pytest.fixture
def small(app: Flask, session: Session) -> None:
    """A big clinic in one region (30 people) and a small one in another (4): both regions
    are hidden (the one, small; the other, to protect it)."""
    builders.clinics_released(app, session,
                              (("Big Clinic", "East Bay", 30), ("Small Clinic", "North", 4)))


def text_of(app: Flask, path: str) -> str:
    response = app.test_client().get(path)
    assert response.status_code == 200, path
    return " ".join(response.get_data(as_text=True).split())


# Every page and language of one release, in one test: the release is cut once (each case
# cut its own before), and each failure names its page and language.
def test_a_hidden_count_of_people_has_its_own_sentence(app: Flask, small: None) -> None:
    for path in ("/stats?region=north", "/stats/releases/1?region=east-bay",
                 "/stats/report?region=north", "/stats/releases/1/report?region=east-bay"):
        for language in ("en", "es"):
            page = text_of(app, f"{path}&lang={language}")
            assert WITHHELD[language] in page, (path, language)
            for spliced in SPLICED:
                assert spliced not in page, (path, language, spliced)


def test_a_shown_count_still_reads_as_a_number(app: Flask, session: Session) -> None:
    builders.clinics_released(app, session, (("Big Clinic", "East Bay", 30),))
    for language, sentence in (("en", "agreed to be counted: 30 stories."),
                               ("es", "aceptaron que se contaran: 30 historias.")):
        page = text_of(app, f"/stats?lang={language}")
        assert WITHHELD[language] not in page, language
        assert sentence in page, language


@pytest.fixture
def tiny(app: Flask, session: Session) -> None:
    """Five people: the site's count is hidden, and every wait's."""
    place = builders.facility(session, "Big Clinic", "Oakland", "East Bay")
    for number in range(5):
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits={WaitKind.INTAKE: (WaitState.ENDED, 4 + 3 * number),
                                   WaitKind.FIRST_RETURN: (WaitState.ENDED, 9 + number)})
    session.commit()
    builders.release(app)


def test_the_sites_hidden_count_on_the_stats_page_report_and_home_page(
        app: Flask, tiny: None) -> None:
    for language in ("en", "es"):  # one release for both (each failure names its language)
        for path in ("/stats", "/stats/report", "/"):
            page = text_of(app, f"{path}?lang={language}")
            assert WITHHELD[language] in page, (path, language)
            for spliced in SPLICED:
                assert spliced not in page, (path, language, spliced)
        home = text_of(app, f"/?lang={language}")
        assert "Fewer than 11 answers so far" not in home and "Menos de 11" not in home, language


def test_the_sentence_is_stored_at_the_cut(app: Flask, tiny: None, session: Session,
                                           database_url: str, tmp_path: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    row = session.get(StatRelease, 1)
    assert row is not None
    data = json.loads(zlib.decompress(row.document))
    assert {language: words["people_withheld"] for language, words in data["texts"].items()
            } == WITHHELD
    # A later version of the site words it otherwise: release 1 says what it said.
    monkeypatch.setattr(methods, "PEOPLE_WITHHELD", "Withheld (%(min_cell)s).")
    later = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                        "OPEN_DATA_DIR": str(tmp_path / "open-data-2")})
    try:
        for language in ("en", "es"):
            assert WITHHELD[language] in text_of(later, f"/stats/releases/1?lang={language}")
    finally:
        later.extensions["waitline.engine"].dispose()
    # A release cut before the sentence was stored (or before any words were) says today's.
    for words in data["texts"].values():
        del words["people_withheld"]
    older = {**data, "format": 4}
    del older["texts"]
    for number, document in enumerate((data, older)):
        session.execute(update(StatRelease).where(StatRelease.number == 1).values(
            document=zlib.compress(json.dumps(document, separators=(",", ":")).encode())))
        session.commit()
        again = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                            "OPEN_DATA_DIR": str(tmp_path / f"open-data-{number + 3}")})
        try:
            assert "Withheld (11)." in text_of(again, "/stats/releases/1")
        finally:
            again.extensions["waitline.engine"].dispose()


def test_a_total_that_the_shown_counts_add_up_to_is_shown(app: Flask, small: None,
                                                          session: Session) -> None:
    # The audit hid the site's 34 to protect North's 4, while 2026-Q2 showed 34 and "quarter
    # not given" 0: the page said the number was withheld to protect people, and anyone
    # could add it up. It is shown (`stats.determined`); the regions stay hidden.
    row = session.get(StatRelease, 1)
    assert row is not None
    groups = json.loads(zlib.decompress(row.document))["groups"]
    assert groups["respondents|quarter=2026-Q2"][0] == 34
    assert groups["respondents|all|none:quarter"][0] == 0
    assert groups["respondents|all"][0] == 34
    assert groups["respondents|region=1"][0] is None and groups["respondents|region=2"][0] is None
    for language in ("en", "es"):  # one release for both (each failure names its language)
        for path in ("/stats", "/stats/releases/1", "/stats/report"):
            page = text_of(app, f"{path}?lang={language}")
            assert WITHHELD[language] not in page, (path, language)
    assert "agreed to be counted: 34 stories." in text_of(app, "/stats?lang=en")
    assert "aceptaron que se contaran: 34 historias." in text_of(app, "/stats?lang=es")
