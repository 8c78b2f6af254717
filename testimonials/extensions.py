"""The Flask extensions, created unbound here and bound to an app in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from testimonials.addresses import client_key

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Keyed by a keyed hash of the client address: the address itself is never stored.
limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)
