"""config/gunicorn.py: the connection pools of all workers must fit PostgreSQL's limit."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name in ("DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_MAX_CONNECTIONS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_config_under_test", CONFIG)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("workers", "pool", "overflow", "fits"), [
    ("17", "2", "3", True),  # 8 cores: 2 x 8 + 1 workers with the defaults
    ("18", "2", "3", True),  # 90: exactly the limit, 10 kept for psql and migrations
    ("19", "2", "3", False),
    ("4", "10", "10", True),
    ("5", "10", "10", False),
])
def test_pools_must_fit_postgresqls_limit(monkeypatch: pytest.MonkeyPatch, workers: str,
                                          pool: str, overflow: str, fits: bool) -> None:
    config = load(monkeypatch, WEB_CONCURRENCY=workers, DB_POOL_SIZE=pool,
                  DB_MAX_OVERFLOW=overflow, DATABASE_URL="postgresql+psycopg://db/waitline")
    if fits:
        config.on_starting(None)
    else:
        with pytest.raises(SystemExit, match="exceed"):
            config.on_starting(None)


def test_sqlite_has_no_pool_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load(monkeypatch, WEB_CONCURRENCY="64", DATABASE_URL="sqlite:///x.db")
    config.on_starting(None)


def test_workers_are_recycled_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load(monkeypatch, WEB_CONCURRENCY="2").max_requests == 20000
    assert load(monkeypatch, WEB_CONCURRENCY="2", GUNICORN_MAX_REQUESTS="0").max_requests == 0
