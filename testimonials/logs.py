"""One redaction for every log line the server writes: ours, gunicorn's and werkzeug's.

Receipt tokens (/my/<token>), e-mail addresses and IP addresses are replaced by placeholders,
and when gunicorn refuses a malformed request it says what kind of fault it was, never the
bytes the client sent (a request line, a header, a chunk of body: they can hold a token or
story text). SQL parameters in an exception's text (story text, e-mail) are dropped too.
The filter goes on the loggers that write request lines (`install`) and on every handler of
the gunicorn process (`serving.RedactingLogger`), so that a record from any module is
rewritten before it is written.
"""

from __future__ import annotations

import logging
import re

TOKEN_PATH = re.compile(r"(/my/)[^/\s?\"'#]+")
EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# IPv6: the full eight groups, or any form with "::" (::1, fe80::1, ::ffff:10.0.0.1).
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}"
                  r"|[0-9A-Fa-f:]*::[0-9A-Fa-f:.]*(?:%\w+)?)(?![\w:])")
# gunicorn: "Invalid request from ip=ADDR: <fault>: '<what the client sent>'".
INVALID_REQUEST = re.compile(r"Invalid request from ip=\S*?: ([^:'\"(]*)(.*)", re.DOTALL)
SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL)
# gunicorn names where it listens (its configuration, not a client): the address may stay.
_OWN_ADDRESS_MESSAGES = ("Listening at:",)
# The development server's request log, gunicorn's access log if anyone turns it on, the
# error handler's log of unexpected errors (it names the path), and gunicorn's error log.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "testimonials.errors")


def redact(text: str, *, keep_addresses: bool = False) -> str:
    """The text without tokens, e-mail addresses, IP addresses or client-sent bytes."""
    found = INVALID_REQUEST.search(text)
    if found:
        fault = found.group(1).strip() or "malformed request"
        text = text[:found.start()] + f"Invalid request: {fault}"
    text = SQL_PARAMETERS.sub("[parameters: redacted]", text)
    text = TOKEN_PATH.sub(r"\1[token]", text)
    text = EMAIL.sub("[email]", text)
    if not keep_addresses:
        text = IPV4.sub("[ip]", IPV6.sub("[ip]", text))
    return text


class Redact(logging.Filter):
    """Rewrites a record's message, traceback and stack to their redacted forms."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "waitline_redacted", False):
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # logging itself reports a record that cannot be formatted
        keep = record.name.startswith("gunicorn") and str(record.msg).startswith(
            _OWN_ADDRESS_MESSAGES)
        redacted = redact(message, keep_addresses=keep)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record.waitline_redacted = True
        return True


def add_filter(target: logging.Logger | logging.Handler) -> None:
    """Add the redaction to a logger or handler, once."""
    if not any(isinstance(existing, Redact) for existing in target.filters):
        target.addFilter(Redact())


def install() -> None:
    """Redact what the request loggers log, and what Flask's own handler writes."""
    from flask.logging import default_handler

    for name in REQUEST_LOGGERS:
        add_filter(logging.getLogger(name))
    add_filter(default_handler)
