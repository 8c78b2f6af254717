"""The methods note: what each figure counts and how, in plain words, for /stats and the CSV.

Pure: the English text lives here, marked with N_ so that `make messages` extracts it into
the catalogues; callers pass their `gettext` as `translate` to get it in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable

from testimonials.stats.suppression import DEFAULT_MIN_CELL


def N_(message: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark a string for translation without translating it here."""
    return message


def _same(message: str) -> str:
    return message


TITLE = N_("How these figures are made")

# (heading, paragraph); placeholders: %(min_cell)s and %(hidden)s.
_SECTIONS: tuple[tuple[str, str], ...] = (
    (N_("Who is counted."), N_(
        "Approved stories whose authors agreed to their answers being used in statistics. "
        "These are the experiences of people who chose to tell them, not a random sample of "
        "all patients. Each kind of wait (intake, first return, between returns, psychiatry) "
        "is counted on its own, so one story can count under several. A withdrawn story "
        "leaves the figures at the next release.")),
    (N_("Releases."), N_(
        "The figures are published as numbered, dated releases, each with its own address, "
        "and a release never changes. Between releases no story, decision or withdrawal "
        "moves any figure, and a release is published only when at least %(min_cell)s more "
        "people have been counted since the one before, so that comparing two releases does "
        "not show one person's answers.")),
    (N_("Urgent care."), N_(
        "The first appointment of a story about crisis or urgent care is measured against "
        "the urgent standard, not the ordinary one, and is shown on its own line, \"urgent "
        "first appointment\". The \"first appointment\" line counts the other stories.")),
    (N_("Still waiting."), N_(
        "Someone who is still waiting has waited at least as long as they told us, so their "
        "answer is kept, not dropped. The median and the 25th, 75th and 90th percentiles are "
        "Kaplan-Meier estimates, the standard method when some waits have not ended yet: a "
        "still-waiting answer counts as \"waited at least this long\". The median is the "
        "smallest number of days by which an estimated half of all waits had ended; the "
        "25th, 75th and 90th percentiles are the same for a quarter, three quarters and nine "
        "in ten of all waits. When too many people are still waiting for the estimate to get "
        "that far, we show \"more than N days\", where N is the band edge (14, 28, 61, 91 or "
        "183 days) at or below the longest wait anyone reported, so that it is no one's own "
        "answer. Percentiles and the share over the standard are not shown when fewer than "
        "%(min_cell)s answers give a number of days.")),
    (N_("Gave up."), N_(
        "People who gave up, or were never offered an appointment, are counted and shown as "
        "a share of all answers. If they said how long they had waited, that time counts "
        "like a still-waiting answer: they waited at least that long. If they did not, they "
        "are left out of the percentiles, the share over the standard and the bands. People "
        "who give up have often faced the longest waits, so the estimates probably "
        "understate how long waits really are.")),
    (N_("Over the standard."), N_(
        "Each wait is compared with its legal standard, in calendar days (business days are "
        "converted to calendar days, counting the longest a request made on any day of the "
        "week can take). The headline figure is the Kaplan-Meier estimate of the share of "
        "waits longer than the standard. Beside it we give the number of answers already "
        "known to be longer: waits that ended after more days than the standard, and people "
        "still waiting, or who gave up, after more days than the standard. That number is a "
        "floor: some of the people still waiting will pass the standard later. When nobody "
        "was followed for as long as the standard and some waits had not ended, the share is "
        "not estimated.")),
    (N_("Bands."), N_(
        "Each answer that gives a number of days falls in one band: up to 2 weeks (0 to 14 "
        "days), 2 to 4 weeks (15 to 28), 1 to 2 months (29 to 61), 2 to 3 months (62 to 91), "
        "3 to 6 months (92 to 183) and over 6 months (184 or more). Waits that ended are "
        "counted by their whole length, people still waiting by their wait so far, and "
        "people who gave up by their wait before giving up, each in its own column. The "
        "bands count what people told us; they are not estimates.")),
    (N_("Small groups."), N_(
        "To protect privacy, a group with fewer than %(min_cell)s answers shows no figures. "
        "Some larger groups are hidden too, so that no hidden number can be worked out by "
        "subtracting shown numbers from a shown total, on this page or by comparing it with "
        "any other view of these statistics: the same groups are hidden on every page, in "
        "the CSV, the JSON and the API. Every hidden group is marked the same way, "
        "\"%(hidden)s\". Counts of zero are shown. Stories with no facility or no month are "
        "shown as their own group, so that each breakdown adds up to its total. Care types "
        "and outcomes can overlap (one story can mention several, or none), so their counts "
        "do not add up to the total.")),
)


def suppressed_text(min_cell: int = DEFAULT_MIN_CELL,
                    translate: Callable[[str], str] = _same) -> str:
    """The one marker for every hidden group; the same for small and for protecting groups."""
    return translate(N_("hidden (fewer than %(min_cell)s answers here or in a related group)")) % {
        "min_cell": min_cell}


def methods_sections(min_cell: int = DEFAULT_MIN_CELL,
                     translate: Callable[[str], str] = _same) -> list[tuple[str, str]]:
    """The note as (heading, paragraph) pairs, translated by `translate`."""
    values = {"min_cell": min_cell, "hidden": suppressed_text(min_cell, translate)}
    return [(translate(heading), translate(text) % values) for heading, text in _SECTIONS]


def methods_note(min_cell: int = DEFAULT_MIN_CELL,
                 translate: Callable[[str], str] = _same) -> str:
    """The methods note as plain text, for the given minimum cell size."""
    sections = methods_sections(min_cell, translate)
    body = "\n\n".join(f"{heading} {text}" for heading, text in sections)
    return f"{translate(TITLE)}\n\n{body}\n"


METHODS_NOTE = methods_note()
