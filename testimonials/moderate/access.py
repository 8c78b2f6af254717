"""Who may open moderation and admin pages: checked in one place, before every request.

The moderation blueprint admits any signed-in, active account; the admin blueprint only
admins. A route added later cannot forget the check: only the sign-in pages listed in
PUBLIC_ENDPOINTS are open to everyone.
"""

from __future__ import annotations

import unicodedata
from typing import cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from testimonials.auth import SignedIn

PUBLIC_ENDPOINTS = frozenset({
    "moderate.login", "moderate.login_code", "moderate.login_enrol", "moderate.logout",
    "moderate.set_password", "moderate.login_send", "moderate.login_code_send",
    "moderate.login_enrol_send", "moderate.set_password_send",
})
DEFAULT_NEXT = "/moderate/"


def safe_next(value: str | None, default: str = DEFAULT_NEXT) -> str:
    """`value` if it is a path on this site, else `default`: `next` never leaves the site.

    Browsers treat a backslash as a slash and drop tabs and newlines inside URLs, so
    "/\\evil.example" and "/\\t/evil.example" would lead away; such values are refused.
    """
    if not value or len(value) > 2000:
        return default
    if any(unicodedata.category(ch)[0] in "CZ" for ch in value):  # controls, spaces
        return default
    normalised = value.replace("\\", "/")
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc or not normalised.startswith("/"):
        return default
    if normalised.startswith("//"):
        return default
    return normalised


def current_account() -> SignedIn:
    """The signed-in account (the access check has run: there is one)."""
    return cast(SignedIn, current_user)


def _opens(path: str) -> bool:
    """Whether a GET of this path reaches a page (not a 404, a 405 or a slash redirect)."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return False
    try:
        adapter.match(path, method="GET")
    except HTTPException:
        return False
    return True


def return_path() -> str:
    """Where sign-in leads back to: this page, or for a form sent (a POST) the page it came from.

    A POST cannot be replayed by a redirect (the browser would GET an action route and meet
    a 405), so the nearest page above it is used: /moderate/7/decide leads back to
    /moderate/7, /admin/accounts/3/active to /admin/accounts.
    """
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    path = request.path
    while path.count("/") > 1:
        if _opens(path):
            return path
        path = path.rsplit("/", 1)[0]
    return DEFAULT_NEXT


def _login_redirect() -> BaseResponse:
    if session.get("_user_id"):
        # A session cookie whose server-side session ended (idle, signed out elsewhere).
        session.pop("_user_id", None)
        flash(_("You were signed out. Please sign in again."), "info")
    return redirect(url_for("moderate.login", next=safe_next(return_path())))


def require_moderator() -> BaseResponse | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return _login_redirect()
    return None


def require_admin() -> BaseResponse | None:
    if not current_user.is_authenticated:
        return _login_redirect()
    if not current_user.is_admin:
        abort(403)
    return None


def private_pages(response: Response) -> Response:
    """Moderation pages hold patients' words: never stored by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


def protect(bp: Blueprint, *, admin: bool) -> None:
    bp.before_request(require_admin if admin else require_moderator)
    bp.after_request(private_pages)
