"""Receipt tokens never reach a log: request lines that name /my/<token> are redacted."""

from __future__ import annotations

import logging
import re

_TOKEN_PATH = re.compile(r"(/my/)[^/\s?\"]+")
# The development server's request log, gunicorn's access log when someone turns it on, and
# the error handler's log of unexpected errors (it names the request path).
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "testimonials.errors")


class RedactTokens(logging.Filter):
    """Rewrites a record whose message holds /my/<token> to hold /my/[token] instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = _TOKEN_PATH.sub(r"\1[token]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install() -> None:
    """Add the filter to the request loggers, once."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
            logger.addFilter(RedactTokens())
