"""gunicorn, as config/gunicorn.py sets it up: a redacting error log and plain error pages.

gunicorn writes its own log lines (refused requests, workers that time out mid-request) and
answers malformed requests itself, before the app sees them. Its log handlers get the same
redaction as ours (testimonials.logs), the app's loggers write through those handlers (not
Python's unfiltered last-resort handler), and its error answers carry our security headers
and never echo what the client sent.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from gunicorn import glogging, util

from testimonials import logs
from testimonials.security import static_headers


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with every handler of the process behind the redaction."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        root = logging.getLogger()
        if not root.handlers:  # the app's own lines go where gunicorn's errors go
            for handler in self.error_log.handlers:
                root.addHandler(handler)
            root.setLevel(logging.INFO)
        for logger in (self.error_log, self.access_log, root):
            logs.add_filter(logger)
            for handler in logger.handlers:
                logs.add_filter(handler)
        logs.install()


def write_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's answer to a request it cannot parse: our headers, no client bytes echoed."""
    body = (f"<!doctype html><title>{html.escape(reason)}</title>"
            f"<h1>{status_int} {html.escape(reason)}</h1>\n").encode()
    headers = {"Connection": "close", "Content-Type": "text/html; charset=utf-8",
               "Content-Length": str(len(body)), "Cache-Control": "no-store",
               **static_headers()}
    head = f"HTTP/1.1 {status_int} {reason}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    util.write_nonblock(sock, head.encode("latin-1") + body)


def install_error_page() -> None:
    """Make gunicorn's workers answer refused requests with `write_error`."""
    util.write_error = write_error
