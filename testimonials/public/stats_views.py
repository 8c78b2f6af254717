"""The statistics pages: /stats, /stats.json, /stats.csv."""

from testimonials.public import bp  # noqa: F401
