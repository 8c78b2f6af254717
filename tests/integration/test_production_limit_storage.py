"""gunicorn in production refuses several workers that would each keep their own rate limits,
and says why; one worker, or shared storage, starts."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest

from testimonials import create_app, migrate
from tests.load.gunicorn_server import GUNICORN, ROOT, Client, free_port, running

pytestmark = pytest.mark.slow


def migrated(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'waitline.db'}"
    app = create_app({"DATABASE_URL": url, "ENV_NAME": "testing"})
    migrate.upgrade(app.extensions["waitline.engine"])
    app.extensions["waitline.engine"].dispose()
    return url


def start(url: str, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items()
           if not k.startswith(("WAITLINE", "GUNICORN", "RATELIMIT", "WEB_CONCURRENCY"))},
        "WAITLINE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url, "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "SITE_URL": "https://waitline.example.org", **env,
    }
    return subprocess.run([str(GUNICORN), "-c", "config/gunicorn.py", *extra, "app:app"],
                          cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=60, check=False)


def test_several_workers_with_memory_limits_refuse_to_start(tmp_path: Path) -> None:
    result = start(migrated(tmp_path), WEB_CONCURRENCY="2")
    assert result.returncode != 0
    assert "RATELIMIT_STORAGE_URI" in result.stderr and "WEB_CONCURRENCY=1" in result.stderr


def test_a_workers_option_on_the_command_line_is_checked_too(tmp_path: Path) -> None:
    result = start(migrated(tmp_path), "--workers", "3", WEB_CONCURRENCY="1")
    assert result.returncode != 0
    assert "3 workers" in result.stderr


def test_one_worker_with_memory_limits_starts(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    with running(tmp_path, url, workers=1) as server:
        assert Client(server.host).get("/healthz").status == 200
