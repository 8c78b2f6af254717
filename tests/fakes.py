"""Stand-ins for services outside ours that tests must not reach: an SMTP server."""

from __future__ import annotations

from typing import Any


class FakeSMTP:
    """smtplib.SMTP as our mailer uses it; each message sent is kept in `sent`."""

    sent: list[Any] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port = host, port

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self, context: Any = None) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        pass

    def send_message(self, message: Any) -> None:
        FakeSMTP.sent.append(message)
