"""Routes of this blueprint."""

from testimonials.api import bp  # noqa: F401
