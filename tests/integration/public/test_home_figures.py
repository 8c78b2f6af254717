"""The home page's figures are the latest release's, each with its interval and its count."""

from __future__ import annotations

import html
import re
from typing import Any

from flask.testing import FlaskClient

from tests.integration.test_stats_pages import data, json_of  # noqa: F401 - the fixture

SENTENCE = re.compile(
    r"Of the (?P<count>[\d,]+) people who told us, about (?P<share>\d+)% \((?P<low>\d+)% to "
    r"(?P<high>\d+)%\) waited longer than the legal standard of 10 business days\.")
MEDIAN = re.compile(r"95% interval: (?P<low>\d+)(?: to (?P<high>\d+))? days")


def box(page: str, label: str) -> str:
    """The text of the figure box whose label is `label`."""
    found = re.search(r'<li class="figure-box">((?:(?!</li>).)*?' + re.escape(label) + r".*?)</li>",
                      page, re.S)
    assert found, f"no figure box for {label}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_each_home_figure_says_how_many_it_rests_on_and_its_interval(
        client: FlaskClient, data: Any) -> None:  # noqa: F811
    page = client.get("/").get_data(as_text=True)
    waits = {w["series"]: w for w in json_of(client, "/stats.json")["waits"]}
    for series, label in (("intake", "Median wait for a first appointment"),
                          ("first_return", "Median wait for a first return visit")):
        text = " ".join(box(page, label).split())
        group = waits[series]["group"]
        figures, intervals = group["figures"], group["figures"]["intervals"]
        sentence = SENTENCE.search(text)
        assert sentence, text
        share = intervals["share_over_standard"]
        assert int(sentence["count"]) == group["count"]
        assert int(sentence["share"]) == round(figures["share_over_standard"] * 100)
        assert (int(sentence["low"]), int(sentence["high"])) == (round(share["low"] * 100),
                                                                 round(share["high"] * 100))
        median = MEDIAN.search(text)
        assert median, text
        high = median["high"] or median["low"]  # one value when both ends are the same
        assert (int(median["low"]), int(high)) == (round(intervals["median"]["low"]),
                                                   round(intervals["median"]["high"]))


def test_home_figures_in_spanish_keep_their_intervals(client: FlaskClient,
                                                      data: Any) -> None:  # noqa: F811
    page = html.unescape(client.get("/?lang=es").get_data(as_text=True))
    assert "De las " in page and "intervalo del 95 %" in page
