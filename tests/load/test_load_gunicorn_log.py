"""gunicorn's own error log goes through the same redaction as ours (issue 12, item 5).

A real gunicorn, as in production: a receipt token in a slow `POST /my/<token>/edit` that the
worker gives up on, and in malformed request lines, must not reach the error log, nor may the
client's address, an e-mail address or story text sent in a malformed line; gunicorn's own
error answers carry our security headers; and each instance has no shared control socket.
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest

from testimonials.services.submissions import token_hash
from tests import builders
from tests.load import gunicorn_server, logwatch

pytestmark = pytest.mark.slow

TOKEN = "Qx7TokenNeverLogged_4kP9sRvW2mZ8aB3cD5eF6gH"
EMAIL = "patient.private@example.org"
STORY = "I-waited-nine-months-for-a-therapist-and-nobody-called"
CLIENT_IP = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|(?<![\w:])::1(?![\w:])")


def raw(host: str, payload: bytes, *, read: bool = True) -> bytes:
    """Send bytes as they are; the server's answer (if any)."""
    address, port = host.split(":")
    with socket.create_connection((address, int(port)), timeout=10) as connection:
        connection.sendall(payload)
        if not read:
            return b""
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:
            pass
        return answer


def slow_edit(host: str, seconds: float) -> None:
    """A POST to the private edit page whose body never arrives in time."""
    address, port = host.split(":")
    with socket.create_connection((address, int(port)), timeout=seconds + 10) as connection:
        connection.sendall(
            f"POST /my/{TOKEN}/edit?email={EMAIL} HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 100000\r\n\r\nstory=".encode())
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                connection.sendall(b"a")
                time.sleep(0.5)
        except OSError:
            pass  # the worker was stopped and the connection closed


MALFORMED = [
    f"GET /my/{TOKEN} garbage\r\n\r\n".encode(),
    f"GET /my/{TOKEN}?e={EMAIL} HTTP/1.1 extra\r\nHost: x\r\n\r\n".encode(),
    f"POST /my/{TOKEN}/edit HTTP/9.9\r\n\r\n".encode(),
    f"G(ET /my/{TOKEN} HTTP/1.1\r\n\r\n".encode(),
    f"GET /stories HTTP/1.1\r\nHost: x\r\nBad Header: {STORY}\r\n\r\n".encode(),
    f"GET /stories HTTP/1.1\r\nHost: x\r\nX-Fwd: {EMAIL}\r\n badfold {STORY}\r\n\r\n".encode(),
    f"POST /share HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{STORY}\r\n".encode(),
    b"GET /" + b"a" * 9000 + TOKEN.encode() + b" HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + TOKEN.encode() + b"\r\n\r\n",
]


def test_gunicorn_error_log_holds_no_token_address_or_text(
        tmp_path: Path, sqlite_file: tuple[str, object]) -> None:
    url, app = sqlite_file
    with app.extensions["waitline.sessionmaker"]() as session:  # type: ignore[attr-defined]
        builders.submission(session, token_hash=token_hash(TOKEN))  # pending: editable
        session.commit()
    logwatch.remember(TOKEN, EMAIL, STORY)
    env = {"GUNICORN_TIMEOUT": "3"}
    with gunicorn_server.running(tmp_path, url, workers=2, env=env) as server:
        answers = [raw(server.host, payload) for payload in MALFORMED]
        slow_edit(server.host, seconds=6)  # the worker is killed after 3 s without the body
        time.sleep(1)
        assert gunicorn_server.Client(server.host).get("/healthz").status == 200
    log = server.stderr.read_text(errors="replace")
    assert "WORKER TIMEOUT" in log or "Error handling request" in log  # the slow post is logged
    assert "Invalid request" in log  # the malformed lines are logged...
    for secret in (TOKEN, EMAIL, STORY):  # ...but nothing the client sent in them
        assert secret not in log
    client_ips = [line for line in log.splitlines()
                  if CLIENT_IP.search(line) and "Listening at:" not in line]
    assert client_ips == []
    refused = [answer for answer in answers if answer.startswith(b"HTTP/1.1 4")]
    assert refused, answers
    for answer in refused:
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        assert "X-Content-Type-Options: nosniff" in head
        assert "Content-Security-Policy: default-src 'self'" in head
        body = answer.split(b"\r\n\r\n", 1)[1]
        assert TOKEN.encode() not in body and STORY.encode() not in body


def test_each_gunicorn_has_no_shared_control_socket(
        tmp_path: Path, sqlite_file: tuple[str, object]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url, _app = sqlite_file
    env = {"HOME": str(home), "XDG_RUNTIME_DIR": str(home)}
    with gunicorn_server.running(tmp_path, url, workers=1, env=env):
        time.sleep(0.5)
        made = [path for path in home.rglob("*") if path.is_socket()]
    assert made == []
