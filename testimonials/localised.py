"""Texts set per language in configuration: pure, for the app and for services alike.

An instance text (testimonials.instance_text) is one text for every language, or texts by
language such as {"en": "...", "es": "..."}, with English as the fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The configuration keys that hold such texts: what an instance says about itself.
LOCALISED = ("SITE_NAME", "ORGANISATION", "CONTACT_EMAIL")
FALLBACK_LANGUAGE = "en"


def localised(value: Any, language: str) -> str:
    """`value` (a text, or texts by language) in `language`, else in English."""
    if isinstance(value, Mapping):
        return str(value.get(language) or value.get(FALLBACK_LANGUAGE) or "")
    return "" if value is None else str(value)


def english(config: Mapping[str, Any], key: str) -> str:
    """The instance's `key` in English, from a configuration mapping (mail, documents)."""
    return localised(config.get(key), FALLBACK_LANGUAGE)
