"""The moderators' blueprint: sign-in, the queue, review, the audit log."""

from flask import Blueprint

bp = Blueprint("moderate", __name__, url_prefix="/moderate")

from testimonials.moderate import views  # noqa: E402,F401  (routes register on import)
