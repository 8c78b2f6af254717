"""Compressed answers (Brotli or gzip, Flask-Compress), except where compression leaks a secret.

BREACH: when a compressed page holds a secret (a CSRF token, a receipt link's token, a
moderator's view of a story) and also reflects what a request sent (a search, a form's
value), an attacker who can make a victim's browser send many requests learns the secret
byte by byte from the sizes of the answers. So only answers without a secret are compressed:
none that rendered a CSRF token in this request, none marked `no-store` or `private` (the
patient's /my/ pages, the journey, every moderator and admin page), none that sets a cookie.
What is left is what anyone may read (public pages, the feed, the API, CSV and JSON
files), which may reflect a search but holds nothing to steal.

The app decides for every answer, whoever serves it: the production front (nginx) compresses
only static files itself (`gzip_proxied off` in deploy/nginx/waitline.conf), since it cannot
tell which proxied answers hold a secret.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g
from flask_compress import Compress

from testimonials import caching

_compress = Compress()
# Brotli first (a fifth smaller than gzip on these pages), then gzip; nothing else.
ALGORITHMS = ["br", "gzip"]
SECRET_CACHE_WORDS = ("no-store", "private")


def holds_a_secret(response: Response) -> bool:
    """Whether this answer may hold something a compression side channel could leak."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return True
    # One pass over the headers (Werkzeug's Headers builds an exception for a missing name).
    for name, value in response.headers:
        lowered = name.lower()
        if lowered == "set-cookie" or (lowered == "cache-control" and any(
                word in value.lower() for word in SECRET_CACHE_WORDS)):
            return True
    return False


def init_app(app: Flask) -> None:
    """Register last-run: after every other hook has set its headers."""
    app.config.setdefault("COMPRESS_REGISTER", False)  # called below, not on every answer
    app.config.setdefault("COMPRESS_ALGORITHM", ALGORITHMS)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    # Static files are streamed from disk: nginx compresses them in production; here they
    # are small and served to developers only.
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/csv", "text/xml", "text/javascript",
        "application/javascript", "application/json", "application/problem+json",
        "application/atom+xml", "application/xml", "image/svg+xml",
    ])
    # A kept public page is compressed once per algorithm, and kept beside it (caching).
    app.config.setdefault("COMPRESS_CACHE_KEY", caching.kept_page_tag)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", caching.CompressedPages)
    _compress.init_app(app)

    @app.after_request
    def compress(response: Response) -> Response:
        if holds_a_secret(response):
            return response
        return _compress.after_request(response)
