"""Security headers on every response (SPEC section 6)."""

from __future__ import annotations

from flask import Flask, Response

# Everything comes from our own origin; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def static_headers() -> dict[str, str]:
    """The headers every answer carries, also those made outside Flask (gunicorn, HostGuard)."""
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def register(app: Flask) -> None:
    hsts_seconds = int(app.config["HSTS_SECONDS"])

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in static_headers().items():
            headers.setdefault(name, value)
        if hsts_seconds:
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={hsts_seconds}; includeSubDomains")
        return response
