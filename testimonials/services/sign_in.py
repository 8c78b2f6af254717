"""Signing in: password, time-based one-time codes (TOTP), recovery codes, server sessions.

Secrets are kept only as hashes (passwords with argon2, tokens and recovery codes with
sha256: they are random and long, so a fast hash is enough). A TOTP code is accepted once:
the step it belongs to must be later than the last accepted one. Between the password and the
code, the sign-in is a PendingSignIn row that the browser names by a random token; it is
deleted when the sign-in completes, and is worth nothing after PENDING_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any, cast

import pyotp
from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from testimonials.models import Account, AccountSession, PendingSignIn, RecoveryCode
from testimonials.passwords import hash_password, needs_rehash, verify_password
from testimonials.services.accounts import find_by_email

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
TOTP_DRIFT_STEPS = 1  # accept the code of the previous and the next 30-second step too
PENDING_SECONDS = 600  # between the password and the code


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def check_password(session: Session, email: str, password: str) -> Account | None:
    """The active account with this e-mail and password, or None (in the same time either way)."""
    account = find_by_email(session, email)
    matched = verify_password(account.password_hash if account else None, password)
    if account is None or not matched or not account.active:
        return None
    return account


def fresher_hash(account: Account, password: str) -> str | None:
    """A new hash of the account's (checked) password when the stored one was made with other
    argon2 parameters, else None. Slow: worked out before any write lock is taken."""
    return hash_password(password) if needs_rehash(account.password_hash) else None


def store_fresher_hash(session: Session, account: Account, checked_hash: str,
                       fresher: str) -> None:
    """Replace the hash the password was checked against, unless it changed meanwhile (a
    password set in between is kept)."""
    session.execute(update(Account)
                    .where(Account.id == account.id, Account.password_hash == checked_hash)
                    .values(password_hash=fresher))


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def totp_step(secret: str, code: str, now: dt.datetime, after_step: int | None) -> int | None:
    """The time step whose code this is (near now and later than `after_step`), or None."""
    digits = "".join(code.split())
    if len(digits) != 6 or not (digits.isascii() and digits.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def verify_totp(session: Session, account: Account, code: str, now: dt.datetime) -> bool:
    """Whether the code is the account's current one and unused; marks it used."""
    if not account.totp_secret:
        return False
    step = totp_step(account.totp_secret, code, now, account.totp_last_step)
    if step is None:
        return False
    # A conditional UPDATE, so that two requests racing with the same code cannot both win
    # (each may have read the same last step before either wrote).
    result = session.execute(
        update(Account)
        .where(Account.id == account.id,
               or_(Account.totp_last_step.is_(None), Account.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(account, "totp_last_step", step)  # as stored, without a second write
    return True


def enrol_totp(session: Session, account: Account, secret: str, code: str,
               now: dt.datetime) -> list[str] | None:
    """Save the second factor if `code` proves the app has `secret`; the new recovery codes."""
    step = totp_step(secret, code, now, None)
    if step is None:
        return None
    account.totp_secret = secret
    account.totp_enrolled_at = now
    account.totp_last_step = step
    return new_recovery_codes(session, account)


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes(session: Session, account: Account) -> list[str]:
    """Fresh one-time codes replacing any earlier ones; only their hashes are stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))  # ~49 bits
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(account_id=account.id, code_hash=sha256(raw)))
    session.flush()
    return codes


def use_recovery_code(session: Session, account: Account, code: str, now: dt.datetime) -> bool:
    """Whether the code is one of the account's unused recovery codes; it is then used up."""
    raw = normalise_recovery_code(code)
    if len(raw) != 10:
        return False
    # A conditional UPDATE, so that two requests racing with the same code cannot both win.
    result = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.account_id == account.id, RecoveryCode.code_hash == sha256(raw),
               RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def verify_second_factor(session: Session, account: Account, code: str,
                         now: dt.datetime) -> bool:
    """A current TOTP code or an unused recovery code."""
    if verify_totp(session, account, code, now):
        return True
    return use_recovery_code(session, account, code, now)


def start_session(session: Session, account: Account,
                  now: dt.datetime) -> tuple[str, AccountSession]:
    """A new server-side session and its token (only the token's hash is stored)."""
    token = secrets.token_urlsafe(32)
    row = AccountSession(token_hash=sha256(token), account_id=account.id, created_at=now,
                         last_seen_at=now)
    session.add(row)
    account.last_sign_in_at = now
    session.flush()
    return token, row


def end_session(session: Session, token: str, now: dt.datetime) -> None:
    """End the session of this token, if it is still live."""
    session.execute(update(AccountSession)
                    .where(AccountSession.token_hash == sha256(token),
                           AccountSession.ended_at.is_(None))
                    .values(ended_at=now).execution_options(synchronize_session=False))


def start_pending(session: Session, account: Account, next_path: str,
                  now: dt.datetime) -> tuple[str, PendingSignIn]:
    """A pending sign-in for an account whose password was right, and its token."""
    cutoff = now - dt.timedelta(seconds=PENDING_SECONDS)
    session.execute(delete(PendingSignIn).where(PendingSignIn.created_at < cutoff)
                    .execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    row = PendingSignIn(token_hash=sha256(token), account_id=account.id,
                        next_path=next_path[:2000], created_at=now)
    session.add(row)
    session.flush()
    return token, row


def find_pending(session: Session, token: str, now: dt.datetime) -> PendingSignIn | None:
    """The live pending sign-in of this token, or None (unknown, used or expired)."""
    if not 0 < len(token) <= 128:
        return None
    cutoff = now - dt.timedelta(seconds=PENDING_SECONDS)
    return session.scalars(select(PendingSignIn).where(
        PendingSignIn.token_hash == sha256(token), PendingSignIn.created_at >= cutoff)
    ).one_or_none()


def use_pending(session: Session, token: str, now: dt.datetime) -> bool:
    """Whether the pending sign-in was live; it is used up either way (a DELETE, so that two
    requests racing with one token cannot both complete it)."""
    cutoff = now - dt.timedelta(seconds=PENDING_SECONDS)
    result = session.execute(
        delete(PendingSignIn).where(PendingSignIn.token_hash == sha256(token),
                                    PendingSignIn.created_at >= cutoff)
        .execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount == 1
