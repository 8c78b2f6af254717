"""The browser tests' axe check finds what axe finds: its quick pass (no selectors) decides
only whether the full run is needed, so a page with a violation is reported whole."""

from __future__ import annotations

import pytest

from tests.browser import axe_check

pytestmark = pytest.mark.browser

BROKEN = ("<!doctype html><html lang='en'><head><title>t</title></head><body><main>"
          "<h1>A page</h1><img src='data:,' id='unnamed'>"
          "<p style='color:#bbb;background:#fff'>faint words</p></main></body></html>")
SOUND = ("<!doctype html><html lang='en'><head><title>t</title></head><body><main>"
         "<h1>A page</h1><p>Plain words.</p></main></body></html>")


def test_a_page_with_violations_gets_them_with_their_places(page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("phone")
    page.set_content(BROKEN)
    found = {v["id"]: v for v in axe_check.violations(page)}
    assert {"image-alt", "color-contrast"} <= set(found)
    assert found["image-alt"]["nodes"][0]["target"] == ["#unnamed"]


def test_a_sound_page_has_none(page_at) -> None:  # type: ignore[no-untyped-def]
    page = page_at("desktop")
    page.set_content(SOUND)
    assert axe_check.violations(page) == []
