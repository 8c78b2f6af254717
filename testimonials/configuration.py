"""Configuration: defaults per environment from config/, then environment variables on top."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
ENVIRONMENTS = ("development", "testing", "production")
# Values that mark a key as a placeholder: production refuses to start with them.
_DEV_SECRETS = {"development-only-not-secret", "testing-only-not-secret", "change-me"}


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration."""


def environment_name() -> str:
    """The environment from WAITLINE_ENV; production unless told otherwise, to fail safe."""
    name = os.environ.get("WAITLINE_ENV", "production").strip().lower()
    if name not in ENVIRONMENTS:
        raise ConfigurationError(f"WAITLINE_ENV must be one of {', '.join(ENVIRONMENTS)}")
    return name


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config from config/default.py, config/<env>.py, the environment, overrides."""
    env = (overrides or {}).get("ENV_NAME") or environment_name()
    app.config["ENV_NAME"] = env
    app.config.from_pyfile(str(CONFIG_DIR / "default.py"))
    app.config.from_pyfile(str(CONFIG_DIR / f"{env}.py"))
    for key, default in list(app.config.items()):
        if key.isupper() and key in os.environ:
            app.config[key] = parse_value(os.environ[key], default)
    app.config.update(overrides or {})
    if not app.config.get("DATABASE_URL"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'waitline.db'}"
    check(app.config)


def parse_value(raw: str, default: Any) -> Any:
    """An environment string converted to the type of the default it replaces."""
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigurationError(f"expected a yes/no value, got {raw!r}")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, (dict, list)):
        value = json.loads(raw)
        if not isinstance(value, type(default)):
            raise ConfigurationError(f"expected JSON {type(default).__name__}, got {raw!r}")
        return value
    return raw


def check(config: dict[str, Any]) -> None:
    """Refuse configurations that would be unsafe, above all production without a real key."""
    secret = config.get("SECRET_KEY")
    if config["ENV_NAME"] == "production":
        if not secret or secret in _DEV_SECRETS or len(str(secret)) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters in "
                "production, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
    elif not secret:
        raise ConfigurationError("SECRET_KEY is not set")
    if int(config["STATS_MIN_CELL"]) < 1:
        raise ConfigurationError("STATS_MIN_CELL must be at least 1")
    if config.get("STATS_RELEASE_SCHEDULE", "weekly") not in ("daily", "weekly", "monthly",
                                                               "manual"):
        raise ConfigurationError("STATS_RELEASE_SCHEDULE must be daily, weekly, monthly or manual")
