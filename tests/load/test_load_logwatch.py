"""The log watch itself: it finds what it looks for, and it is really keeping the run's logs."""

from __future__ import annotations

import logging

from tests.load import logwatch


def test_the_scan_finds_addresses_and_secrets_and_nothing_else() -> None:
    token = "Vx3f9Qm2Kp8Ld7Rs1Tu6Wy4Za0Bc5De-FgHiJkLmNoP"
    kept = [
        ("testimonials.share", "rate-limit storage unavailable; share-submit not checked"),
        ("gunicorn.error", "Listening at: http://127.0.0.1:8123 (4242)"),
        ("testimonials.errors", "unhandled ValueError at POST /my/<token>/edit"),
        ("app", "client 203.0.113.7 asked"),
        ("app", "from ::1 again"),
        ("app", "from ::ffff:10.1.2.3 too"),
        ("app", f"GET /my/{token}"),
        ("app", "mail to rosa@example.org"),
        ("werkzeug", '127.0.0.1 - - "GET /stories HTTP/1.1" 200'),  # the test server's own
        ("app", "version 1.2.3 of something"),
    ]
    found = logwatch.scan(kept, [token, "rosa@example.org"])
    assert len(found) == 5
    assert not any("Listening at" in line or "werkzeug" in line or "version" in line
                   for line in found)


def test_the_watch_is_keeping_this_runs_logs() -> None:
    before = logwatch.record_count()
    logging.getLogger("testimonials.test_probe").info("a harmless line")
    assert logwatch.record_count() == before + 1
