"""Routes of this blueprint: each area of the API in its own module."""

from testimonials.api import bp, openapi, pages, places, stats, stories  # noqa: F401
