"""Plain error pages: never a traceback, always a way back."""

from __future__ import annotations

import json
import logging
import traceback
from urllib.parse import parse_qsl

from flask import Flask, Response, current_app, jsonify, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response as WerkzeugResponse

from testimonials import bounds
from testimonials.stats.filters import RegionRenamed, with_region

log = logging.getLogger(__name__)

# How long a browser may keep following a former slug's redirect without asking again: the slug
# may later be given to another region, which then answers it (a browser keeps a 301 without
# Cache-Control for as long as it likes).
RENAMED_CACHE = "public, max-age=3600"

TITLES = {
    400: _l("This request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("We could not find that page"),
    405: _l("That is not allowed here"),
    410: _l("This story is no longer available"),
    413: _l("That was too large to send"),
    429: _l("Too many tries"),
    500: _l("Something went wrong on our side"),
}


def wants_json() -> bool:
    """JSON for the API and for clients that prefer it; HTML for everyone else."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def render_error(code: int, description: str | None = None, *, parameter: str | None = None,
                 problem: str | None = None) -> tuple[Response | str, int]:
    """The error page, its JSON, or under /api/ an RFC 9457 problem (`parameter`: the query
    parameter at fault, named in the problem's `invalid-params`; `problem`: its type's slug
    when the status alone does not say it)."""
    title = TITLES.get(code, TITLES[500] if code >= 500 else TITLES[400])
    if request.path.startswith("/api/"):
        from testimonials.api import problems  # the API's own vocabulary of errors

        if parameter is not None:
            slug = "not-found" if code == 404 else "invalid-parameter"
            reason = description or str(title)
            return problems.response(slug, f"{parameter}: {reason}", invalid_params=[
                {"name": parameter, "reason": reason}]), code
        slug = problem or problems.for_status(code)
        status = None if problems.TYPES[slug].status == code else code
        return problems.response(slug, description, status=status), code
    if wants_json():
        return jsonify(error={"status": code, "title": str(title), "detail": description}), code
    return render_template("errors/error.html", code=code, title=title,
                           description=description), code


def renamed_region(error: RegionRenamed) -> WerkzeugResponse:
    """A region asked for by a slug it had before a rename: 301 to the same address with its
    slug of today, every other parameter kept (any page, file or API operation that filters
    by region). The API's answer is the same redirect, which clients follow by themselves
    for a GET, with a JSON body that names the new slug for those that do not."""
    # The query as written (request.args groups a repeated parameter with its first).
    asked = parse_qsl(request.query_string.decode("utf-8", "replace"), keep_blank_values=True)
    location = with_region(request.script_root + request.path, asked, error.slug)
    response: WerkzeugResponse = redirect(location, 301)
    if request.path.startswith("/api/"):
        response = current_app.response_class(json.dumps({
            "status": 301, "title": "Moved permanently",
            "detail": f"region: {error.former} is now called {error.slug}",
            "region": error.slug, "location": location}), status=301,
            mimetype="application/json", headers={"Location": location})
    response.headers["Cache-Control"] = RENAMED_CACHE
    return response


def number_out_of_range(error: Exception) -> bool:
    """SQLite's driver refusing a Python int, or SQLSTATE 22003 (numeric value out of range)."""
    if isinstance(error, OverflowError):
        return True
    return getattr(getattr(error, "orig", None), "sqlstate", None) == "22003"


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> tuple[Response, int]:
        code = error.code or 500
        # Werkzeug's default descriptions are generic; ours are set where we raise.
        description = error.description if getattr(error, "waitline_reason", False) else None
        if code == 413 and description is None:  # Werkzeug's own, while reading the body
            description = str(_l("The form sent more than this page takes. Nothing was saved."))
        body, status = render_error(code, description,
                                    parameter=getattr(error, "waitline_parameter", None))
        response = current_app.make_response((body, status))
        # Keep what the exception says about itself, e.g. Allow on a 405.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status

    @app.errorhandler(RegionRenamed)
    def handle_renamed(error: RegionRenamed) -> WerkzeugResponse:
        return renamed_region(error)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> tuple[Response | str, int]:
        bounds.mark_refused()
        return render_error(400, str(_l("Your form expired. Please go back and send it again.")))

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def handle_out_of_range(error: Exception) -> tuple[Response | str, int]:
        """A number the database cannot hold, wherever it came from: the request's fault."""
        if not number_out_of_range(error):
            return handle_unexpected(error)
        where = request.url_rule.rule if request.url_rule else "(no route)"
        log.warning("number out of the database's range at %s %s", request.method, where)
        return render_error(400, str(_l("A number in this address or form is too large.")))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
        if isinstance(error, HTTPException):
            return handle_http(error)
        # The frames and the exception type, never its message: messages can quote values
        # from the request, and the request may hold a patient's story or e-mail.
        frames = "".join(traceback.format_tb(error.__traceback__))
        # The route's rule, not the path: a path like /my/<token> holds a patient's secret.
        where = request.url_rule.rule if request.url_rule else "(no route)"
        log.error("unhandled %s at %s %s\n%s", type(error).__name__, request.method,
                  where, frames)
        return render_error(InternalServerError.code)
