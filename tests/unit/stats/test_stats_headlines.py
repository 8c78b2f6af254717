"""The release page's headline sentences: figures in, sentences out (pure)."""

from __future__ import annotations

import re

from testimonials.stats.headlines import headlines
from testimonials.stats.page import Series
from testimonials.stats.presenter import Words
from testimonials.stats.report import ShownGroup
from testimonials.stats.summary import Summary, summarise
from testimonials.vocab import WaitState

WORDS = Words(
    translate=lambda text: text,
    ngettext=lambda one, many, n, **values: (one if n == 1 else many) % values,
    number=lambda n: f"{n:,}",
    percent=lambda share: f"{round(share * 100)}%",
    days=lambda n: f"{n} days",
    more_than=lambda n: f"more than {n} days",
    month=lambda month: month,
    short_month=lambda month: month,
    hidden="hidden",
    people_withheld="The number of people counted here is withheld.",
)
NAMES = {"intake": "10 business days", "first_return": "10 business days"}


def series(name: str, ended: dict[int, int], waiting: dict[int, int] | None = None,
           hidden: bool = False, standard: int | None = 14) -> Series:
    histogram = {(days, WaitState.ENDED): count for days, count in ended.items()}
    histogram |= {(days, WaitState.WAITING): count for days, count in (waiting or {}).items()}
    figures: Summary = summarise(histogram, standard or 0)
    group = ShownGroup(f"{name}|all", "All", hidden, None if hidden else figures.count,
                       None if hidden else figures, ())
    return Series(name, standard, group)  # type: ignore[arg-type]


def test_a_headline_states_the_share_over_the_standard_with_its_count() -> None:
    found = headlines([series("first_return", {7: 20, 30: 380}, {60: 53})], WORDS, NAMES)
    assert len(found) == 1
    headline = found[0]
    assert headline.count == 453 and headline.standard == "10 business days"
    assert headline.sentence.startswith(
        "Of the 453 people who told us about a first return visit, about 96%")
    assert headline.sentence.endswith("waited longer than the legal standard of 10 business days.")
    assert headline.share == 433 / 453
    assert headline.interval is not None and headline.interval.high is not None
    low, high = (round(v * 100) for v in (headline.interval.low, headline.interval.high))
    assert f"about 96% ({low}% to {high}%)" in headline.sentence
    assert low < 96 < high


def test_the_waits_most_people_told_about_lead_with_the_strongest_share() -> None:
    found = headlines([series("intake", {3: 300, 40: 100}),
                       series("first_return", {30: 200, 5: 10}),
                       series("between_returns", {2: 50, 20: 10}),
                       series("psychiatry", {1: 20})], WORDS, NAMES)
    assert [h.series for h in found] == ["first_return", "intake", "between_returns"]
    assert [h.count for h in found] == [210, 400, 60]


def test_a_hidden_wait_or_one_without_a_standard_gives_no_sentence() -> None:
    found = headlines([series("intake", {3: 30, 40: 10}, hidden=True),
                       series("psychiatry", {3: 30, 40: 10}, standard=None)], WORDS, NAMES)
    assert found == ()


def test_a_standard_the_law_does_not_name_is_given_in_days() -> None:
    found = headlines([series("between_returns", {3: 30, 40: 10}, standard=21)], WORDS, {})
    assert found[0].standard == "21 days"
    assert re.search(r"legal standard of 21 days\.$", found[0].sentence)
