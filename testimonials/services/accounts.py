"""Creating moderator and admin accounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import Account
from testimonials.passwords import hash_password, password_problem
from testimonials.vocab import Role


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == normalise_email(email)))


def create_account(session: Session, email: str, password: str, role: Role,
                   now: dt.datetime) -> Account:
    """A new active account with an argon2 password hash; the second factor is enrolled later."""
    address = normalise_email(email)
    if "@" not in address or len(address) > 254:
        raise AccountError("that is not an e-mail address")
    if find_by_email(session, address) is not None:
        raise AccountError("an account with that e-mail address already exists")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    account = Account(email=address, password_hash=hash_password(password), role=role,
                      active=True, created_at=now)
    session.add(account)
    session.flush()
    return account


def account_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Account)) or 0
