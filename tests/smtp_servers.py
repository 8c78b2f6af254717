"""Real SMTP servers on 127.0.0.1 for the mail tests (aiosmtpd): plain, STARTTLS and
implicit TLS, the TLS ones with a certificate from a throw-away authority (trustme)."""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller

# aiosmtpd logs its peers' addresses ("mail.log"), sometimes after a test has ended and inside
# another's log watch. These servers stand in for the operator's mail service, not for ours:
# their log is not the site's, and only its errors would matter.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

HOST = "127.0.0.1"


@dataclass
class Inbox:
    """What the server received, and how to reach it."""

    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def authority(directory: Path) -> tuple[trustme.CA, Path]:
    """A certificate authority of the test's own, and its certificate as a PEM file."""
    ca = trustme.CA()
    pem = directory / "test-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem


@contextmanager
def smtp_server(kind: str, ca: trustme.CA | None = None) -> Iterator[Inbox]:
    """A server of one kind: "none" (plain), "starttls" (offers and requires STARTTLS) or
    "tls" (TLS from the first byte); the TLS kinds need `ca`, which signs their certificate."""
    inbox = Inbox(free_port())
    options: dict[str, Any] = {}
    if kind != "none":
        assert ca is not None
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(HOST, "localhost").configure_cert(server_context)
        if kind == "starttls":
            options = {"tls_context": server_context, "require_starttls": True}
        else:
            options = {"ssl_context": server_context}
    controller = Controller(inbox, hostname=HOST, port=inbox.port, **options)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
