"""Waitline: patients' stories of waiting for mental-health care."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from testimonials import (
    alerts,
    assets,
    auth,
    bounds,
    caching,
    canonical,
    compression,
    configuration,
    db,
    errors,
    i18n,
    instance_text,
    navigation,
    passwords,
    security,
    siteurl,
    timestamps,
)
from testimonials.extensions import babel, csrf, limiter, login_manager
from testimonials.paths import PROJECT_ROOT


class Waitline(Flask):
    """Flask, except that each hook and view is checked for being a coroutine once, not at
    every call: Flask asks `inspect` about each of the ~15 hooks a request runs, every time
    (about 7% of a kept page's time in the app). Weakly held: a per-request function (an
    `after_this_request` closure) is not kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._checked_sync: WeakKeyDictionary[Callable[..., Any], Callable[..., Any]] = \
            WeakKeyDictionary()
        super().__init__(*args, **kwargs)

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._checked_sync[func]
        except KeyError:
            checked = super().ensure_sync(func)
            self._checked_sync[func] = checked
            return checked
        except TypeError:  # not weakly referable
            return super().ensure_sync(func)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages, commands."""
    app = Waitline(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configuration.load(app, overrides)
    passwords.use_profile(app.config["PASSWORD_HASH_PROFILE"])
    compression.init_app(app)  # first registered, so its hook runs after every other one
    siteurl.init_app(app)  # links from SITE_URL only; other hosts refused
    register_proxy_fix(app)
    bounds.init_app(app)  # first: before CSRF's hook reads the body
    register_extensions(app)
    register_blueprints(app)
    errors.register(app)
    security.register(app)
    caching.init_app(app)
    assets.init_app(app)
    canonical.init_app(app)
    app.add_template_filter(timestamps.rfc3339, "rfc3339")
    register_commands(app)
    return app


def register_proxy_fix(app: Flask) -> None:
    # Believe X-Forwarded-For only from as many proxies as configured; never by default. The
    # forwarded host is never believed: links come from SITE_URL, and the proxy passes Host.
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    alerts.install(app, app.extensions["waitline.sessionmaker"])
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    i18n.init_app(app)
    navigation.init_app(app)
    instance_text.init_app(app)


def register_blueprints(app: Flask) -> None:
    from testimonials import admin, api, moderate, public, share

    for package in (public, share, moderate, admin, api):
        app.register_blueprint(package.bp)
    if app.config["BENCH_ROUTES"]:
        from testimonials import bench_routes

        app.register_blueprint(bench_routes.bp)


def register_commands(app: Flask) -> None:
    from testimonials.cli import register

    register(app)
