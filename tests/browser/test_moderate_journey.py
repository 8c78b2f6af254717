"""A moderator's journey in a real browser: enrol a second factor, clear 50 items by keyboard."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pyotp
import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from testimonials import create_app, db, migrate
from testimonials.models import Submission
from testimonials.vocab import Status
from tests.browser.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser
TO_CLEAR = 50
REASON = "Thank you. Please send it again without names or phone numbers."


@pytest.fixture(scope="module")
def moderation_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: the journey decides items other tests may count on."""
    path = tmp_path_factory.mktemp("moderation") / "waitline.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        migrate.upgrade(db.engine())
    # No statistics release: nothing here reads figures, and cutting one costs ~25 s of CPU.
    result = app.test_cli_runner().invoke(args=["demo", "load", "--count", "400", "--seed", "5",
                                                "--no-release"])
    assert result.exit_code == 0, result.output
    # The demo's own queue is a few days' stories: add a backlog worth clearing.
    result = app.test_cli_runner().invoke(
        args=["demo", "load", "--count", str(TO_CLEAR + 10), "--seed", "5", "--only", "pending",
              "--no-release"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"  # its links
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(server, app)
    server.shutdown()
    app.extensions["waitline.engine"].dispose()


def _pending(server: LiveServer) -> int:
    with server.app.app_context():
        return db.session().scalar(select(func.count()).select_from(Submission)
                                   .where(Submission.status == Status.PENDING)) or 0


def _sign_in_and_enrol(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/moderate/")
    assert "/moderate/login" in page.url
    page.get_by_label("E-mail address").fill(server.app.config["DEMO_MODERATOR_EMAIL"])
    page.get_by_label("Password").fill(server.app.config["DEMO_PASSWORD"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/moderate/login/enrol$"))
    secret = "".join(page.locator("code.secret span").all_inner_texts())
    assert page.locator("img.qr").get_attribute("src").startswith("data:image/svg+xml")
    screenshot(page, "moderate-enrol-desktop")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.locator("ul.recovery-codes li").count() == 10
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url(re.compile(r"/moderate/$"))


def _press_and_wait(page, key: str) -> None:  # type: ignore[no-untyped-def]
    """Press a key that sends a form, and wait until the next page has loaded."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def test_a_moderator_clears_fifty_items_by_keyboard(moderation_server, page_at,  # type: ignore[no-untyped-def]
                                                    capsys) -> None:
    server = moderation_server
    page = page_at("desktop")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    _sign_in_and_enrol(page, server)
    screenshot(page, "moderate-queue-desktop")
    before = _pending(server)
    assert before >= TO_CLEAR

    started = time.perf_counter()
    page.keyboard.press("j")  # the first item in the queue
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/moderate/\d+$"))
    screenshot(page, "moderate-review-desktop")
    approved = rejected = 0
    for _ in range(TO_CLEAR):
        page.keyboard.press("a")  # a decision takes the key twice (WCAG 2.1.4)
        _press_and_wait(page, "a")
        if page.url.endswith("/decide"):
            # The public version still has what looks like personal data: reject instead.
            assert page.locator("input[name=confirm_personal_data]").count() == 1
            page.keyboard.press("r")
            page.keyboard.type(REASON)
            _press_and_wait(page, "Control+Enter")
            rejected += 1
        else:
            approved += 1
    elapsed = time.perf_counter() - started

    assert _pending(server) == before - TO_CLEAR
    assert errors == []
    with capsys.disabled():
        print(f"\n  cleared {TO_CLEAR} items by keyboard in {elapsed:.1f} s "
              f"({approved} approved, {rejected} rejected for personal data)")
    assert elapsed < 120


def test_moderation_pages_fit_phone_and_desktop(moderation_server, page_at) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.conftest import DESKTOP, PHONE

    server = moderation_server
    page = page_at("desktop")
    page.goto(server.url + "/moderate/login")
    page.get_by_label("E-mail address").fill(server.app.config["DEMO_ADMIN_EMAIL"])
    page.get_by_label("Password").fill(server.app.config["DEMO_PASSWORD"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/moderate/login/enrol$"))
    secret = "".join(page.locator("code.secret span").all_inner_texts())
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url(re.compile(r"/moderate/$"))
    review = page.locator(".queue-link").first.get_attribute("href")
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        for name, path in (("queue", "/moderate/"), ("review", review),
                           ("audit", "/moderate/audit"), ("accounts", "/admin/accounts"),
                           ("settings", "/admin/settings")):
            page.goto(server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (name, size, width)
            screenshot(page, f"moderate-{name}-{size}")
