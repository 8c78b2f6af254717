"""The read-only JSON API under /api, described by /api/openapi.json and shown at /api/.

Open to every origin for reading (CORS for GET and HEAD only: nothing here changes anything,
and no cookie is needed); errors are RFC 9457 problem details (testimonials/api/problems.py);
the HTTP conventions shared with the statistics and bulk files are in testimonials/api/http.py.
Each operation takes only the query parameters its OpenAPI entry declares (plus nothing else):
an unknown or repeated one is refused the same way everywhere.
"""

from flask import Blueprint, Response, request

from testimonials.api import http, problems
from testimonials.extensions import limit_blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
limit_blueprint(bp, http.api_rate_limit)

READ_METHODS = http.READ_METHODS


@bp.after_app_request
def open_data_conventions(response: Response) -> Response:
    # App-wide: the statistics and bulk files follow them too, and a 404 for an unknown /api/
    # path is readable cross-origin. The page cache keeps only what a view returned
    # (caching.page), so it never keeps a rate-limit header.
    return http.decorate(response)


@bp.before_request
def refuse_unknown_parameters() -> Response | None:
    if request.url_rule is None or request.method not in READ_METHODS:
        return None
    from testimonials.api.openapi import operation_for

    operation = operation_for(request.url_rule.rule)
    if operation is None:
        return None
    return http.check_parameters(http.parameters_allowed(operation))


@bp.errorhandler(problems.ApiProblem)
def answer_problem(error: problems.ApiProblem) -> Response:
    return error.response()


# Routes register on import.
from testimonials.api import views  # noqa: E402,F401
