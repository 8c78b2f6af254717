"""A public page's canonical address and its language versions (`hreflang`), on SITE_URL.

Each page has three addresses: `?lang=en`, `?lang=es` (each always in its language) and the
bare one, in the reader's language (x-default). A page names the address it was read at as
canonical (with `lang` if it was asked for: the Spanish page is its own page, not a copy of
the English one) and lists all three. What narrows a list (filters, search) stays in each
address; what pages through it (before, after) does not: page two is not a page of its own.
Only public pages have them: /my/, the journey's steps, /moderate/ and /admin/ are nobody's
to find, and error pages (which override the block in templates) no page at all.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request

from testimonials.i18n import supported
from testimonials.siteurl import origin

# Public pages outside the public blueprint.
ALSO_PUBLIC = frozenset({"share.start_page"})
# Query parameters that never make a page of their own.
NOT_CANONICAL = frozenset({"lang", "before", "after"})


def is_public_page() -> bool:
    return request.blueprint == "public" or request.endpoint in ALSO_PUBLIC


def page_links() -> dict[str, Any] | None:
    """{"canonical": url, "alternates": [(hreflang, url), ...]}, or None off the public site."""
    if request.url_rule is None or not is_public_page():
        return None
    base = origin(str(current_app.config["SITE_URL"])) + request.path
    kept = [(key, value) for key, value in request.args.items(multi=True)
            if key not in NOT_CANONICAL]

    def address(language: str | None) -> str:
        query = kept + ([("lang", language)] if language else [])
        return f"{base}?{urlencode(query)}" if query else base

    asked = request.args.get("lang")
    alternates = [(code, address(code)) for code in supported()]
    alternates.append(("x-default", address(None)))
    return {"canonical": address(asked if asked in supported() else None),
            "alternates": alternates}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["page_links"] = page_links
