"""The public site: what readers, the press and legislators see."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from testimonials.public import stats_views, views  # noqa: E402,F401  (routes register on import)
