"""How the browser tests launch Chromium: Playwright's own switches kept, no hidden pages built."""

from __future__ import annotations

import re
from pathlib import Path

import playwright
import pytest

from tests.browser.conftest import CHROMIUM_ARGS, PLAYWRIGHT_DISABLED_FEATURES

pytestmark = pytest.mark.browser


def playwright_disabled_features() -> list[str]:
    """The features Playwright's driver turns off when it launches Chromium (chromiumSwitches)."""
    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    found = re.search(r"disabledFeatures = \[(.*?)\]\.filter", bundle.read_text(), re.DOTALL)
    assert found, f"Playwright's list of disabled features has moved: read {bundle}"
    return re.findall(r'^\s*"([^"]+)",?\s*$', found.group(1), re.MULTILINE)


def test_our_disabled_features_repeat_playwrights() -> None:
    # Chromium keeps the last --disable-features only: ours must carry Playwright's too.
    theirs = playwright_disabled_features()
    assert len(theirs) > 5
    assert sorted(theirs) == sorted(PLAYWRIGHT_DISABLED_FEATURES)
    ours = [arg for arg in CHROMIUM_ARGS if arg.startswith("--disable-features=")]
    assert len(ours) == 1 and set(theirs) <= set(ours[0].split("=", 1)[1].split(","))


def test_a_new_context_opens_its_page_and_nothing_else(browser) -> None:  # type: ignore[no-untyped-def]
    session = browser.new_browser_cdp_session()
    context = browser.new_context()
    try:
        context.new_page()
        targets = session.send("Target.getTargets")["targetInfos"]
        assert [(target["type"], target["url"]) for target in targets] == [("page", "about:blank")]
    finally:
        context.close()
        session.detach()
