"""axe-core for the browser tests, paid in full only when a page has something to report.

Chromium was a quarter of the suite's CPU (issue 19: 237 of 854 busy core-seconds of a
`make test`), and axe a sixth of Chromium's in the end-to-end tests. Most of an axe run on a
page with nothing to report goes into what the tests never read: a unique CSS selector for
every node it looked at, and a result object listing every rule, sent back to Python. So each
page is checked first without selectors, returning only the number of violations; only a
page with violations is checked again, in full, for the report. Same rules, same verdict.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

# axe-core's script (~500 KB of JavaScript), read once; injected into a document only when it
# lacks it, so the second width of the same loaded page reuses it.
_SCRIPT = Axe().axe_script
_QUICK = '{"resultTypes": ["violations"], "selectors": false}'
_FULL = '{"resultTypes": ["violations"]}'


def violations(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page as it is now, each with its nodes' selectors."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_SCRIPT)
    count = page.evaluate(f"axe.run(document, {_QUICK}).then(found => found.violations.length)")
    if count == 0:
        return []
    found: list[dict[str, Any]] = page.evaluate(
        f"axe.run(document, {_FULL}).then(results => results.violations)")
    return found
