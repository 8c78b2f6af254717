"""Configuration: defaults per environment from config/, then environment variables on top."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask

from testimonials import licences, siteurl
from testimonials.localised import FALLBACK_LANGUAGE, LOCALISED

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
            app.config[key] = parse_value(os.environ[key], default, key=key)
    app.config.update(overrides or {})
    if not app.config.get("DATABASE_URL"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'waitline.db'}"
    check(app.config)


def parse_value(raw: str, default: Any, *, key: str = "") -> Any:
    """An environment string converted to the type of the default it replaces (for an
    instance text, see testimonials.localised: a JSON object of texts by language, or a
    plain text)."""
    if key in LOCALISED:
        return json.loads(raw) if raw.lstrip().startswith("{") else raw
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
                "production: export SECRET_KEY=\"$(python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')\" (or WAITLINE_ENV=development to try it)"
            )
    elif not secret:
        raise ConfigurationError("SECRET_KEY is not set")
    if config.get("PASSWORD_HASH_PROFILE", "default") != "default" and not config.get("TESTING"):
        raise ConfigurationError("PASSWORD_HASH_PROFILE may differ from 'default' only in tests")
    check_site_url(config)
    for key in LOCALISED:
        value = config.get(key)
        if isinstance(value, dict) and not (
                isinstance(value.get(FALLBACK_LANGUAGE), str) and value[FALLBACK_LANGUAGE]
                and all(isinstance(text, str) for text in value.values())):
            raise ConfigurationError(
                f"{key} must be a text, or texts by language including "
                f"{FALLBACK_LANGUAGE!r}: {{\"en\": \"...\", \"es\": \"...\"}}")
        if not isinstance(value, (str, dict)):
            raise ConfigurationError(f"{key} must be a text")
    if int(config["STATS_MIN_CELL"]) < 1:
        raise ConfigurationError("STATS_MIN_CELL must be at least 1")
    check_mail(config)
    if config.get("STATS_RELEASE_SCHEDULE", "weekly") not in ("daily", "weekly", "monthly",
                                                               "manual"):
        raise ConfigurationError("STATS_RELEASE_SCHEDULE must be daily, weekly, monthly or manual")
    for key in ("STATS_LICENCE", "STORIES_LICENCE"):
        if config.get(key) not in licences.KNOWN:
            raise ConfigurationError(
                f"{key} must be one of {', '.join(licences.KNOWN)}, not {config.get(key)!r}")


def check_mail(config: dict[str, Any]) -> None:
    """SMTP_SECURITY one of the three kinds, a port that fits it, a CA file that exists."""
    security = str(config.get("SMTP_SECURITY", "starttls")).strip().lower()
    if security not in ("starttls", "tls", "none"):
        raise ConfigurationError(
            f"SMTP_SECURITY must be starttls, tls or none, not {config.get('SMTP_SECURITY')!r}")
    config["SMTP_SECURITY"] = security
    port = int(config.get("SMTP_PORT") or 0)
    if port == 465 and security == "starttls":
        raise ConfigurationError("SMTP_PORT 465 expects TLS from the start: set "
                                 "SMTP_SECURITY=tls (or use port 587 with starttls)")
    ca_file = str(config.get("SMTP_CA_FILE") or "")
    if ca_file and not Path(ca_file).is_file():
        raise ConfigurationError(f"SMTP_CA_FILE {ca_file!r} is not a readable file")


def check_site_url(config: dict[str, Any]) -> None:
    """SITE_URL is the only source of absolute links: always required (development and
    testing have their own), an http(s) origin."""
    try:
        siteurl.origin(str(config.get("SITE_URL") or ""))
    except siteurl.SiteUrlError as error:
        raise ConfigurationError(f"{error} (SITE_URL is required in production: links in "
                                 "pages, feeds and e-mails are built from it)") from error
    if not isinstance(config.get("TRUSTED_HOSTS") or [], list):
        raise ConfigurationError('TRUSTED_HOSTS must be a JSON list, e.g. ["www.example.org"]')


# Rate-limit storages that live inside one process: each worker would count on its own.
_PER_PROCESS_STORAGE = ("memory://",)


def limit_storage_problem(config: dict[str, Any], workers: int) -> str | None:
    """Why production must not start with these limits and this many worker processes, if so.

    With `memory://` each worker keeps its own counts: a limit of 5 stories an hour becomes
    5 per worker, and failed sign-ins spread over the workers are throttled that much later.
    """
    if config["ENV_NAME"] != "production" or workers <= 1:
        return None
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    uri = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if not uri.startswith(_PER_PROCESS_STORAGE):
        return None
    return (f"refusing to start: {workers} workers with RATELIMIT_STORAGE_URI={uri} would each "
            "count rate limits and failed sign-ins on their own. Set RATELIMIT_STORAGE_URI to "
            "a storage all workers share (redis://host:6379/0), or run one worker "
            "(WEB_CONCURRENCY=1).")
