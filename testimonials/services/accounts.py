"""Moderator and admin accounts: creation, invitations, set-password links, disabling,
second-factor resets."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from testimonials.models import Account, AccountSession, RecoveryCode
from testimonials.passwords import UNUSABLE, hash_password, password_problem
from testimonials.services import audit
from testimonials.vocab import Role

INVITATION_VALID = dt.timedelta(hours=72)


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == normalise_email(email)))


def _checked_email(session: Session, email: str) -> str:
    address = normalise_email(email)
    local, _, domain = address.partition("@")
    if not local or "." not in domain or len(address) > 254 or any(c.isspace() for c in address):
        raise AccountError("that is not an e-mail address")
    if find_by_email(session, address) is not None:
        raise AccountError("an account with that e-mail address already exists")
    return address


def create_account(session: Session, email: str, password: str, role: Role,
                   now: dt.datetime) -> Account:
    """A new active account with an argon2 password hash; the second factor is enrolled later."""
    address = _checked_email(session, email)
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    account = Account(email=address, password_hash=hash_password(password), role=role,
                      active=True, created_at=now)
    session.add(account)
    session.flush()
    return account


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(session: Session, email: str, role: Role, actor: Account,
           now: dt.datetime) -> tuple[Account, str]:
    """A new account without a password and its one-time set-password token (72 hours)."""
    address = _checked_email(session, email)
    token = secrets.token_urlsafe(32)
    account = Account(email=address, password_hash=UNUSABLE, role=role, active=True,
                      created_at=now, password_token_hash=_token_hash(token),
                      password_token_expires_at=now + INVITATION_VALID)
    session.add(account)
    session.flush()
    audit.record(session, now, actor, "account.invite", subject=f"account:{account.id}",
                 after={"email": address, "role": role.value})
    return account, token


def new_password_link(session: Session, account: Account, actor: Account,
                      now: dt.datetime) -> str:
    """A fresh one-time set-password token (72 hours) for an existing account.

    The way back for someone locked out (a forgotten password, an expired invitation). Any
    earlier link stops working; the current password keeps working until the link is used.
    """
    if not account.active:
        raise AccountError("the account is disabled")
    token = secrets.token_urlsafe(32)
    account.password_token_hash = _token_hash(token)
    account.password_token_expires_at = now + INVITATION_VALID
    session.flush()
    audit.record(session, now, actor, "account.password_link", subject=f"account:{account.id}")
    return token


def account_for_token(session: Session, token: str, now: dt.datetime) -> Account | None:
    """The account whose set-password link this is, while it is valid."""
    if not token or len(token) > 100:
        return None
    account = session.scalar(select(Account).where(
        Account.password_token_hash == _token_hash(token)))
    if account is None or account.password_token_expires_at is None:
        return None
    if account.password_token_expires_at < now or not account.active:
        return None
    return account


def set_password_with_token(session: Session, token: str, password: str,
                            now: dt.datetime) -> Account:
    """Set the password through a valid link: the link is spent, the account's sessions end."""
    account = account_for_token(session, token, now)
    if account is None:
        raise AccountError("this link has expired or was already used")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    account.password_hash = hash_password(password)
    account.password_token_hash = None
    account.password_token_expires_at = None
    end_all_sessions(session, account.id, now)
    session.flush()
    audit.record(session, now, None, "account.password_set", subject=f"account:{account.id}",
                 actor_label=account.email)
    return account


def end_all_sessions(session: Session, account_id: int, now: dt.datetime) -> None:
    """End every live session of an account: its copied cookies stop working at once."""
    session.execute(update(AccountSession)
                    .where(AccountSession.account_id == account_id,
                           AccountSession.ended_at.is_(None))
                    .values(ended_at=now).execution_options(synchronize_session=False))


def set_active(session: Session, account: Account, active: bool, actor: Account,
               now: dt.datetime) -> None:
    """Disable (ending its sessions) or re-enable an account; nobody disables themselves."""
    if account.id == actor.id and not active:
        raise AccountError("you cannot disable your own account")
    if account.active == active:
        return
    account.active = active
    if not active:
        end_all_sessions(session, account.id, now)
    session.flush()
    audit.record(session, now, actor, "account.enable" if active else "account.disable",
                 subject=f"account:{account.id}", before={"active": not active},
                 after={"active": active})


def reset_second_factor(session: Session, account: Account, actor: Account,
                        now: dt.datetime) -> None:
    """Forget the TOTP secret and recovery codes and end the sessions: enrol again at sign-in."""
    account.totp_secret = None
    account.totp_enrolled_at = None
    account.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    end_all_sessions(session, account.id, now)
    session.flush()
    audit.record(session, now, actor, "account.reset_2fa", subject=f"account:{account.id}")


def set_alerts(session: Session, account: Account, *, urgent: bool, digest: bool,
               now: dt.datetime) -> None:
    """The account's own choice of e-mail alerts."""
    before = {"alert_urgent": account.alert_urgent, "alert_digest": account.alert_digest}
    account.alert_urgent, account.alert_digest = urgent, digest
    after = {"alert_urgent": urgent, "alert_digest": digest}
    if before != after:
        session.flush()
        audit.record(session, now, account, "account.alerts", subject=f"account:{account.id}",
                     before=before, after=after)


def set_keyboard_shortcuts(session: Session, account: Account, *, on: bool,
                           now: dt.datetime) -> None:
    """The account's own choice of single-key shortcuts on the moderation pages."""
    if account.keyboard_shortcuts == on:
        return
    before = {"keyboard_shortcuts": account.keyboard_shortcuts}
    account.keyboard_shortcuts = on
    session.flush()
    audit.record(session, now, account, "account.shortcuts", subject=f"account:{account.id}",
                 before=before, after={"keyboard_shortcuts": on})


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.role, Account.email)))
