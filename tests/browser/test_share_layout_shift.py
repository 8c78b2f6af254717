"""Nothing on the patient's pages moves when the script runs: the character count under the
story and "Copy the link" on the receipt keep their room from the first paint (share.css,
`@media (scripting: enabled)`). Lighthouse had measured a 0.01-0.02 layout shift there."""

from __future__ import annotations

import pytest

from tests.browser import journey_walk

# Sums the page's layout shifts not caused by the reader's own input, as Lighthouse's CLS does
# (one session window is enough for a page this short).
RECORD_SHIFTS = """
window.__shifts = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) {
    if (!entry.hadRecentInput) { window.__shifts += entry.value; }
  });
}).observe({type: "layout-shift", buffered: true});
"""


def settled_shift(page) -> float:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # layout-shift entries are delivered after the frame
    return float(page.evaluate("window.__shifts"))


@pytest.mark.parametrize("locale", ["en-US", "es-MX"])
def test_the_story_page_and_the_receipt_do_not_move_when_the_script_runs(  # type: ignore[no-untyped-def]
        live_server, page_at, locale: str) -> None:
    story_page = page_at("phone", locale)
    story_page.add_init_script(RECORD_SHIFTS)
    journey_walk.start(story_page, live_server.url)
    assert story_page.locator("[data-count-for='story']").is_visible()  # the script ran
    assert settled_shift(story_page) == 0.0
    receipt = page_at("phone", locale)
    receipt.add_init_script(RECORD_SHIFTS)
    journey_walk.share_by_journey(
        receipt, live_server.url, f"I waited four months for a therapist after my intake, and "
        f"nobody called me back when I asked ({locale}).")  # one story per run: no duplicate
    assert receipt.locator("[data-copy]").is_visible()
    assert settled_shift(receipt) == 0.0


def test_the_character_count_agrees_with_the_server_on_an_emoji(  # type: ignore[no-untyped-def]
        live_server, page_at) -> None:
    # The script counted UTF-16 units (an emoji as 2), the server code points: a too-short
    # story said "14 characters" beside "you wrote 13".
    page = page_at("phone")
    journey_walk.start(page, live_server.url)
    page.locator("#story").fill("Too short ñ 😀")
    journey_walk.click_on(page)
    assert "you wrote 13" in page.content()
    assert page.locator("[data-count-for='story']").inner_text().startswith("13 characters")
