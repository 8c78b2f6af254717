"""Helpers for the end-to-end journeys: a quiet server, accounts with a known second factor,
signing in through the pages, axe-core on every page at both widths, the XSS tripwire.

Imported by the test modules beside it (fixtures are in conftest.py).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
from playwright.sync_api import expect
from sqlalchemy import update
from werkzeug.serving import WSGIRequestHandler, make_server

from testimonials import create_app, db, migrate
from testimonials.models import Account, utcnow
from testimonials.services import accounts
from testimonials.vocab import Role
from tests.browser import axe_check
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, LiveServer, screenshot

PASSWORD = "correct horse battery staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
SERIOUS = ("serious", "critical")
AXE_REPORT = ARTIFACTS.parent / "axe"

# Set before any page script runs: every way a payload could make itself known is recorded in
# window.__xss, and any Content-Security-Policy violation (markup that reached the page and
# tried to run) in window.__csp.
XSS_TRIPWIRE = """
(() => {
  window.__xss = [];
  window.__csp = [];
  const note = (how) => (...args) => { window.__xss.push(how + ':' + args.join(',')); };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    try { Object.defineProperty(window, name, {value: note(name), writable: false}); } catch (e) {}
  }
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__csp.push(event.violatedDirective + ' ' + (event.blockedURI || '') + ' '
                      + (event.sample || ''));
  });
})();
"""


class QuietHandler(WSGIRequestHandler):
    """No access log: like gunicorn in production (config/gunicorn.py), nothing names a client."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def serve(path: Path, *, count: int, seed: int,
          overrides: dict[str, Any] | None = None) -> Iterator[LiveServer]:
    """The app on a free port over a migrated SQLite file with `count` demo submissions."""
    # The journey from patient to reader, not protection (tests/unit/stats and
    # test_stats_release_adversary): without the audit, which hides a total that moved by
    # one person, as the journey's release after one story does.
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True, "STATS_PROTECTION_AUDIT": False,
                      **(overrides or {})})
    with app.app_context():
        migrate.upgrade(db.engine())
    if count:
        result = app.test_cli_runner().invoke(
            args=["demo", "load", "--count", str(count), "--seed", str(seed)])
        assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    app.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"  # its links
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(server, app)
    finally:
        server.shutdown()
        app.extensions["waitline.engine"].dispose()


@dataclass
class Person:
    id: int
    email: str
    secret: str = SECRET
    password: str = PASSWORD


def make_account(server: LiveServer, email: str, role: Role = Role.MODERATOR, *,
                 enrolled: bool = True) -> Person:
    """An active account whose second factor is enrolled with SECRET (unless told otherwise)."""
    with server.app.extensions["waitline.sessionmaker"]() as session:
        account = accounts.create_account(session, email, PASSWORD, role, utcnow())
        if enrolled:
            account.totp_secret, account.totp_enrolled_at = SECRET, utcnow()
        session.commit()
        return Person(account.id, account.email)


def forget_last_code(server: LiveServer, person: Person) -> None:
    """A code is accepted once per 30-second step; the journeys sign in more often than that."""
    with server.app.extensions["waitline.sessionmaker"]() as session:
        session.execute(update(Account).where(Account.id == person.id)
                        .values(totp_last_step=None))
        session.commit()


def sign_in(page, server: LiveServer, person: Person, *, audit: Audit | None = None,  # type: ignore[no-untyped-def]
            next_path: str = "/moderate/") -> None:
    """Password, then the code pyotp computes from the secret: typed, Enter to send."""
    forget_last_code(server, person)
    page.goto(server.url + "/moderate/login?next=" + next_path)
    if audit:
        audit.page(page, "moderate-login")
    page.locator("#email").focus()
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    page.keyboard.type(person.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/moderate/login/code"), page.url
    if audit:
        audit.page(page, "moderate-login-code")
    # The field has autofocus, which the browser applies after the load event: typing before
    # it lands loses digits (the cause of the e2e flakes seen in CI), so wait for the focus.
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(pyotp.TOTP(person.secret).now())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server.url + next_path, f"sign-in did not finish: {page.url}"


@dataclass
class Audit:
    """axe-core on pages at both widths, with a screenshot of each; nothing asserted here.

    Each page's serious and critical violations are kept by name; `serious()` lists them.
    A report of every page is written under test-artifacts/axe/.
    """

    prefix: str
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def page(self, page, name: str, *, widths: tuple[str, ...] = ("phone", "desktop")) -> None:  # type: ignore[no-untyped-def]
        """Check the page as it is now at each width (the page is left at the first width)."""
        start = page.viewport_size
        for width in widths:
            page.set_viewport_size(WIDTHS[width])
            key = f"{self.prefix}-{name}-{width}"
            self.results[key] = [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [" ".join(n["target"]) if isinstance(n["target"], list)
                           else str(n["target"]) for n in v["nodes"]][:5],
                 "url": page.url}
                for v in axe_check.violations(page)
            ]
            screenshot(page, key)
        if start:
            page.set_viewport_size(start)

    def serious(self, *, ignore: tuple[str, ...] = ()) -> dict[str, list[str]]:
        """{page: ["rule (impact): targets"]} for serious and critical violations."""
        found: dict[str, list[str]] = {}
        for key, violations in self.results.items():
            if any(re.search(pattern, key) for pattern in ignore):
                continue
            bad = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                   for v in violations if v["impact"] in SERIOUS]
            if bad:
                found[key] = bad
        return found

    def save(self) -> Path:
        AXE_REPORT.mkdir(parents=True, exist_ok=True)
        path = AXE_REPORT / f"{self.prefix}.json"
        path.write_text(json.dumps(self.results, indent=2, ensure_ascii=False))
        return path


def tripped(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """What the XSS tripwire caught on the current page (empty lists: nothing ran)."""
    return page.evaluate("() => ({xss: window.__xss || ['tripwire missing'], "
                         "csp: window.__csp || ['tripwire missing']})")


def hidden_field(page, name: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"input[name={name}]").first.get_attribute("value") or ""
