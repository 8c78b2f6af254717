"""The settings SPEC names as configurable, changed by admins at run time, validated."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from testimonials import db, runtime_settings
from testimonials.admin import bp
from testimonials.models import utcnow
from testimonials.moderate.access import current_account

NUMBERS = ("STATS_MIN_CELL", "RETAIN_REJECTED_DAYS", "RETAIN_CONTACT_EMAIL_DAYS",
           "SESSION_IDLE_MINUTES")
UNIT_LABELS = {"business_days": _l("business days"), "days": _l("calendar days"),
               "hours": _l("hours")}
STANDARD_LABELS = {"intake": _l("First (intake) appointment"),
                   "first_return": _l("First return appointment after intake"),
                   "between_returns": _l("Gap between return appointments"),
                   "psychiatry": _l("First psychiatry appointment"),
                   "urgent": _l("Urgent care (replaces the intake standard for crisis care)")}
NUMBER_LABELS = {
    "STATS_MIN_CELL": _l("Smallest group shown in the statistics"),
    "RETAIN_REJECTED_DAYS": _l("Days before rejected and spam stories are erased"),
    "RETAIN_CONTACT_EMAIL_DAYS": _l("Days before a contact e-mail is erased once resolved"),
    "SESSION_IDLE_MINUTES": _l("Minutes before an idle moderator is signed out"),
}
NUMBER_HINTS = {
    "STATS_MIN_CELL": _l("Smaller groups show “fewer than N” and no figures; 11 follows the CMS "
                         "cell-size policy."),
    "RETAIN_REJECTED_DAYS": _l("Counted from the decision."),
    "RETAIN_CONTACT_EMAIL_DAYS": _l("Counted from the decision or the withdrawal."),
    "SESSION_IDLE_MINUTES": _l("Applies to sessions already open too."),
}
REGULATOR_LABELS = {"name": _l("Name"), "phone": _l("Phone number"),
                    "url": _l("Web address")}
MESSAGES = {
    "rate_limit": _l("Enter a limit like “5 per hour” or “20 per day”."),
    "whole_number": _l("Enter a whole number."),
    "standards": _l("Choose a unit for this standard."),
    "required": _l("Enter the regulator's name."),
    "too_long": _l("Enter 40 characters at most."),
    "https": _l("Enter a web address that starts with https://."),
}


def form_values(form: dict[str, str]) -> dict[str, Any]:
    """The raw value of each setting from the posted form."""
    values: dict[str, Any] = {key: form.get(key, "") for key in NUMBERS}
    values["SUBMIT_RATE_LIMIT"] = form.get("SUBMIT_RATE_LIMIT", "")
    values["WAIT_STANDARDS"] = {
        key: {form.get(f"standard_{key}_unit", ""): form[f"standard_{key}_amount"]}
        for key in runtime_settings.WAIT_KEYS if form.get(f"standard_{key}_amount", "").strip()
    }
    values["REGULATOR"] = {name: form.get(f"regulator_{name}", "")
                           for name in ("name", "phone", "url")}
    return values


def field_name(key: str, error: runtime_settings.SettingError) -> str:
    if key == "WAIT_STANDARDS":
        return f"standard_{error.field}_amount"
    if key == "REGULATOR":
        return f"regulator_{error.field}"
    return key


def message(key: str, error: runtime_settings.SettingError) -> str:
    if error.code == "out_of_range":
        low, high = runtime_settings.bounds(key) or (1, 365)
        if key == "WAIT_STANDARDS":
            low, high = 1, 2000 if error.field == "urgent" else 365
        return str(_("Enter a number from %(low)d to %(high)d.", low=low, high=high))
    return str(MESSAGES[error.code])


def validated(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    clean, errors = {}, {}
    for key, raw in values.items():
        try:
            clean[key] = runtime_settings.validate(key, raw)
        except runtime_settings.SettingError as error:
            errors[field_name(key, error)] = message(key, error)
    return clean, errors


def _page(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/settings.html", values=values, errors=errors, numbers=NUMBERS,
        defaults={key: runtime_settings.default(key) for key in runtime_settings.EDITABLE},
        overridden=runtime_settings.overridden(), units=UNIT_LABELS,
        standard_labels=STANDARD_LABELS, bounds=runtime_settings.bounds,
        number_labels=NUMBER_LABELS, number_hints=NUMBER_HINTS, regulator_labels=REGULATOR_LABELS,
    ), status


@bp.get("/settings")
def settings_page() -> tuple[str, int]:
    return _page({key: runtime_settings.get(key) for key in runtime_settings.EDITABLE}, {})


@bp.post("/settings")
def save_settings() -> Response | tuple[str, int]:
    raw = form_values(request.form.to_dict())
    clean, errors = validated(raw)
    if errors:
        return _page({**raw, **clean}, errors, 400)
    actor, now = current_account().account, utcnow()
    with db.writing() as session:
        changed = [key for key, value in clean.items()
                   if runtime_settings.save(session, key, value, actor, now)]
    flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("admin.settings_page"))
