"""The site's main navigation, the same on every page."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l

# (key, endpoint, path from the SPEC, label). The path serves until the blueprint exists.
NAV = [
    ("stories", "public.stories", "/stories", _l("Stories")),
    ("stats", "public.stats", "/stats", _l("Statistics")),
    ("share", "share.start_page", "/share", _l("Share your story")),
]


def nav_href(key: str) -> str:
    for item_key, endpoint, path, _label in NAV:
        if item_key == key:
            return url_for(endpoint) if endpoint in current_app.view_functions else path
    raise KeyError(key)


def nav_items() -> list[dict[str, Any]]:
    """The header links, with the current page marked."""
    return [
        {"href": nav_href(key), "label": label, "current": request.endpoint == endpoint}
        for key, endpoint, _path, label in NAV
    ]


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_navigation() -> dict[str, Any]:
        return {"nav_items": nav_items, "nav_href": nav_href}
