"""Routes of this blueprint."""

from testimonials.admin import bp  # noqa: F401
