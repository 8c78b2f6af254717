"""Receipt tokens never reach a log: the redaction lives in testimonials.logs (all of it)."""

from __future__ import annotations

from testimonials.logs import REQUEST_LOGGERS, Redact, install

RedactTokens = Redact  # the name the share blueprint's tests know it by

__all__ = ["REQUEST_LOGGERS", "RedactTokens", "install"]
