"""Password hashing with argon2id; the parameters are argon2-cffi's recommended defaults.

The test suite alone switches to a cheap profile (PASSWORD_HASH_PROFILE = "cheap-for-tests"):
hundreds of sign-ins at the real cost took a large part of its time. Production refuses that
profile (configuration.py), and one test checks the real parameters.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

PROFILES = {
    "default": profiles.RFC_9106_LOW_MEMORY,  # argon2-cffi's default: 64 MiB, 3 passes
    "cheap-for-tests": profiles.CHEAPEST,
}
_hasher = PasswordHasher.from_parameters(PROFILES["default"])
MIN_LENGTH = 12
MAX_LENGTH = 1024
UNUSABLE = "!"  # the password_hash of an invited account that has not chosen one yet


def use_profile(name: str) -> None:
    """Hash new passwords with the named parameters (checking works for any profile)."""
    global _hasher
    if PROFILES[name] != _hasher._parameters:  # noqa: SLF001 - argon2-cffi exposes no getter
        _hasher = PasswordHasher.from_parameters(PROFILES[name])
        _dummy_hash.cache_clear()


@functools.cache  # a constant worked out once, not a cache of data: its point is timing
def _dummy_hash() -> str:
    # Stands in for accounts without a usable password (unknown e-mail, invitation not yet
    # accepted), so that a wrong e-mail costs as long as a wrong password and reveals nothing.
    return _hasher.hash("waitline: no password can match this hash by design")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True only when the password matches; never raises, and takes as long for no hash."""
    usable = bool(password_hash) and password_hash != UNUSABLE and len(password) <= MAX_LENGTH
    try:
        matched = _hasher.verify(password_hash if usable else _dummy_hash(),  # type: ignore[arg-type]
                                 password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False
    return matched and usable


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    return None
