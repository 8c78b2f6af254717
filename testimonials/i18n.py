"""Language choice: `?lang=` on any address, then the remembered choice, then the browser's.

`?lang=` is remembered (a cookie for a year) only when it chose the language of a page:
never on the API, a CSV, JSON or the feed, which a script fetches and a person never reads
in a browser, and which must not turn a later visit's pages into another language. Every
answer in a language (pages and the feed) says which in `Content-Language`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import get_timezone_name
from flask import Flask, Response, current_app, request, url_for
from flask_babel import (
    format_date,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
    gettext,
)
from jinja2.ext import (  # Jinja's own wrappers for newstyle gettext
    _make_new_gettext,
    _make_new_ngettext,
    _make_new_npgettext,
    _make_new_pgettext,
)

LANG_COOKIE = "lang"
# What is written in the reader's language; the API, CSV and JSON files are in English.
IN_A_LANGUAGE = frozenset({"text/html", "application/atom+xml"})
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def supported() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The language of this request; always one the site supports."""
    # Asked up to four times a request (the page cache's key, Flask-Babel, the templates,
    # Content-Language): chosen once, kept with the request's own environ.
    environ = request.environ
    found: str | None = environ.get(_LOCALE_KEY)
    if found is None:
        found = environ[_LOCALE_KEY] = _choose_locale()
    return found


_LOCALE_KEY = "waitline.locale"


def _choose_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = _asked() or _remembered()
    if chosen in languages:
        return str(chosen)
    if "Accept-Language" not in request.headers:  # no preference: skip parsing an empty one
        return str(languages[0])
    return str(request.accept_languages.best_match(languages) or languages[0])


# Werkzeug's MultiDict.get builds an HTTP exception for every key it does not find: asked
# on every request, where the key is nearly always absent, `in` is checked first.
def _asked() -> str | None:
    """The `lang` of the query, if any."""
    args = request.args
    return args["lang"] if "lang" in args else None


def _remembered() -> str | None:
    """The `lang` cookie, if any."""
    cookies = request.cookies
    return cookies[LANG_COOKIE] if LANG_COOKIE in cookies else None


def language_links() -> list[dict[str, Any]]:
    """A link to this same page in each language, for the switch in the header."""
    current = select_locale()
    endpoint = request.endpoint if request.url_rule else None
    links = []
    view_args = request.view_args or {}
    # The query as it is (filters, search, cursor), minus what url_for would take as its own
    # options (_external, _scheme, _anchor...) or as the route's arguments.
    query = {key: value for key, value in request.args.items()
             if not key.startswith("_") and key not in view_args}
    for code in supported():
        if endpoint:
            href = url_for(endpoint, **{**view_args, **query, "lang": code})
        else:
            href = url_for("public.home", lang=code)
        links.append({"code": code, "name": LANGUAGE_NAMES.get(code, code),
                      "href": href, "current": code == current})
    return links


def init_app(app: Flask) -> None:
    languages: list[str] = list(app.config["LANGUAGES"])

    @app.after_request
    def remember_language(response: Response) -> Response:
        chosen = _asked()
        mimetype = response.mimetype  # parsed from Content-Type at each reading
        # The answer's header names read once (each missing name asked of Werkzeug's Headers
        # costs an exception object).
        present = {name.lower() for name, _value in response.headers}
        if mimetype in IN_A_LANGUAGE and "content-language" not in present:
            response.headers.add("Content-Language", select_locale())
        if (chosen in languages and chosen != _remembered()
                and mimetype == "text/html"):
            response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True,
                                samesite="Lax", secure=app.config["SESSION_COOKIE_SECURE"])
        # Written directly when there is no Vary yet (the common case): `response.vary` parses
        # the header at each reading and rewrites it at each change.
        if "vary" in present:
            response.vary.update(("Accept-Language", "Cookie"))
        else:
            response.headers.add("Vary", "Accept-Language, Cookie")
        return response

    @app.context_processor
    def inject_language() -> dict[str, Any]:
        return {"language_links": language_links, "current_language": select_locale,
                **bound_gettext()}


def bound_gettext() -> dict[str, Any]:
    """The templates' gettext functions bound to the translations of this render.

    Flask-Babel's own (the environment's globals, which these stand in for) look the
    translations up again for every string, about 7 microseconds each through the request's
    context, and a page has dozens: a fifth of rendering the share start page. Bound at each
    render, they follow `force_locale` as Flask-Babel's do. Wrapped as Jinja wraps them for
    `newstyle` gettext (Flask-Babel's setting): escaped, and %-formatted with the keywords.
    """
    translations = get_translations()
    return {"gettext": _make_new_gettext(translations.ugettext),
            "ngettext": _make_new_ngettext(translations.ungettext),
            "pgettext": _make_new_pgettext(translations.upgettext),
            "npgettext": _make_new_npgettext(translations.unpgettext)}


def moment_text(moment: dt.datetime) -> str:
    """A moment as a reader reads it, in the site's time zone and saying which:
    "December 6, 2026 at 4:17 AM Pacific Time". A moment without a zone is UTC (as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    zone = get_timezone()
    local = moment.astimezone(zone)
    return gettext("%(date)s at %(time)s %(zone)s", date=format_date(local, "long"),
                   time=format_time(moment, "short"),
                   zone=get_timezone_name(zone, "long", locale=get_locale()))
