"""Stories and figures made ready for templates: translated words, formatted dates and numbers.

Templates get plain values and loop over them; no rule lives in a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_skeleton
from flask import url_for
from flask_babel import format_date, format_number, format_percent, get_locale, gettext, ngettext

from testimonials.public import labels
from testimonials.public.listing import Filters
from testimonials.public.queries import PublicStory, PublicWait
from testimonials.public.web import listing_href
from testimonials.siteurl import absolute_url
from testimonials.stats import uncertainty
from testimonials.stats.summary import Summary
from testimonials.text import excerpt
from testimonials.vocab import CareType

Standards = Mapping[str, Mapping[str, int]]
EXCERPT_LENGTH = 280


def month(value: dt.date | None) -> str | None:
    """"May 2026", "mayo de 2026": the month and year, in the reader's language."""
    if value is None:
        return None
    return format_skeleton("yMMMM", value, locale=get_locale())


class Cards:
    """Turns stories into what templates show, remembering what repeats across a page.

    Twenty stories share a handful of dates, months, standards and labels; formatting each
    once per page, not once per story, halves the time a list takes.
    """

    def __init__(self, standards: Standards, stories_path: str) -> None:
        self.standards = standards
        self.stories_path = stories_path
        self.story_path = stories_path.rstrip("/") + "/"
        self.care = [(int(bit), label) for bit, label in labels.words(labels.CARE_TYPE).items()]
        self.kinds = labels.words(labels.WAIT_KIND)
        self.untitled = gettext("Untitled story")
        self.anonymous = gettext("Anonymous")
        self.over = gettext("longer than the legal standard")
        self.within = gettext("within the standard")
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _once(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def cards(self, stories: list[PublicStory]) -> list[dict[str, Any]]:
        return [self.card(story) for story in stories]

    def card(self, story: PublicStory) -> dict[str, Any]:
        """What a list shows of a story."""
        place = story.facility
        published_day = story.published_at.date()
        return {
            "id": story.id,
            "href": f"{self.story_path}{story.id}",
            "title": story.title or self.untitled,
            "excerpt": _excerpt(story.story),
            "name": story.display_name or self.anonymous,
            "facility": place.name if place else None,
            "facility_href": (listing_href(self.stories_path, Filters(facility=place.id))
                              if place else None),
            "month": self._once(("month", story.experience_month),
                                lambda: month(story.experience_month)),
            "published": self._once(("day", published_day),
                                    lambda: format_date(story.published_at)),
            "published_iso": published_day.isoformat(),
            "care": [label for bit, label in self.care if story.care_types & bit],
            "waits": [self._wait(wait, story.care_types) for wait in story.waits],
            # The words' own language when they tell it, else the form's: `lang` on the text.
            "language": (story.story_language or story.language).value,
            "titled": story.title is not None,  # else "Untitled story", in the reader's words
        }

    def _wait(self, wait: PublicWait, care_types: int) -> dict[str, Any]:
        crisis = bool(care_types & CareType.CRISIS)
        over = labels.over_standard(wait)
        return {
            "kind": self.kinds[wait.kind],
            "wait": self._once(("wait", wait.state, wait.days), lambda: labels.wait_text(wait)),
            "standard": self._once(("standard", wait.kind, crisis), lambda: labels.standard_text(
                wait.kind, care_types, self.standards)),
            "over": over,
            "badge": self.over if over else (self.within if over is False else None),
        }


def _excerpt(story: str) -> str:
    # The excerpt of a long story is the excerpt of its beginning (which is far cheaper than
    # normalising ten thousand characters); the ellipsis shows that it goes on.
    if len(story) > EXCERPT_LENGTH * 4:
        return excerpt(story[:EXCERPT_LENGTH * 4] + " …", EXCERPT_LENGTH)
    return excerpt(story, EXCERPT_LENGTH)


def card(story: PublicStory, standards: Standards, stories_path: str) -> dict[str, Any]:
    """What a list shows of one story."""
    return Cards(standards, stories_path).card(story)


def detail(story: PublicStory, standards: Standards, stories_path: str) -> dict[str, Any]:
    """What the story's own page shows: the card and all the rest."""
    shown = card(story, standards, stories_path)
    shown.update({
        "story": story.story,
        "named": story.display_name is not None,
        "outcomes": labels.members(story.outcomes, labels.OUTCOME),
        "city": story.facility.city if story.facility else None,
        "region": story.facility.region_name if story.facility else None,
        "stats_href": (url_for("public.stats", facility=story.facility.id)
                       if story.facility else url_for("public.stats")),
        "url": absolute_url("public.story", story_id=story.id),
        "published_at": story.published_at.isoformat(),
        "summary": excerpt(story.story, 200),
    })
    return shown


def figure(summary: Summary | None, min_cell: int, standard: str | None,
           withheld: str | None = None) -> dict[str, Any]:
    """One headline figure: the median wait with its 95% interval, and the share over the
    standard said of the people it rests on, with its interval; or why there is no figure:
    `withheld`, the release's sentence for a hidden group (which may hold many answers,
    hidden to protect another), else too few answers."""
    if withheld:
        return {"shown": False, "note": withheld}
    if summary is None:
        return {"shown": False,
                "note": gettext("Fewer than %(num)s answers so far: too few to show a figure.",
                                num=min_cell)}
    median = summary.median
    if median.days is not None:
        wait = labels.days(median.days)
    elif median.more_than is not None:
        wait = ngettext("more than %(num)s day", "more than %(num)s days", median.more_than)
    else:
        wait = None
    share = summary.share_over_standard
    count = format_number(summary.count)
    sentence = None
    if share is not None and standard is not None:
        values = {"count": count, "share": format_percent(share, "#,##0%"), "standard": standard}
        interval = uncertainty.share_over_standard(summary)
        if interval is not None and interval.high is not None:
            sentence = gettext(
                "Of the %(count)s people who told us, about %(share)s (%(low)s to %(high)s) "
                "waited longer than the legal standard of %(standard)s.",
                low=format_percent(interval.low, "#,##0%"),
                high=format_percent(interval.high, "#,##0%"), **values)
        else:
            sentence = gettext("Of the %(count)s people who told us, about %(share)s waited "
                               "longer than the legal standard of %(standard)s.", **values)
    return {
        "shown": True,
        "median": wait,
        "median_range": _median_range(summary) if wait is not None else None,
        "count": summary.count,
        "answers": ngettext("%(count)s answer", "%(count)s answers", summary.count, count=count),
        "sentence": sentence,
    }


def _median_range(summary: Summary) -> str | None:
    """"95% interval: 18 to 25 days" (or "... 18 days to more than 200"), None without one."""
    found = uncertainty.median(summary)
    if found is None:
        return None
    low = format_number(round(found.low))
    if found.high is not None and round(found.high) == round(found.low):
        # Many answers give the same wait ("3 weeks"): the interval is that one value.
        return gettext("95%% interval: %(low)s days, the wait many people gave", low=low)
    if found.high is not None:
        return gettext("95%% interval: %(low)s to %(high)s days", low=low,
                       high=format_number(round(found.high)))
    return gettext("95%% interval: %(low)s days to more than %(high)s", low=low,
                   high=format_number(found.more_than or 0))
