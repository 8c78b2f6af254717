"""How the browser tests launch Chromium: Playwright's own switches kept, no hidden pages built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import OMNIBOX_POPUPS, playwright_disabled_features

pytestmark = pytest.mark.browser


def renderer_switches() -> list[str]:
    """The --disable-features of each Chromium renderer started by this test process (a
    renderer's command line carries the features the browser runs with)."""
    parents: dict[int, int] = {}
    commands: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        commands[int(entry.name)] = command.split()

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [arg.split("=", 1)[1] for pid, words in commands.items()
            if "--type=renderer" in words and ours(pid)
            for arg in words if arg.startswith("--disable-features=")]


def test_chromium_runs_with_playwrights_disabled_features_and_ours(browser) -> None:  # type: ignore[no-untyped-def]
    # Chromium keeps the last --disable-features only: ours must carry Playwright's too.
    theirs = playwright_disabled_features()
    assert len(theirs) > 5
    context = browser.new_context()
    try:
        context.new_page().set_content("<p>Waitline</p>")
        switches = renderer_switches()
        assert switches, "no renderer of this browser found"
        for switch in switches:
            assert {*theirs, *OMNIBOX_POPUPS} <= set(switch.split(","))
    finally:
        context.close()


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
