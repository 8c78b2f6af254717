"""The Flask extensions, created unbound here and bound to an app in create_app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask import Flask
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


csrf: _CSRF = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Keyed by a keyed hash of the client address: the address itself is never stored.
limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)
