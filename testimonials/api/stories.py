"""The stories API: /api/v1/stories and /api/v1/stories/<id>."""

from typing import Any

from testimonials.api import bp  # noqa: F401

# Merged into /api/openapi.json by the OpenAPI builder.
OPENAPI_PATHS: dict[str, Any] = {}
OPENAPI_SCHEMAS: dict[str, Any] = {}
