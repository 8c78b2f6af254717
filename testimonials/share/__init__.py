"""The patients' blueprint: the form, the receipt and the private status page /my/<token>."""

from flask import Blueprint

bp = Blueprint("share", __name__)

from testimonials.share import views  # noqa: E402,F401  (routes register on import)
