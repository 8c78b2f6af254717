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

    # Built once per process: the same on every answer.
    fixed = list(static_headers().items())
    if hsts_seconds:
        fixed.append(("Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains"))
    fixed_keyed = [(name.lower(), name, value) for name, value in fixed]

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # What a view set itself wins (as setdefault would), but the answer's headers are
        # scanned once rather than once per header (setdefault, case-insensitive, each time).
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        headers.extend([(name, value) for key, name, value in fixed_keyed if key not in present])
        return response
