"""The quarterly trend of the release page: one column per quarter with its 95% interval, the
labels readers use, a text summary and a table; and the tidy file's quarters (pure)."""

from __future__ import annotations

from testimonials.stats import tidy
from testimonials.stats.page import Filter, Series, View
from testimonials.stats.presenter import Presenter
from testimonials.stats.report import ShownBreakdown, ShownGroup
from testimonials.stats.summary import Summary, summarise
from testimonials.vocab import WaitState
from tests.unit.stats.test_stats_headlines import WORDS

QUARTERS = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")


def _group(key: str, label: str, ended: dict[int, int] | None) -> ShownGroup[Summary]:
    if ended is None:  # hidden
        return ShownGroup(key, label, True, None, None, ())
    figures = summarise({(days, WaitState.ENDED): n for days, n in ended.items()}, 14)
    return ShownGroup(key, label, False, figures.count, figures, ())


def _view() -> View:
    by_quarter = tuple(
        _group(f"intake|quarter={q}", q, None if q == "2025-Q4" else
               {10 + 10 * index: 8, 30 + 10 * index: 9, 60 + 10 * index: 6})
        for index, q in enumerate(QUARTERS))
    total = _group("intake|all", "Total", {10: 30, 40: 30, 80: 20})
    total = ShownGroup(total.key, total.label, False, total.count, total.figures,
                       (ShownBreakdown("quarter", by_quarter, False),))
    people: ShownGroup[Summary] = ShownGroup("respondents|all", "Total", False, 80, None, ())
    return View(Filter(), 1, None, 11, people, (Series("intake", 14, total),))


def test_the_trend_is_by_quarter_with_each_quarters_interval() -> None:
    page = Presenter(_view(), WORDS, {"intake": "10 business days"}).page("intake")
    trend = page.trend
    assert trend is not None and trend.id == "quarter-intake" and trend.heading == "By quarter"
    assert page.more_heading == "By quarter"
    chart = trend.chart
    assert chart is not None
    texts = [text.text for text in chart.texts]
    assert texts.count("Q1") == 1 and texts.count("Q3") == 1 and "2025" in texts and "2026" in texts
    # A line over each shown quarter's 95% interval; the hidden one a grey mark, no dot.
    assert len([line for line in chart.lines if line.css in ("ci", "ci-open")]) == 3
    assert len(chart.circles) == 3
    assert len([rect for rect in chart.rects if rect.css == "hidden-mark"]) == 1
    assert "3 of 4 quarters have a published median" in trend.summary
    assert "Q2 2026" in trend.summary
    labels = [row[0].text for row in trend.table.rows]
    assert labels == ["Q3 2025", "Q1 2026", "Q2 2026"]
    assert all("95% CI" in row[2].text for row in trend.table.rows)
    assert trend.note.startswith("1 of 4 groups not shown")


def test_the_tidy_file_writes_a_quarter_as_text_with_its_year() -> None:
    found = tidy._dimensions("intake|region=3&quarter=2026-Q1")
    assert found == {"region_id": 3, "period": "2026 Q1", "year": 2026}
    assert tidy._dimensions("intake|all|none:quarter") == {"not_stated": "quarter"}
    assert tidy._dimensions("intake|month=2026-03")["period"] == "2026 M03"  # older releases
