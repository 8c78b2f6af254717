"""The Flask extensions, created unbound here and bound to an app in create_app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask import Blueprint, Flask, current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from testimonials.addresses import client_key

_View = TypeVar("_View", bound=Callable[..., Any])


class _CSRF(Protocol):
    """What we use of Flask-WTF's CSRFProtect, which has no annotations: typed here so that
    `@csrf.exempt` leaves the view it marks typed (it returns that very view)."""

    def init_app(self, app: Flask) -> None: ...

    def protect(self) -> None: ...

    def exempt(self, view: _View) -> _View: ...


class _CSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, which looks a request's view up among the exempt ones
    before it looks at the method: a GET (every reader's request) now returns first, as it
    would a moment later anyway."""

    def protect(self, apply_exemptions: bool = False) -> None:
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        super().protect(apply_exemptions)


csrf: _CSRF = _CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Blueprints that carry a Flask-Limiter limit of their own (only through `limit_blueprint`).
# Every other limit is counted by our own code through `limiter.limiter` (submissions, token
# look-ups, sign-ins, refused POSTs), not by Flask-Limiter's hook.
_LIMITED_BLUEPRINTS: set[str] = set()


class _Limiter(Limiter):
    """Flask-Limiter whose before_request hook returns at once when none of its limits can
    apply to the request: it otherwise resolves every request's limits (defaults, application,
    blueprint and view limits, exemptions), about 15% of a cached page's time in the app, to
    find none outside the API. Any default, application or view-decorated limit turns the
    shortcut off, so a limit added later is never skipped."""

    def _check_request_limit(self, callable_name: str | None = None,
                             in_middleware: bool = True) -> None:
        if (in_middleware and callable_name is None
                and _LIMITED_BLUEPRINTS.isdisjoint(request.blueprints)
                and not self._marked_for_limiting
                and not self.limit_manager.default_limits
                and not self.limit_manager.application_limits):
            return
        super()._check_request_limit(callable_name, in_middleware)


# Keyed by a keyed hash of the client address: the address itself is never stored.
limiter = _Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def limit_blueprint(blueprint: Blueprint, limit: Callable[[], str]) -> None:
    """Flask-Limiter's `limit` on a whole blueprint, recorded so that its hook runs there."""
    _LIMITED_BLUEPRINTS.add(blueprint.name)
    limiter.limit(limit)(blueprint)
