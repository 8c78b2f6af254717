"""Receipt tokens are redacted from request log lines before any handler sees them."""

from __future__ import annotations

import logging

import pytest

from testimonials.share.logs import REQUEST_LOGGERS, RedactTokens, install


def record(message: str, *args: object, name: str = "werkzeug") -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)


@pytest.mark.parametrize(("line", "expected"), [
    ("GET /my/abcDEF_123-xyz HTTP/1.1", "GET /my/[token] HTTP/1.1"),
    ("GET /my/abcDEF_123-xyz/edit HTTP/1.1", "GET /my/[token]/edit HTTP/1.1"),
    ("POST /my/abc/withdraw?lang=es HTTP/1.1", "POST /my/[token]/withdraw?lang=es HTTP/1.1"),
    ("GET /my/tok?lang=es HTTP/1.1", "GET /my/[token]?lang=es HTTP/1.1"),
    ("GET /share HTTP/1.1", "GET /share HTTP/1.1"),
    ("GET /stories/my/ HTTP/1.1", "GET /stories/my/ HTTP/1.1"),
])
def test_request_lines_lose_the_token(line: str, expected: str) -> None:
    entry = record('%s - - "%s" %s %s', "-", line, 200, "-")
    assert RedactTokens().filter(entry) is True
    assert entry.getMessage() == f'- - - "{expected}" 200 -'


def test_unexpected_error_lines_lose_the_token_too() -> None:
    entry = record("unhandled %s at %s %s\n%s", "KeyError", "POST", "/my/secretTOKEN/edit", "",
                   name="testimonials.errors")
    RedactTokens().filter(entry)
    assert "secretTOKEN" not in entry.getMessage()


def test_a_record_that_cannot_be_formatted_is_left_alone() -> None:
    entry = record("%s %s", "only one")
    assert RedactTokens().filter(entry) is True
    assert entry.msg == "%s %s"


def test_installing_twice_adds_one_filter() -> None:
    install()
    install()
    for name in REQUEST_LOGGERS:
        filters = [f for f in logging.getLogger(name).filters if isinstance(f, RedactTokens)]
        assert len(filters) == 1
