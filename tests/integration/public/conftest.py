"""Fixtures for the public site and the API (built in public_library)."""

from public_library import library  # noqa: F401  (a fixture)
