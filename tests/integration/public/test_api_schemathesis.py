"""The stories and statistics API against its own OpenAPI document, by schemathesis, through the
WSGI app: every generated request, valid or not, answers as the document says and never with a 5xx.

(schemathesis' own pytest fixture loader does not run under pytest 9, so its strategies are
driven by Hypothesis here, over the app of each database backend.)
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from public_library import Library
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_its_document_says(app: Flask, library: Library,
                                                  mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = schema.include(path_regex="^/api/v1/(stories|stats)")
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=operations.as_strategy(generation_mode=mode))
    # Derandomized, so that CI runs the same cases every time; widen max_examples to explore.
    @settings(max_examples=100, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case) -> None:  # type: ignore[no-untyped-def]
        # The test client does not undo Content-Encoding as an HTTP client would; answers
        # uncompressed (tests/integration/web/test_compression.py checks the compressed ones).
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    check()
