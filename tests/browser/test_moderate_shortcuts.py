"""Single-key decisions in a real browser (WCAG 2.1.4): one stray "a" approves nothing, "a"
then "a" again does; with shortcuts turned off, no single key does anything."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from testimonials import create_app, db, migrate
from testimonials.models import Submission
from testimonials.vocab import Status
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.test_moderate_journey import _sign_in_and_enrol

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: its tests decide items and change the moderator."""
    path = tmp_path_factory.mktemp("shortcuts") / "waitline.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        migrate.upgrade(db.engine())
    # No statistics release: nothing here reads figures, and cutting one costs ~25 s of CPU.
    result = app.test_cli_runner().invoke(args=["demo", "load", "--count", "120", "--seed", "7",
                                                "--no-release"])
    assert result.exit_code == 0, result.output
    # The demo's own queue is a few days' stories: add pending items to decide.
    result = app.test_cli_runner().invoke(
        args=["demo", "load", "--count", "20", "--seed", "7", "--only", "pending",
              "--no-release"])
    assert result.exit_code == 0, result.output
    live = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SITE_URL"] = f"http://127.0.0.1:{live.server_port}"  # its links
    thread = threading.Thread(target=live.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(live, app)
    live.shutdown()
    app.extensions["waitline.engine"].dispose()


def _unflagged_pending(server: LiveServer, count: int) -> list[int]:
    """Pending items without flags: approving them asks no personal-data question."""
    with server.app.app_context():
        return list(db.session().scalars(
            select(Submission.id).where(Submission.status == Status.PENDING,
                                        Submission.flags == 0)
            .order_by(Submission.id).limit(count)))


def _status(server: LiveServer, item: int) -> Status:
    with server.app.app_context():
        found = db.session().get(Submission, item)
        assert found is not None
        return found.status


def test_one_stray_key_decides_nothing_and_shortcuts_can_be_turned_off(  # type: ignore[no-untyped-def]
        server, page_at) -> None:
    page = page_at("desktop")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_and_enrol(page, server)
    first, second, third = _unflagged_pending(server, 3)
    review = f"{server.url}/moderate/{first}"
    page.goto(review)
    prompt = page.locator("#key-prompt")

    pressed = time.monotonic()
    page.keyboard.press("a")  # one stray "a": a visible question, nothing sent
    assert prompt.is_visible() and "Press A again to approve" in prompt.inner_text()
    screenshot(page, "moderate-key-prompt-desktop")
    # The question lapses after 2 seconds: waited for (not slept past), and not before.
    expect(prompt).to_be_hidden(timeout=2_500)
    assert time.monotonic() - pressed >= 1.9
    page.keyboard.press("a")
    assert page.url == review and _status(server, first) is Status.PENDING

    page.keyboard.press("x")  # another key cancels
    assert not prompt.is_visible()
    page.keyboard.press("s")
    assert "Press S again to mark as spam" in prompt.inner_text()
    page.keyboard.press("Escape")
    assert not prompt.is_visible()
    assert page.url == review and _status(server, first) is Status.PENDING

    with page.expect_navigation():  # "a" then "a" again approves
        page.keyboard.press("a")
        page.keyboard.press("a")
    page.wait_for_load_state("load")
    assert _status(server, first) is Status.APPROVED

    page.goto(f"{server.url}/moderate/{second}")
    with page.expect_navigation():  # "a" then Enter approves too
        page.keyboard.press("a")
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert _status(server, second) is Status.APPROVED

    page.goto(f"{server.url}/moderate/alerts")
    page.get_by_label("Off: no single key does anything").check()
    page.get_by_role("button", name="Save my shortcut choice").click()
    page.wait_for_url(re.compile(r"/moderate/alerts$"))
    review = f"{server.url}/moderate/{third}"
    page.goto(review)
    assert not page.locator("[data-shortcut-hint]").first.is_visible()
    for key in ("a", "a", "s", "s", "Enter", "j", "k", "r"):
        page.keyboard.press(key)
    page.wait_for_timeout(500)  # time for any navigation to start
    assert page.url == review and _status(server, third) is Status.PENDING
    assert prompt.count() == 0  # no question either: nothing is bound
    assert errors == []
