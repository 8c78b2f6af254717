"""The read-only JSON API under /api, described by /api/openapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from testimonials.api import views  # noqa: E402,F401  (routes register on import)
