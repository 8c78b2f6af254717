"""The site's public address: every absolute link, and the hosts the site answers to.

Absolute links (canonical, Open Graph, Atom, the API's `url` and `links`, the receipt,
invitations, e-mails) are built from SITE_URL alone, never from the request's Host or
X-Forwarded-Host, so that no request can change what a page says to later readers. Requests
for any other host are refused before the app sees them (`HostGuard`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

from testimonials.security import static_headers


class SiteUrlError(ValueError):
    """SITE_URL is not an http(s) origin."""


def origin(site_url: str) -> str:
    """SITE_URL as scheme://host[:port], checked: http or https, a host, no path."""
    parts = urlsplit(site_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteUrlError("SITE_URL must look like https://waitline.example.org")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise SiteUrlError("SITE_URL must be the site's origin only, with no path, e.g. "
                           "https://waitline.example.org")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def trusted_hosts(config: Mapping[str, Any]) -> list[str]:
    """SITE_URL's host name and the names in TRUSTED_HOSTS (ports never matter)."""
    names = [urlsplit(origin(str(config["SITE_URL"]))).hostname or ""]
    names += [str(name).strip().lower() for name in config.get("TRUSTED_HOSTS") or ()]
    return list(dict.fromkeys(name for name in names if name))


def absolute_url(endpoint: str, **values: Any) -> str:
    """url_for's path on the configured SITE_URL: the same whatever the request said."""
    return origin(str(current_app.config["SITE_URL"])) + url_for(endpoint, **values)


def absolute_path(path: str, config: Mapping[str, Any]) -> str:
    """A site path made absolute with SITE_URL (for mail, built outside a request)."""
    return origin(str(config["SITE_URL"])) + path


class HostGuard:
    """WSGI middleware: answers 400 to a request whose Host is not one of ours."""

    def __init__(self, app: Any, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = list(hosts)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            body = b"Bad request: unknown host.\n"
            start_response("400 Bad Request", [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                *static_headers().items()])
            return [body]
        return self.app(environ, start_response)  # type: ignore[no-any-return]


def init_app(app: Flask) -> None:
    """Serve only our hosts (Flask checks the same list again), and give templates the helper."""
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.wsgi_app = HostGuard(app.wsgi_app, app.config["TRUSTED_HOSTS"])  # type: ignore[method-assign]
    app.jinja_env.globals["absolute_url"] = absolute_url
