"""Texts an instance sets about itself (name, who runs it, contact) read well in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from testimonials import create_app
from testimonials.configuration import ConfigurationError, parse_value
from testimonials.localised import LOCALISED, localised

ROOT = Path(__file__).resolve().parents[3]


def _footer(page: str) -> str:
    found = re.search(r"<footer.*?</footer>", page, re.S)
    assert found
    return found.group(0)


def test_the_spanish_footer_reads_in_spanish(app: Flask) -> None:
    client = app.test_client()
    footer = _footer(client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True))
    assert "Waitline está a cargo de una campaña" in footer
    assert "patients&#39; and clinicians&#39;" not in footer and "campaign" not in footer
    english = _footer(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Waitline is run by a patients&#39; and clinicians&#39; campaign" in english


def test_each_text_may_be_set_per_language_with_english_as_fallback(
        database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "SITE_NAME": {"en": "Wait Watch", "es": "Vigila la Espera"},
                      "ORGANISATION": {"en": "the Riverside Patients' Union"},
                      "CONTACT_EMAIL": "hola@example.org"})
    try:
        client = app.test_client()
        spanish = client.get("/stories", headers={"Accept-Language": "es"}).get_data(as_text=True)
        assert "<title>Historias · Vigila la Espera</title>" in spanish
        assert "Vigila la Espera está a cargo de the Riverside Patients" in spanish
        assert "mailto:hola@example.org" in spanish
        english = client.get("/stories").get_data(as_text=True)
        assert "Wait Watch is run by the Riverside Patients" in english
        assert "Vigila" not in english
        feed = client.get("/stories.atom", headers={"Accept-Language": "es"})
        assert "Vigila la Espera" in feed.get_data(as_text=True)
    finally:
        app.extensions["waitline.engine"].dispose()


@pytest.mark.parametrize("value,language,wanted", [
    ("Waitline", "es", "Waitline"),
    ({"en": "campaign", "es": "campaña"}, "es", "campaña"),
    ({"en": "campaign", "es": "campaña"}, "en", "campaign"),
    ({"en": "campaign"}, "es", "campaign"),
    ({"en": "campaign", "es": ""}, "es", "campaign"),
])
def test_localised_picks_the_language_or_english(value: object, language: str,
                                                 wanted: str) -> None:
    assert localised(value, language) == wanted


def test_an_environment_variable_may_be_a_plain_text_or_a_json_object() -> None:
    default = {"en": "a campaign", "es": "una campaña"}
    assert parse_value("The Riverside Union", default, key="ORGANISATION") == \
        "The Riverside Union"
    assert parse_value('{"en": "Union", "es": "Sindicato"}', default, key="ORGANISATION") == \
        {"en": "Union", "es": "Sindicato"}


def test_a_text_without_english_is_refused(database_url: str) -> None:
    with pytest.raises(ConfigurationError, match="ORGANISATION"):
        create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                    "ORGANISATION": {"es": "una campaña"}})


_DIRECT = re.compile(r"config(?:\[|\.get\()\s*[\"'](" + "|".join(LOCALISED) + r")[\"']"
                     r"|\bconfig\.(" + "|".join(LOCALISED) + r")\b")


def test_instance_texts_are_read_only_through_the_accessor() -> None:
    allowed = {"testimonials/instance_text.py", "testimonials/configuration.py",
               "testimonials/localised.py"}
    offenders = [str(path.relative_to(ROOT)) for folder in ("testimonials", "templates")
                 for path in sorted((ROOT / folder).rglob("*.*"))
                 if path.suffix in (".py", ".html")
                 and str(path.relative_to(ROOT)) not in allowed
                 and _DIRECT.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
