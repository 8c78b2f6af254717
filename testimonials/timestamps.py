"""Moments as machines read them: RFC 3339 in UTC to the second ("2026-11-01T12:00:00Z").

One form for the Atom feed (RFC 4287 dates), the sitemap's lastmod and HTML's `<time
datetime>`, whose valid date-time strings allow at most three digits of a second: Python's
isoformat() prints six, which the Nu checker rejects. A moment without a zone is taken as
UTC, as the database stores it. Pure: no Flask.
"""

from __future__ import annotations

import datetime as dt


def rfc3339(moment: dt.datetime) -> str:
    """The moment in UTC, whole seconds, with a Z."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
