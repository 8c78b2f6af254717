"""The trust pages: who runs this site and why, privacy, moderation, accessibility, contact.

Their words are the site's defaults, translated; what differs between sites (the organisation,
its purpose, its addresses, the retention periods) comes from configuration and settings.
"""

from __future__ import annotations

from flask import current_app, render_template

from testimonials import runtime_settings
from testimonials.public import bp

PAGES = ("who", "privacy", "moderation", "accessibility", "contact")


@bp.get(f"/about/<any({','.join(PAGES)}):page>")
def about(page: str) -> str:
    config = current_app.config
    return render_template(
        f"about/{page}.html", page=page, pages=PAGES,
        purpose=config.get("SITE_PURPOSE") or None,
        postal=config.get("CONTACT_POSTAL") or None,
        rejected_days=runtime_settings.get("RETAIN_REJECTED_DAYS"),
        email_days=runtime_settings.get("RETAIN_CONTACT_EMAIL_DAYS"),
        draft_hours=int(float(config.get("DRAFT_RETENTION_HOURS", 24))),
        min_cell=runtime_settings.get("STATS_MIN_CELL"),
    )
