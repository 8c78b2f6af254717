"""The Flask extensions, created unbound here and bound to an app in create_app."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, TypeVar

from flask import Blueprint, Flask, Response, current_app, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter._extension import LimiterContext
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


_CONTEXT_MADE = "waitline.limiter_context"  # request.environ: Flask-Limiter's context was read


class _Limiter(Limiter):
    """Flask-Limiter whose before_request hook returns at once when none of its limits can
    apply to the request: it otherwise resolves every request's limits (defaults, application,
    blueprint and view limits, exemptions), about 15% of a cached page's time in the app, to
    find none outside the API. Any default, application or view-decorated limit turns the
    shortcut off, so a limit added later is never skipped.

    Its after_request hook (limit headers, deductions made only for some answers) and its
    teardown hook (clearing the request's context) likewise return at once when nothing in the
    request read its per-request context: they would make that context (a dataclass of four
    collections) only to find it empty, about 5% of the bench's in-app ceiling route. Every
    limit checked, counted or deducted in a request reads the context first."""

    @property
    def context(self) -> LimiterContext:
        if has_request_context():
            request.environ[_CONTEXT_MADE] = True
        return super().context

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        _run_where_the_context_was_made(app, self)

    def _check_request_limit(self, callable_name: str | None = None,
                             in_middleware: bool = True) -> None:
        if (in_middleware and callable_name is None
                and _LIMITED_BLUEPRINTS.isdisjoint(request.blueprints)
                and not self._marked_for_limiting
                and not self.limit_manager.default_limits
                and not self.limit_manager.application_limits):
            return
        super()._check_request_limit(callable_name, in_middleware)


def _run_where_the_context_was_made(app: Flask, extension: Limiter) -> None:
    """Put Flask-Limiter's after_request and teardown hooks (as its init_app registered them)
    behind a check that the request read its context; a version that registers them otherwise
    stops the app here rather than losing its limit headers and deductions quietly."""
    inject = Limiter._Limiter__inject_headers  # type: ignore[attr-defined]
    release = Limiter._Limiter__release_context  # type: ignore[attr-defined]
    after, teardown = app.after_request_funcs[None], app.teardown_request_funcs[None]
    if extension not in app.extensions.get("limiter", ()):
        return  # RATELIMIT_ENABLED off: no hooks at all
    if any(getattr(hook, "limiter_hook", False) for hook in after):
        return  # (init_app again on the same app: already in place)
    found = 0
    for index, hook in enumerate(after):
        if isinstance(hook, partial) and hook.func is inject and hook.args == (extension,):
            after[index] = _after_if_made(hook)
            found += 1
    for index, hook in enumerate(teardown):
        if getattr(hook, "__func__", None) is release and getattr(hook, "__self__", None) \
                is extension:
            teardown[index] = _teardown_if_made(hook)
            found += 1
    if found != 2:
        raise RuntimeError("Flask-Limiter's request hooks were not where this version expects")


def _after_if_made(hook: Callable[[Response], Response]) -> Callable[[Response], Response]:
    def limit_headers(response: Response) -> Response:
        return hook(response) if _CONTEXT_MADE in request.environ else response

    limit_headers.limiter_hook = True  # type: ignore[attr-defined]
    return limit_headers


def _teardown_if_made(hook: Callable[..., Any]) -> Callable[[BaseException | None], None]:
    def release_limits(error: BaseException | None = None) -> None:
        if _CONTEXT_MADE in request.environ:
            hook(error)

    return release_limits


# Keyed by a keyed hash of the client address: the address itself is never stored.
limiter = _Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def limit_blueprint(blueprint: Blueprint, limit: Callable[[], str]) -> None:
    """Flask-Limiter's `limit` on a whole blueprint, recorded so that its hook runs there."""
    _LIMITED_BLUEPRINTS.add(blueprint.name)
    limiter.limit(limit)(blueprint)
