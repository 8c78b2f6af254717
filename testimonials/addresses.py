"""Client addresses, reduced at once to a keyed hash so that no address is ever kept."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request


def address_hash(address: str, secret: str | bytes) -> str:
    """A stable pseudonym for an address; without the secret it cannot be reversed by lookup."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, b"client-address:" + address.encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    """The rate-limit key of the request (the forwarded address when proxies are trusted)."""
    # request.remote_addr is already the forwarded one when ProxyFix is installed (TRUSTED_PROXIES).
    return address_hash(request.remote_addr or "unknown", current_app.config["SECRET_KEY"])
