"""The release page's headline sentences, made from a view's figures (pure: figures in, words out).

Each sentence states one wait's strongest fact, the estimated share of waits longer than the
legal standard, with the number of answers it rests on and, when the release carries it, its
95% interval: "Of the 453 people who told us about a first return visit, about 95% (93% to
97%) waited longer than the legal standard of 10 business days." The waits with the most
answers are chosen, the highest share first; a wait whose group is hidden, or whose share
cannot be estimated, gives no sentence. The numbers are the release's own (`Headline` keeps
them for tests and share cards).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from testimonials.stats import uncertainty
from testimonials.stats.methods import N_
from testimonials.stats.page import Series

if TYPE_CHECKING:
    from testimonials.stats.presenter import Words

MOST = 3

# How a sentence names each wait ("people who told us about ...").
WAIT_NOUNS: dict[str, str] = {
    "intake": N_("a first appointment"),
    "urgent_intake": N_("an urgent first appointment"),
    "first_return": N_("a first return visit"),
    "between_returns": N_("the gap between return visits"),
    "psychiatry": N_("a first psychiatry appointment"),
}
WITH_INTERVAL = N_("Of the %(count)s people who told us about %(wait)s, about %(share)s "
                   "(%(low)s to %(high)s) waited longer than the legal standard of "
                   "%(standard)s.")
WITHOUT_INTERVAL = N_("Of the %(count)s people who told us about %(wait)s, about %(share)s "
                      "waited longer than the legal standard of %(standard)s.")


@dataclass(frozen=True)
class Headline:
    series: str
    count: int  # answers in the group
    share: float  # estimated share of waits longer than the standard
    interval: uncertainty.Range | None
    standard: str  # the standard's one name, "10 business days"
    sentence: str


def standard_name(series: Series, names: Mapping[str, str], words: Words) -> str:
    """The standard as the law words it when known ("10 business days"), else in days."""
    if series.series in names:
        return names[series.series]
    return words.days(series.standard_days or 0)


def headlines(series: Sequence[Series], words: Words, names: Mapping[str, str],
              most: int = MOST) -> tuple[Headline, ...]:
    """Up to `most` sentences, one per wait with an estimable share, most answers first."""
    found = []
    for one in series:
        figures = one.group.figures
        if (figures is None or one.standard_days is None
                or figures.share_over_standard is None or one.series not in WAIT_NOUNS):
            continue
        found.append((figures.count, one, figures.share_over_standard))
    # The waits most people told us about; among them, the strongest finding first.
    found = sorted(sorted(found, key=lambda item: -item[0])[:most], key=lambda item: -item[2])
    made = []
    for count, one, share in found:
        interval = uncertainty.share_over_standard(one.group.figures)
        standard = standard_name(one, names, words)
        values = {"count": words.number(count), "wait": words.translate(WAIT_NOUNS[one.series]),
                  "share": words.percent(share), "standard": standard}
        if interval is not None:
            values |= {"low": words.percent(interval.low),
                       "high": words.percent(interval.high or 0)}
            sentence = words.translate(WITH_INTERVAL) % values
        else:
            sentence = words.translate(WITHOUT_INTERVAL) % values
        made.append(Headline(one.series, count, share, interval, standard, sentence))
    return tuple(made)
