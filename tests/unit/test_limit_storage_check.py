"""Production refuses rate limits that each worker would keep on its own (memory://)."""

from __future__ import annotations

from typing import Any

import pytest

from testimonials.configuration import limit_storage_problem


def config(**values: Any) -> dict[str, Any]:
    return {"ENV_NAME": "production", "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", **values}


@pytest.mark.parametrize(("values", "workers", "refused"), [
    ({}, 2, True),
    ({}, 17, True),
    ({}, 1, False),  # one worker: its memory is the only count there is
    ({"RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0"}, 9, False),
    ({"RATELIMIT_STORAGE_URI": "rediss://redis.internal:6380/0"}, 9, False),
    ({"RATELIMIT_STORAGE_URI": "memory://?x=1"}, 2, True),
    ({"RATELIMIT_STORAGE_URI": ""}, 2, True),  # unset falls back to memory
    ({"ENV_NAME": "development"}, 4, False),
    ({"ENV_NAME": "testing"}, 4, False),
    ({"RATELIMIT_ENABLED": False}, 4, False),  # nothing is counted anywhere
])
def test_production_needs_shared_limit_storage_for_several_workers(
        values: dict[str, Any], workers: int, refused: bool) -> None:
    problem = limit_storage_problem(config(**values), workers)
    assert (problem is not None) is refused


def test_the_refusal_says_what_to_do() -> None:
    problem = limit_storage_problem(config(), 3)
    assert problem is not None
    assert "3 workers" in problem and "memory://" in problem
    assert "redis://" in problem and "WEB_CONCURRENCY=1" in problem
