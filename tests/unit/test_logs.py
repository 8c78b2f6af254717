"""The one redaction every server log line goes through (testimonials.logs)."""

from __future__ import annotations

import logging
import sys

import pytest

from testimonials.logs import Redact, redact


@pytest.mark.parametrize(("line", "expected"), [
    ("POST /my/Abc_123-x/edit?email=rosa.m@example.org HTTP/1.1",
     "POST /my/[token]/edit?email=[email] HTTP/1.1"),
    ("Error handling request POST /my/Qx7Tok", "Error handling request POST /my/[token]"),
    ("client 203.0.113.7 asked", "client [ip] asked"),
    ("ip=('10.1.2.3', 5512)", "ip=('[ip]', 5512)"),
    ("from ::1 again", "from [ip] again"),
    ("from ::ffff:10.1.2.3 too", "from [ip] too"),
    ("v6 2001:db8:85a3:0:0:8a2e:370:7334 and fe80::1%eth0", "v6 [ip] and [ip]"),
    ("Invalid request from ip=127.0.0.1: Invalid HTTP request line: 'GET /my/tok x'",
     "Invalid request: Invalid HTTP request line"),
    ("Invalid request from ip=::1: Invalid HTTP header name: 'I waited nine months'",
     "Invalid request: Invalid HTTP header name"),
    ("Invalid request from ip=10.0.0.9: Request Line is too large (8192 > 4094)",
     "Invalid request: Request Line is too large"),
    ("(psycopg.errors.X) boom\n[SQL: INSERT INTO submission ...]\n"
     "[parameters: ('My story text', 'rosa@example.org')]\n(Background on this error)",
     "(psycopg.errors.X) boom\n[SQL: INSERT INTO submission ...]\n"
     "[parameters: redacted]\n(Background on this error)"),
    ("at 03:05:55 worker 12 of version 1.2.3 booted",
     "at 03:05:55 worker 12 of version 1.2.3 booted"),
    ("GET /stories/my/ HTTP/1.1", "GET /stories/my/ HTTP/1.1"),
])
def test_redact_removes_tokens_addresses_and_client_bytes(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_gunicorn_may_say_where_it_listens() -> None:
    entry = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1,
                              "Listening at: %s (%s)", ("http://127.0.0.1:8000", 42), None)
    Redact().filter(entry)
    assert entry.getMessage() == "Listening at: http://127.0.0.1:8000 (42)"


def test_tracebacks_are_redacted_too() -> None:
    try:
        raise ValueError("bad token at /my/SecretTok for rosa@example.org from 10.0.0.1")
    except ValueError:
        entry = logging.LogRecord("testimonials.x", logging.ERROR, __file__, 1, "failed", (),
                                  sys.exc_info())
    Redact().filter(entry)
    text = logging.Formatter().format(entry)
    assert "SecretTok" not in text and "rosa@" not in text and "10.0.0.1" not in text
    assert "ValueError: bad token at /my/[token] for [email] from [ip]" in text
