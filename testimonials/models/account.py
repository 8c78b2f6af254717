"""Moderator and admin accounts, their server-side sessions (pending and signed in) and
recovery codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from testimonials.models.base import Base, UTCDateTime, enum_column, utcnow
from testimonials.vocab import Role


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MODERATOR)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Base32 TOTP secret; None until the second factor is enrolled at first sign-in.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enrolled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The last TOTP time step accepted, so that a code cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # An invitation (or a reset) is a one-time link to choose a password: only its sha256 is
    # kept, and it stops working when used or at the expiry time.
    password_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_token_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    alert_urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    alert_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    # Single-key shortcuts on the moderation pages (WCAG 2.1.4): each moderator can turn
    # them off; approve and spam ask for the key a second time even when on.
    keyboard_shortcuts: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    sessions: Mapped[list[AccountSession]] = relationship(back_populates="account")

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class AccountSession(Base):
    """A signed-in session, held on the server so that signing out really ends it."""

    __tablename__ = "account_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie token
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship(back_populates="sessions")


class RecoveryCode(Base):
    """A one-time code that replaces the TOTP code once; only its hash is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("account_id", "code_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PendingSignIn(Base):
    """Between a right password and the one-time code: kept on the server, used once.

    The browser holds only a random token (only its sha256 is kept here); the row is deleted
    when the sign-in completes, so a copy of the cookie taken meanwhile leads nowhere.
    """

    __tablename__ = "pending_sign_in"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    next_path: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
