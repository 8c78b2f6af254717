"""The patient's staged journey walked in a browser, for the tests that need a story sent the
way a patient sends it (tests/browser/test_share_journey.py tests the pages themselves)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

REPORTERS = {"patient": 0, "parent": 1, "family": 2}


def start(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/share")
    with page.expect_navigation():
        page.locator("#start").click()


def click_on(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.locator("#send").click()


def share_by_journey(  # type: ignore[no-untyped-def]
        page, base: str, story: str, *, reporter: str = "patient",
        consents: Iterable[str] = ("consent_stats",), title: str | None = None,
        facility: str | None = None, month: str | None = None, year: str | None = None,
        care: Iterable[str] = (), waits: Mapping[str, tuple[str, str, str]] | None = None,
        send: bool = True) -> None:
    """From the start page to the check page (and the receipt when `send`); `waits` maps a
    wait kind to (state, amount, unit)."""
    start(page, base)
    page.locator("#story").fill(story)
    if title is not None:
        page.locator("#title").fill(title)
    click_on(page)
    for consent in consents:
        page.locator(f"#{consent}").check()
    page.locator(f"#reporter-{REPORTERS[reporter]}").check()
    click_on(page)
    if facility is not None:
        page.locator("#facility").select_option(facility)
    if month is not None and year is not None:
        page.locator("#month").fill(month)
        page.locator("#year").fill(year)
    click_on(page)
    for kind in care:
        page.locator(f"input[name=care_types][value={kind}]").check()
    click_on(page)
    while "/share/wait-" in page.url:
        kind = page.url.rsplit("/share/wait-", 1)[1]
        if waits and kind in waits:
            state, amount, unit = waits[kind]
            page.locator(f"input[name='{kind}-state'][value={state}]").check()
            if amount:
                page.locator(f"#{kind}-amount").fill(amount)
                page.locator(f"#{kind}-unit").select_option(unit)
        click_on(page)
    click_on(page)  # what happened
    click_on(page)  # about you
    if send:
        click_on(page)  # check your answers: Send
