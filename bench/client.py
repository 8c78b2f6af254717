"""A small HTTP client for the bench and the load tests: one browser's cookies, a new
connection per request, CSRF tokens read from pages, and one patient's story sent whole."""

from __future__ import annotations

import http.client
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RECEIPT = re.compile(r"/my/([A-Za-z0-9_-]{43})/receipt$")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Client:
    """One browser's worth of state: its cookies. Each request on a new connection."""

    host: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        connection = http.client.HTTPConnection(self.host, timeout=self.timeout)
        sent = {"Connection": "close", "Accept-Language": "en", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    content = rest.split(";", 1)[0]
                    if "Max-Age=0" in value or not content:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = content
            text = raw.decode("utf-8", "replace") if response.getheader(
                "Content-Encoding") is None else ""
            reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                          text)
            reply.raw = raw  # type: ignore[attr-defined]
            return reply
        finally:
            connection.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.request("POST", path, form)

    def token_from(self, path: str) -> tuple[str, Reply]:
        """The page's CSRF token (and the page)."""
        page = self.get(path)
        found = CSRF.search(page.body)
        if not found:
            raise AssertionError(f"no CSRF token on {path} ({page.status})")
        return found.group(1), page


def story_of(number: int) -> str:
    return (f"Load story {number}: I asked for therapy and waited {number % 97 + 10} days for "
            f"the intake, then months for a return visit. Nobody called me back.")


def share_once(host: str, number: int) -> tuple[str, str]:
    """(receipt token, story) of a new story sent as a patient's browser would: the start page
    for its CSRF token, then the whole story in one POST to /share (the path kept beside the
    staged journey for scripts and the bench). Raises if the site did not acknowledge it."""
    client = Client(host)
    token, _page = client.token_from("/share")
    story = story_of(number)
    reply = client.post("/share", {
        "csrf_token": token, "nonce": secrets.token_urlsafe(24), "story": story,
        "reporter": "patient",
        "intake-state": "ended", "intake-amount": str(number % 97 + 10), "intake-unit": "days",
        "consent_stats": "y", "consent_publish": "y",
    })
    found = RECEIPT.search(reply.headers.get("location", ""))
    if reply.status != 303 or not found:
        raise AssertionError(f"not acknowledged: {reply.status} {reply.body[:200]!r}")
    return found.group(1), story
