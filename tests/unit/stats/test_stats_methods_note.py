"""The methods note says plainly what issue 14 asks of it, in English and in Spanish."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations

from testimonials.stats.methods import methods_note

TRANSLATIONS = Path(__file__).parents[3] / "translations"


@pytest.fixture(scope="module")
def spanish() -> Translations:
    return Translations.load(str(TRANSLATIONS), ["es"])


def test_the_note_says_what_the_figures_are_and_how_they_are_made() -> None:
    note = methods_note(11, on_standard=[("intake", 42), ("first return", None)])
    plainly = {
        "patient-reported, not the regulator's compliance measure": "not the regulator's measure",
        "counted for the plan, from request to offered appointment": "from the request to the "
                                                                     "appointment the plan offered",
        "a week in days": "A week is 7 days",
        "a month in days": "30.436875 days",
        "rounding": "1 month is 30 days",
        "answers exactly on a standard, counted": "intake, 42",
        "a small count on the standard withheld": "fewer than 11",
        "competing outcomes": "competing outcomes",
        "cumulative incidence": "Aalen-Johansen",
        "censored at 730 days": "censored at 730 days",
        "95% intervals and n": "95% confidence interval and the number of answers",
        "small band cells withheld (finding 5)": "A band count (a band's total",
        "extremes withheld (finding 5)": "nor the 25th when fewer than 11 lie at or below it",
        "more than N is a band edge": "never the longest wait anyone reported",
    }
    missing = [what for what, words in plainly.items() if words not in note]
    assert not missing


def test_the_paragraph_on_small_numbers_inside_a_group_is_in_spanish(
        spanish: Translations) -> None:
    note = methods_note(11, spanish.gettext)
    assert "Cifras pequeñas dentro de un grupo." in note
    assert "Un recuento por franja" in note and "menos de 11 respuestas" in note
    assert "Inside a group" not in note and "Small numbers" not in note


def test_the_note_says_small_counts_are_withheld_across_groups_too(
        spanish: Translations) -> None:
    # Issue 14, second review: a region's figure is not the site's less the others', and
    # bands and answers without days follow the same rule.
    note = methods_note(11)
    for words in ("cannot be had by subtracting the others from the site's",
                  "withheld across groups too", "The band counts",
                  "answers without a number of days of people who gave up",
                  "follow the same rule, inside each group and across groups",
                  "the share over the standard when a band count up to the standard"):
        assert words in note, words
    spanish_note = methods_note(11, spanish.gettext)
    for words in ("no se puede obtener restando las demás de la del sitio",
                  "también se ocultan entre grupos", "Los recuentos por franja",
                  "siguen la misma regla, dentro de cada grupo y entre grupos"):
        assert words in spanish_note, words
    assert "Across groups" not in spanish_note


def test_the_note_says_what_an_upgrade_from_unchecked_releases_means(
        spanish: Translations) -> None:
    # stats/upgrade.py: what releases cut without the audit gave away stays given away.
    assert "Releases published before this check" in methods_note(11)
    assert "No release after them can undo that" in methods_note(11)
    spanish_note = methods_note(11, spanish.gettext)
    assert "Ediciones anteriores a esta comprobación." in spanish_note
    assert "Ninguna edición posterior puede deshacerlo" in spanish_note
