"""Routes of this blueprint."""

from testimonials.moderate import bp  # noqa: F401
