"""One patient's submission over HTTP: the start page (its CSRF token), then the whole story in
one POST to /share, the path kept beside the staged journey for scripts and this bench (the
journey's pages are checked by the same rules: testimonials/share/journey.py)."""

from __future__ import annotations

import re
import secrets

from tests.load.gunicorn_server import Client
from tests.load import logwatch

RECEIPT = re.compile(r"/my/([A-Za-z0-9_-]{43})/receipt$")


def story_of(number: int) -> str:
    return (f"Load story {number}: I asked for therapy and waited {number % 97 + 10} days for "
            f"the intake, then months for a return visit. Nobody called me back.")


def share_once(host: str, number: int) -> str:
    """The receipt token of a new story; raises if the site did not acknowledge it."""
    client = Client(host)
    token, _page = client.token_from("/share")
    story = story_of(number)
    reply = client.post("/share", {
        "csrf_token": token, "nonce": secrets.token_urlsafe(24), "story": story,
        "reporter": "patient",
        "intake-state": "ended", "intake-amount": str(number % 97 + 10), "intake-unit": "days",
        "consent_stats": "y", "consent_publish": "y",
    })
    found = RECEIPT.search(reply.headers.get("location", ""))
    if reply.status != 303 or not found:
        raise AssertionError(f"not acknowledged: {reply.status} {reply.body[:200]!r}")
    logwatch.remember(story, found.group(1))
    return found.group(1)
