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

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

VIOLATIONS_ONLY: dict[str, Any] = {"resultTypes": ["violations"]}


class PageAxe(Axe):
    """axe-core injected into a document only when it lacks it (the second width of the same
    loaded page reuses it: the script is ~500 KB of JavaScript), and run in full only when
    the quick check found violations."""

    def run(self, page, context: str | list[Any] | dict[str, Any] | None = None,  # type: ignore[no-untyped-def,override]
            options: dict[str, Any] | None = None) -> AxeResults:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.axe_script)
        options = options or VIOLATIONS_ONLY
        quick = self._format_script_args(context=context,
                                         options={**options, "selectors": False})
        if page.evaluate(f"axe.run({quick}).then(results => results.violations.length)") == 0:
            return AxeResults({"violations": []})
        arguments = self._format_script_args(context=context, options=options)
        return AxeResults(page.evaluate(f"axe.run({arguments}).then(results => results)"))


def violations(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page as it is now (each with its nodes' selectors)."""
    found: list[dict[str, Any]] = _AXE.run(page, options=VIOLATIONS_ONLY).response["violations"]
    return found


_AXE = PageAxe()
