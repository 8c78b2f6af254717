"""On /stats and in the report, a figure held back says so in its cell (issue 14).

"Waits at a glance" showed "–" for a share over the standard or a percentile the release
withholds to protect privacy, and the report "–" for a count over the standard withheld: the
same sign as "no legal standard applies". They now read "withheld to protect privacy" (or
"too uncertain to publish", or "not estimated" where the answers do not reach a figure), with
a footnote under the table, in English and Spanish; "–" is left to "no legal standard applies".
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders
from tests.integration.test_report import Cells

WORDS = {
    "en": {"withheld": "withheld to protect privacy", "not_estimated": "not estimated",
           "note": "Withheld to protect privacy: the figure would rest on too few answers",
           "dash_note": "–: no legal standard applies to this wait.",
           "first_return": "First return (follow-up) appointment",
           "intake": "First (intake) appointment"},
    "es": {"withheld": "no se publica, para proteger la privacidad",
           "not_estimated": "sin estimación",
           "note": "No se publica, para proteger la privacidad: la cifra se basaría",
           "dash_note": "–: no hay plazo legal para esta espera.",
           "first_return": "Primera cita de seguimiento", "intake": "Primera cita (de admisión)"},
}
_GLANCE = re.compile(r'id="glance-heading".*?</ul>', re.S)
_ROW = re.compile(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", re.S)
_CELL = re.compile(r'<td class="([^"]*)"[^>]*>(.*?)</td>', re.S)


@pytest.fixture
def released(app: Flask, session: Session) -> None:
    """One clinic of 40 people (`builders.lone_clinic_withheld`): the count over the
    first returns' standard, its share and their 90th percentile withheld; the first
    appointments' share not estimated."""
    builders.lone_clinic_withheld(app, session)


def glance(page: str) -> tuple[dict[str, list[tuple[str, str]]], str]:
    """The glance table's rows {wait: [(class, text)]} as a reader gets them, and its notes."""
    found = _GLANCE.search(page)
    assert found is not None
    section = found.group(0)
    rows = {unescape(label): [(css, unescape(re.sub(r"<[^>]+>", "", text)))
                              for css, text in _CELL.findall(cells)]
            for label, cells in _ROW.findall(section)}
    return rows, unescape(section[section.index("</table>"):])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_glance_table_says_withheld_and_explains_it(
        client: FlaskClient, released: None, language: str) -> None:
    words = WORDS[language]
    page = client.get(f"/stats?lang={language}").get_data(as_text=True)
    rows, notes = glance(page)
    first_return, intake = rows[words["first_return"]], rows[words["intake"]]
    # Columns: answers, median, standard, over the standard, gave up / never, p25, p75, p90.
    over, p90 = first_return[3], first_return[7]
    assert over == ("num figure-withheld", words["withheld"])
    assert p90 == ("num figure-withheld", words["withheld"])
    assert intake[3] == ("num figure-not-estimated", words["not_estimated"])
    assert not [cell for row in rows.values() for cell in row if cell[1] == "–"]
    assert words["note"] in notes
    assert 'aria-describedby="glance-notes"' in page and 'id="glance-notes"' in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_says_a_withheld_count_is_withheld(
        client: FlaskClient, released: None, language: str) -> None:
    words = WORDS[language]
    page = client.get(f"/stats/report?lang={language}").get_data(as_text=True)
    cells = Cells()
    cells.feed(page)
    first_return = cells.rows["first_return"]
    # "Known to have waited longer" was "–", as where no standard applies.
    assert first_return["n_over_standard"].strip() == words["withheld"]
    assert first_return["share_over_standard"].strip() == words["withheld"]
    assert "–" not in [text.strip() for text in first_return.values()]
    assert re.search(r'<td data-field="n_over_standard"[^>]*class="figure-withheld"', page)
    assert words["note"] in page and 'aria-describedby="key-figures-notes"' in page


def test_a_dash_is_left_to_a_wait_without_a_legal_standard_and_said_aloud(
        app: Flask, session: Session, client: FlaskClient) -> None:
    # Only first appointments have a standard in this release.
    app.config["WAIT_STANDARDS"] = {"intake": {"business_days": 10}}
    place = builders.facility(session, "Lone Clinic", "Fresno", "Central")
    for number in range(40):
        builders.submission(session, status=Status.APPROVED, place=place, waits={
            WaitKind.FIRST_RETURN: (WaitState.ENDED, 10 + number)})
    session.commit()
    builders.release(app)
    spoken = ('<span aria-hidden="true">–</span>'
              '<span class="visually-hidden">no legal standard applies</span>')
    rows, notes = glance(client.get("/stats").get_data(as_text=True))
    first_return = rows["First return (follow-up) appointment"]
    assert first_return[2] == first_return[3] == ("num figure-not-applicable",
                                                  "–no legal standard applies")
    assert WORDS["en"]["dash_note"] in notes
    cells = Cells()
    page = client.get("/stats/report").get_data(as_text=True)
    cells.feed(page)
    found = cells.rows["first_return"]
    for field in ("standard", "share_over_standard", "n_over_standard"):
        assert found[field].strip() == "–no legal standard applies", field
    assert page.count(spoken) == 3 and WORDS["en"]["dash_note"] in page
