"""Settings admins change at run time (table `setting`), over the defaults from configuration.

`get(KEY)` answers the admin's value if there is one, else app.config[KEY]: every reader of a
setting goes through it (the settings page too), and nothing else reads the table. Values are read
through a short-lived session of their own (so a request's transaction is never opened by
a settings lookup) and remembered for one generation (`caching.remembered`): `save` moves the
generation, so the worker that saved reads the new values at once and every other worker at its
next reading of the generation (PAGE_CACHE_RECHECK_SECONDS, half a second).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from limits import parse_many
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testimonials import caching, db
from testimonials.models import Account, Setting
from testimonials.services import audit

WAIT_KEYS = ("intake", "first_return", "between_returns", "psychiatry", "urgent")
STANDARD_UNITS = ("business_days", "days", "hours")


class SettingError(ValueError):
    """A value an admin entered that cannot be used; `code` says why (the form translates)."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def _rate_limit(raw: Any) -> str:
    text = " ".join(str(raw or "").split())
    try:
        parsed = parse_many(text)
    except ValueError:
        parsed = []
    if not text or not parsed or len(text) > 100 or any(limit.amount < 1 for limit in parsed):
        raise SettingError("rate_limit")
    return text


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def check(raw: Any) -> int:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise SettingError("whole_number") from None
        if not low <= value <= high:
            raise SettingError("out_of_range")
        return value
    check.bounds = (low, high)  # type: ignore[attr-defined]
    return check


def _standards(raw: Any) -> dict[str, dict[str, int]]:
    """{"intake": {"business_days": 10}, ...}; a kind without an amount has no standard."""
    if not isinstance(raw, Mapping):
        raise SettingError("standards")
    result: dict[str, dict[str, int]] = {}
    for key in WAIT_KEYS:
        rule = raw.get(key)
        if not rule:
            continue
        if not isinstance(rule, Mapping) or len(rule) != 1:
            raise SettingError("standards", key)
        ((unit, amount),) = rule.items()
        if unit not in STANDARD_UNITS:
            raise SettingError("standards", key)
        try:
            value = int(str(amount).strip())
        except ValueError:
            raise SettingError("whole_number", key) from None
        if not 1 <= value <= (2000 if unit == "hours" else 365):
            raise SettingError("out_of_range", key)
        result[key] = {unit: value}
    return result


def _regulator(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise SettingError("regulator")
    name, phone, url = (" ".join(str(raw.get(k) or "").split()) for k in ("name", "phone", "url"))
    if not name or len(name) > 120:
        raise SettingError("required", "name")
    if len(phone) > 40:
        raise SettingError("too_long", "phone")
    if url and (not url.startswith("https://") or len(url) > 300 or " " in url):
        raise SettingError("https", "url")
    return {"name": name, "phone": phone, "url": url}


# What admins may change, each with the check that turns a form value into a setting.
EDITABLE: dict[str, Callable[[Any], Any]] = {
    "SUBMIT_RATE_LIMIT": _rate_limit,
    "STATS_MIN_CELL": _whole(1, 1000),
    "WAIT_STANDARDS": _standards,
    "REGULATOR": _regulator,
    "RETAIN_REJECTED_DAYS": _whole(1, 3650),
    "RETAIN_CONTACT_EMAIL_DAYS": _whole(1, 3650),
    "SESSION_IDLE_MINUTES": _whole(5, 720),
}


def validate(key: str, raw: Any) -> Any:
    """The value to store for `key`, or SettingError."""
    return EDITABLE[key](raw)


def bounds(key: str) -> tuple[int, int] | None:
    return getattr(EDITABLE[key], "bounds", None)


def get(key: str) -> Any:
    """The admin's value for `key` if set, else the configured one."""
    if key in EDITABLE:
        overrides = _overrides()
        if key in overrides:
            return overrides[key]
    return default(key)


def default(key: str) -> Any:
    """The configured value of `key` (config/ and the environment), which an admin's replaces."""
    return current_app.config[key]


def overridden() -> dict[str, Any]:
    """The settings whose value differs from the configured one (an admin set it), by key.

    Read through `get`: an admin's value equal to the default is never stored (see `save`).
    """
    return {key: value for key in EDITABLE if (value := get(key)) != default(key)}


def _overrides() -> dict[str, Any]:
    # Remembered: settings are asked for several times on nearly every request (the idle
    # limit of every moderator's page, the standards of every story), each a query otherwise.
    def read() -> dict[str, Any]:
        with db.own_session() as own:
            return {row.key: row.value for row in own.scalars(select(Setting))
                    if row.key in EDITABLE}
    return caching.remembered("runtime_settings", read, seconds=math.inf)


def save(session: Session, key: str, value: Any, actor: Account, now: dt.datetime) -> bool:
    """Store an admin's (validated) value; equal to the default, the override is removed.

    Returns whether anything changed.
    """
    configured = default(key)
    row = session.get(Setting, key)
    before = row.value if row is not None else configured
    if value == before:
        return False
    if value == configured:
        session.execute(delete(Setting).where(Setting.key == key))
    elif row is None:
        session.add(Setting(key=key, value=value, updated_at=now, updated_by_id=actor.id))
    else:
        row.value, row.updated_at, row.updated_by_id = value, now, actor.id
    session.flush()
    # Settings shape public pages (standards, minimum cell), and every worker keeps them for
    # one generation: moving it is what makes the change seen.
    caching.public_changed(session)
    audit.record(session, now, actor, "setting.change", subject=f"setting:{key}",
                 before={key: before}, after={key: value})
    return True
