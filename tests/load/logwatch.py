"""Every log line of the end-to-end, security, hostile-input and load suites, searched at the end.

A handler on the root logger keeps every record from the moment the first of those suites
starts (`install`, from a session fixture in each of their conftest.py files) to the end of
the run; the servers those suites start in their own processes (gunicorn) write their
standard error to files registered here. At the end `problems()` searches all of it for an IP
address, and for each story text, e-mail address and token the suites used (`remember`).

Imported everywhere as `tests.load.logwatch` (never by its bare name), so that there is one
registry per run.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

# Any IPv4 address, and the IPv6 loopback and mapped forms a client could appear as.
IP_ADDRESS = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|(?<![\w:])::1(?![\w:])"
                        r"|::ffff:[\d.]+")
# Lines that name the server's own listening address (gunicorn says where it listens): that
# is configuration, not a client's address.
SERVER_OWN_ADDRESS = re.compile(r"Listening at: http://127\.0\.0\.1:\d+")
# Test scaffolding, not the application: the development server's request log of the shared
# browser fixture (tests/browser/conftest.py), whose lines begin with the client address by
# design. Production runs gunicorn with no access log (config/gunicorn.py).
SCAFFOLDING_LOGGERS = frozenset({"werkzeug"})
SHORTEST_SECRET = 12

_lock = threading.Lock()
_records: list[tuple[str, str]] = []  # (logger name, formatted message with any traceback)
_secrets: set[str] = set()
_files: list[Path] = []
_users = 0
_handler: logging.Handler | None = None


class _Keep(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is kept raw
            text = f"{record.msg!r} {record.args!r}"
        with _lock:
            _records.append((record.name, text))


def install() -> None:
    """Start keeping every log record (once per run; later calls only count the users)."""
    global _handler, _users
    with _lock:
        _users += 1
        if _handler is not None:
            return
        _handler = _Keep(level=logging.DEBUG)
        _handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(_handler)
    # INFO and up from every logger reach the handler (the default would drop INFO). The
    # SQL echo of SQLAlchemy is a debugging aid that nobody turns on in production; left on,
    # it would print bound parameters (story text) and drown the search.
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    for noisy in ("sqlalchemy", "urllib3", "asyncio", "faker", "hypothesis"):
        logger = logging.getLogger(noisy)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


def release() -> bool:
    """One user is done; True when it was the last (time to search everything)."""
    global _users
    with _lock:
        _users -= 1
        return _users <= 0


def remember(*values: str | None) -> None:
    """Texts that must never reach a log (stories, e-mails, tokens)."""
    with _lock:
        for value in values:
            if value and len(value.strip()) >= SHORTEST_SECRET:
                _secrets.add(value.strip())
            elif value and "@" in value:  # short e-mail addresses are secrets too
                _secrets.add(value.strip())


def add_file(path: Path) -> None:
    """A server's standard error, read at the end."""
    with _lock:
        _files.append(path)


def record_count() -> int:
    return len(_records)


def lines() -> list[tuple[str, str]]:
    """(source, text) of everything kept so far: log records and the servers' files."""
    with _lock:
        kept = list(_records)
        files = list(_files)
    for path in files:
        if path.exists():
            text = path.read_text(errors="replace")
            kept.extend((f"file:{path.name}", line) for line in text.splitlines())
    return kept


def problems() -> list[str]:
    """Every kept line that holds an IP address or a remembered secret (shortened)."""
    with _lock:
        needles = sorted(_secrets)
    return scan(lines(), needles)


def scan(kept: list[tuple[str, str]], needles: list[str]) -> list[str]:
    """The lines of `kept` ((source, text)) that hold an IP address or one of `needles`."""
    found: list[str] = []
    for source, text in kept:
        if source not in SCAFFOLDING_LOGGERS:
            cleaned = SERVER_OWN_ADDRESS.sub("", text)
            if IP_ADDRESS.search(cleaned):
                found.append(f"IP address in {source}: {text[:200]!r}")
        for needle in needles:
            if needle in text:
                found.append(f"secret {needle[:20]!r}... in {source}: {text[:200]!r}")
    return found
