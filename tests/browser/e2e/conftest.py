"""Fixtures for the end-to-end journeys: a server of their own (CSRF on, no access log), a
moderator with a known second factor, pages with the XSS tripwire, and the log watch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_support import XSS_TRIPWIRE, Person, make_account, serve, sign_in

from testimonials.vocab import Role
from tests.browser.conftest import DESKTOP, PHONE, LiveServer
from tests.load import logwatch


@pytest.fixture(scope="session", autouse=True)
def watch_logs() -> Iterator[None]:
    """Keep every log line of the run; the last of the suites' fixtures searches them."""
    logwatch.install()
    yield
    if logwatch.release():
        found = logwatch.problems()
        assert not found, "\n".join(found[:20])


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The journeys' own server: they approve and withdraw, which other suites must not see."""
    path = tmp_path_factory.mktemp("e2e") / "waitline.db"
    yield from serve(path, count=200, seed=11)


@pytest.fixture(scope="session")
def moderator(e2e_server: LiveServer) -> Person:
    return make_account(e2e_server, "e2e-moderator@example.org")


@pytest.fixture(scope="session")
def second_moderator(e2e_server: LiveServer) -> Person:
    return make_account(e2e_server, "e2e-second@example.org", Role.ADMIN)


@pytest.fixture(scope="session")
def moderator_cookies(browser, e2e_server: LiveServer, moderator: Person) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The moderator's browser state after one sign-in through the pages, for the tests that
    start signed in (the sign-in pages are the journey's to check): each signing in again
    cost three page loads and a second factor."""
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context.new_page(), e2e_server, moderator)
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_page(browser):  # type: ignore[no-untyped-def]
    """open_page("phone"|"desktop", locale=..., signed_in=cookies): a fresh context with the
    XSS tripwire set (and a signed-in browser's state, when given)."""
    contexts = []

    def opener(size: str = "desktop", locale: str = "en-US",  # type: ignore[no-untyped-def]
               signed_in: dict[str, Any] | None = None):
        context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP,
                                      locale=locale, storage_state=signed_in)
        context.set_default_timeout(15_000)
        context.add_init_script(XSS_TRIPWIRE)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield opener
    for context in contexts:
        context.close()
