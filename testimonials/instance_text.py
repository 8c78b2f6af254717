"""Texts an instance says about itself (its name, who runs it, how to write to it).

Each is set in configuration as one text for every language, or per language as
{"en": ..., "es": ...}; `instance_text(KEY)` answers the text in the reader's language, in
English where that language has none (configuration refuses a per-language text without one).
Pages and code read these keys only here (a test checks it).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context
from flask_babel import get_locale

from testimonials.localised import FALLBACK_LANGUAGE, LOCALISED, english, localised

__all__ = ["LOCALISED", "english", "instance_text", "instance_text_in", "localised"]


def instance_text(key: str) -> str:
    """The instance's `key` in this request's language (English outside a request)."""
    language = str(get_locale() or FALLBACK_LANGUAGE) if has_request_context() else \
        FALLBACK_LANGUAGE
    return localised(current_app.config[key], language)


def instance_text_in(key: str, language: str) -> str:
    """The instance's `key` in `language` (English where it has none), in or out of a request
    (a statistics release stores its name in every language at the cut)."""
    return localised(current_app.config[key], language)


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_instance_text() -> dict[str, Any]:
        return {"instance_text": instance_text}
