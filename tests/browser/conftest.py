"""Browser fixtures: a real server on 127.0.0.1 and Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without it the
browser tests are skipped with the reason (or fail when WAITLINE_REQUIRE_SERVICES=1, as in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from testimonials import create_app, db, migrate

CHROMIUM = os.environ.get("WAITLINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run",
                 "--disable-sync"]
# Headless Chromium 156 builds the address bar's suggestion popup, a WebUI page in a renderer
# of its own, for every new context: 0.5 s of CPU in that renderer and 0.15 s in the browser
# process, each time, for a window no one sees. Nearly every test opens a context.
OMNIBOX_POPUPS = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")


def playwright_disabled_features() -> list[str]:
    """The features Playwright's driver turns off when it launches Chromium (its
    chromiumSwitches), read from the driver's bundle: about 0.1 s, once per browser."""
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    found = re.search(r"disabledFeatures = \[(.*?)\]\.filter", bundle.read_text(), re.DOTALL)
    features = re.findall(r'^\s*"([^"]+)",?\s*$', found.group(1), re.MULTILINE) if found else []
    if not features:
        raise RuntimeError(f"Playwright's list of disabled features has moved: read {bundle}")
    return features


def chromium_args() -> list[str]:
    """CHROMIUM_ARGS, and the features to turn off in one switch: Chromium keeps only the last
    --disable-features it is given, so a list of ours alone would drop Playwright's."""
    disabled = [*playwright_disabled_features(), *OMNIBOX_POPUPS]
    return [*CHROMIUM_ARGS, "--disable-features=" + ",".join(disabled)]


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


class LiveServer:
    def __init__(self, server: BaseWSGIServer, app) -> None:  # type: ignore[no-untyped-def]
        self.server = server
        self.app = app
        self.url = f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a real port, over a migrated SQLite file with a little demo data."""
    path = tmp_path_factory.mktemp("live") / "waitline.db"
    # How pages read and work, not how figures are protected (tests/unit/stats and
    # test_stats_release_adversary): without the audit, which on 200 people hides nearly
    # every group (about 3% shown) and leaves these pages little to show.
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True, "STATS_PROTECTION_AUDIT": False})
    with app.app_context():
        migrate.upgrade(db.engine())
    result = app.test_cli_runner().invoke(args=["demo", "load", "--count", "200", "--seed", "3"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"  # its links
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(server, app)
    server.shutdown()
    app.extensions["waitline.engine"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("WAITLINE_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        yield launched
        launched.close()


@pytest.fixture
def page_at(browser):  # type: ignore[no-untyped-def]
    """Open pages at a given viewport: page_at("phone") or page_at("desktop")."""
    contexts = []

    def open_page(size: str = "desktop", locale: str = "en-US"):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP,
                                      locale=locale)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# Screenshots are for a person to look at, and nothing asserts on them: a full-page capture and
# its PNG cost Chromium more CPU than the page it shows, 33 times a run. WAITLINE_SCREENSHOTS=1
# saves them (README, "Tests").
SCREENSHOTS = os.environ.get("WAITLINE_SCREENSHOTS") == "1"


def screenshot(page, name: str) -> Path | None:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/ when WAITLINE_SCREENSHOTS=1."""
    if not SCREENSHOTS:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
