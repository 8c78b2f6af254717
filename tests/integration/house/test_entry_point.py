"""The `flask` command and gunicorn's import of app.py, started without a usable configuration."""

from __future__ import annotations

import os
import subprocess
import sys

from testimonials.paths import PROJECT_ROOT


def _flask(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items()
            if key not in {"SECRET_KEY", "WAITLINE_ENV", "DATABASE_URL", "FLASK_APP"}}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args],
                          cwd=PROJECT_ROOT, env={**base, **env}, capture_output=True, text=True,
                          timeout=60, check=False)


def test_flask_without_secret_key_says_in_one_line_what_to_set_and_exits_non_zero() -> None:
    result = _flask("db", "upgrade")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]
    assert "secrets.token_urlsafe" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_flask_with_a_short_secret_key_in_production_refuses_in_one_line() -> None:
    result = _flask("--help", SECRET_KEY="short", WAITLINE_ENV="production")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "at least 32 characters" in result.stderr


def test_flask_with_an_unknown_environment_refuses_in_one_line() -> None:
    result = _flask("--help", WAITLINE_ENV="staging")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "WAITLINE_ENV" in result.stderr
