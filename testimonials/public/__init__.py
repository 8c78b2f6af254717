"""The public site: what readers, the press and legislators see."""

from flask import Blueprint

bp = Blueprint("public", __name__)

# Routes register on import.
from testimonials.public import (  # noqa: E402,F401,I001
    about, bulk_views, crawler_views, licence_context, release_views, report_views, stats_views,
    story_views, views,
)
