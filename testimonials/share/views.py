"""Routes of this blueprint."""

from testimonials.share import bp  # noqa: F401
