"""A demo moderator at work over HTTP: sign in, open the next pending item, approve it.

Each approval is a public change (a story appears on /, /stories and its own page), so the
request that follows it meets every page cache cold: the bench's cache-miss lines.
"""

from __future__ import annotations

import html
import re

from bench.client import Client

ITEM = re.compile(r'href="/moderate/(\d+)[?"]')
VERSION = re.compile(r'name="version" value="(\d+)"')
TITLE = re.compile(r'name="public_title" value="([^"]*)"')
STORY = re.compile(r'name="public_story"[^>]*>(.*?)</textarea>', re.DOTALL)
EMAIL, PASSWORD = "moderator@example.org", "waitline-demo-2026"


class Moderator:
    def __init__(self, host: str) -> None:
        self.client = Client(host)
        token, _ = self.client.token_from("/moderate/login")
        self.client.post("/moderate/login", {"csrf_token": token, "email": EMAIL,
                                             "password": PASSWORD})
        if self.client.get("/moderate/").status != 200:
            raise RuntimeError("the demo moderator could not sign in")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())

    def approve_next(self) -> int:
        """Approve the oldest pending item as it is; its id."""
        found = ITEM.search(self.client.get("/moderate/").body)
        if not found:
            raise RuntimeError("no pending item left to decide")
        item = int(found.group(1))
        page = self.client.get(f"/moderate/{item}").body
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        version, title, story = VERSION.search(page), TITLE.search(page), STORY.search(page)
        if not (token and version and title and story):
            raise RuntimeError(f"item {item}: its review page has no approve form")
        reply = self.client.post(f"/moderate/{item}/decide", {
            "csrf_token": token.group(1), "version": version.group(1), "action": "approve",
            "confirm_personal_data": "yes", "public_title": html.unescape(title.group(1)),
            "public_story": html.unescape(story.group(1)).lstrip("\n"),
        })
        if reply.status not in (302, 303) or "/login" in reply.headers.get("location", ""):
            raise RuntimeError(f"item {item}: approving answered {reply.status}")
        return item
