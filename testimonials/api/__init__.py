"""The read-only JSON API under /api, described by /api/openapi.json.

Open to every origin for reading (CORS for GET and HEAD only: nothing here changes anything,
and no cookie is needed); errors are JSON with a reason (testimonials/errors.py).
"""

from flask import Blueprint, Response, request

bp = Blueprint("api", __name__, url_prefix="/api")

READ_METHODS = frozenset({"GET", "HEAD"})


@bp.after_app_request
def allow_reading_from_anywhere(response: Response) -> Response:
    # App-wide so that a 404 for an unknown /api/ path is readable cross-origin too.
    if not request.path.startswith("/api/"):
        return response
    if request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif request.method == "OPTIONS":
        # A preflight learns that reading is all there is.
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


# Routes register on import.
from testimonials.api import views  # noqa: E402,F401
