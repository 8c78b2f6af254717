"""The methods note: what each figure counts and how, in plain words, for /stats and the CSV.

Pure: the English text lives here, marked with N_ so that `make messages` extracts it into
the catalogues; callers pass their `gettext` as `translate` to get it in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from testimonials.stats.suppression import DEFAULT_MIN_CELL


def N_(message: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark a string for translation without translating it here."""
    return message


def _same(message: str) -> str:
    return message


TITLE = N_("How these figures are made")

# (heading, paragraph); placeholders: %(min_cell)s, %(below)s (min_cell - 1) and %(hidden)s.
SECTIONS: tuple[tuple[str, str], ...] = (
    (N_("What these figures are, and what they are not."), N_(
        "These are waits that patients told us about: from asking for care to the appointment "
        "they actually attended, as they remember it. They are not the regulator's measure of "
        "whether a health plan complies with the timely-access standards, which counts, for "
        "the plan, from the request to the appointment the plan offered. The two can differ a "
        "great deal. A wait here also includes the time added when the appointment offered "
        "did not suit (the wrong time, too far away, a provider who did not treat the "
        "patient's kind of problem), or was cancelled and booked again, and it counts people "
        "who were never offered an appointment at all. A plan can meet the standard while "
        "the people who told us waited longer, and a plan can fail it in ways no patient "
        "sees. So these figures cannot say whether a plan complied with the law; they say how "
        "long the people who told us waited for care they could use.")),
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
    (N_("Weeks and months in days."), N_(
        "People can answer in days, weeks or months; every figure is in calendar days. A week "
        "is 7 days. A month is the average month of the Gregorian calendar, 30.436875 days "
        "(365.2425 divided by 12). The result is rounded to the nearest whole day, a half "
        "rounded up: 1 month is 30 days, 2 months 61, 3 months 91, 6 months 183, 12 months "
        "365, and a week and a half 11 days. So answers given in weeks or months gather on a "
        "few numbers of days, some of them exactly on a standard (see \"On the standard\").")),
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
    (N_("Gave up, or never offered an appointment."), N_(
        "Giving up and never being offered an appointment are two separate answers, each "
        "counted and shown as a share of all answers. Neither is quietly counted as a wait "
        "that ended, nor dropped. With getting an appointment, they are three ways a wait can "
        "end, competing with one another (\"competing outcomes\"), and for each of the two we "
        "estimate its cumulative incidence with the Aalen-Johansen method: the share of "
        "people who had given up, or who had stopped waiting without ever being offered an "
        "appointment, within the standard's number of days, allowing for the people still "
        "waiting. The percentiles answer another question, how long waits would last if "
        "nobody stopped waiting: for them, someone who gave up or was never offered an "
        "appointment after a known time counts as having waited at least that long, like a "
        "still-waiting answer. Answers without a number of days are left out of the "
        "percentiles, the shares and the bands, and counted on their own. People who give "
        "up have often faced the longest waits, so the percentiles probably understate how "
        "long waits really are.")),
    (N_("730 days or more."), N_(
        "A wait of two years or more is recorded as 730 days. Every figure treats an answer "
        "of exactly 730 days as \"at least 730 days\", still going on at that point, whatever "
        "the person said happened afterwards (a wait censored at 730 days, in the "
        "statisticians' word); none is counted as ending, or as giving up, on day 730.")),
    (N_("Uncertainty."), N_(
        "Each median, percentile, share over the standard and cumulative incidence is given "
        "with its 95%% confidence interval and the number of answers it rests on (those that "
        "give a number of days). For a share over the standard the interval is the "
        "exponential Greenwood interval (the usual Kaplan-Meier variance, worked on the "
        "log(-log) scale so that the interval stays between 0 and 1); for a percentile it is "
        "the range of days over which that interval crosses the percentile's level "
        "(Brookmeyer and Crowley's method); for a cumulative incidence it uses Collett's "
        "delta-method variance on the same scale. When the upper end lies beyond the longest "
        "wait anyone reported, we say \"more than N days\", N a band edge (or the estimate, "
        "where that edge would be below it). An interval "
        "reflects only the chance of who happened to answer; it does not allow for who chose "
        "to tell us, or for how people remember. An estimate resting on fewer than "
        "%(min_cell)s answers with days is not shown as a number: that is the smallest group "
        "we show at all, and below it one answer moves a percentile too far and could be "
        "someone's own. A share is also not shown when its interval is 0.30 wide or more, or "
        "more than 0.05 wide and wider than 130%% of the share itself, the rule of the US "
        "National Center for Health Statistics for proportions: such a number would say "
        "little more than its interval.")),
    (N_("All or none."), N_(
        "When every answer in a group is over the standard (or none is, or nobody gave up), "
        "that interval would shrink to the one value and read as certain. There we give "
        "instead the exact binomial interval (Clopper-Pearson) for all, or none, of the "
        "answers whose outcome at the standard is known: 124 answers all over the standard "
        "read 100%% (97%% to 100%%), not 100%% (100%% to 100%%).")),
    (N_("Over the standard."), N_(
        "Each wait is compared with its legal standard, in calendar days (business days are "
        "converted to calendar days, counting the longest a request made on any day of the "
        "week can take). The headline figure is the Kaplan-Meier estimate of the share of "
        "waits longer than the standard. Beside it we give the number of answers already "
        "known to be longer: waits that ended after more days than the standard, and people "
        "still waiting, who gave up or who were never offered an appointment, after more days "
        "than the standard. That number is a floor: some of the people still waiting will "
        "pass the standard later. When nobody "
        "was followed for as long as the standard and some waits had not ended, the share is "
        "not estimated.")),
    (N_("On the standard."), N_(
        "A wait of exactly the standard's number of days is within the standard, not over "
        "it. Because answers given in weeks and months gather on a few numbers of days, many "
        "can sit exactly on a standard (every \"2 weeks\" on a standard of 14 calendar days), "
        "and rounding them one day differently would move them all across the line. Each "
        "group's figures say how many answers sit exactly on its standard (fewer than "
        "%(min_cell)s is not shown as a number).")),
    (N_("Bands."), N_(
        "Each answer that gives a number of days falls in one band: up to 2 weeks (0 to 14 "
        "days), 2 to 4 weeks (15 to 28), 1 to 2 months (29 to 61), 2 to 3 months (62 to 91), "
        "3 to 6 months (92 to 183) and over 6 months (184 or more). Waits that ended are "
        "counted by their whole length, people still waiting by their wait so far, people "
        "who gave up by their wait before giving up, and people never offered an appointment "
        "by their wait until then, each in its own column. The bands count what people told "
        "us; they are not estimates.")),
    # Disclosure control (stats/protection.py, issue 14): the reader of SPEC section 5.
    (N_("How no one is picked out of the numbers."), N_(
        "We publish statistics only as numbered releases, never live, and a release waits "
        "until at least %(min_cell)s more people have been counted since the last one. We "
        "publish counts by region, facility, care type and quarter, and care type and quarter "
        "by region, but nothing by facility and care type or by facility and time: those "
        "groups are too small to protect. Before a release is published we check it against "
        "a reader who holds every figure of every filter of this release and of all earlier "
        "ones (a quarter is the sum of its months, so the months of older releases count "
        "too), the answers of every published story, and every relation between groups (a "
        "breakdown adds up to its total, a part is never larger than its whole, a count never "
        "falls from one release to the next except where people withdrew their answers in "
        "between, a hidden number is at least 1). A group of 1 to "
        "%(below)s people is hidden; so is a group that changed by 1 to %(below)s people "
        "since the last release that showed it (comparing the two would single those people "
        "out). What a reader must not learn is what people told us, not only how many they "
        "are: where a group holds 1 to %(below)s people whose stories are not published "
        "(they chose statistics only), subtracting the published stories from the group's "
        "figures would give their answers. So that group keeps its count but shows no "
        "figures (no estimates, bands or counts by how the wait stood), nor, for a place or "
        "care type, its outcome counts; and enough neighbouring groups lose their figures "
        "too that no sum gives them back. The count itself tells a reader how many such "
        "people there are, and where, but not how long they waited or what happened to them. "
        "Then linear programs over all releases at once (protection intervals, as statistics "
        "offices compute them with tau-Argus) find how far each hidden number can move; where "
        "it cannot move over at least %(min_cell)s values, and its range does not already run "
        "from its published stories alone to all the few people it could hold, another group "
        "is hidden with it: a facility or a small breakdown first, a region only if nothing "
        "smaller will do, and the total last. But a group whose number the shown ones "
        "already give exactly (a total whose parts are all shown) is not hidden: hiding it "
        "would protect no one. Inside a group we show, small numbers follow the same rule "
        "(see \"Small numbers inside a group\"). "
        "Where the site's operator has switched this check off, only small groups are "
        "hidden, with the groups needed so that no hidden number can be worked out exactly "
        "from the sums.")),
    (N_("From one release to the next."), N_(
        "A number hidden in the last release stays hidden until it has moved by at least "
        "%(min_cell)s since it was last shown (or since it was first hidden), just as a "
        "shown number that moved by fewer is hidden: a number that comes and goes invites "
        "comparison. Between reviews of which numbers are hidden (every few releases), "
        "every number hidden in the last release stays hidden, whatever it did, when people "
        "only joined since: then this release adds nothing to what a reader could work out "
        "about the earlier ones, and only its own hidden numbers are checked. At a review, or "
        "after someone left the statistics, numbers that moved enough are shown again and "
        "every release is checked again.")),
    # Held figures (stats/releases.carry): what an earlier release showed of a hidden group.
    (N_("Figures from an earlier release."), N_(
        "A group hidden in this release that an earlier release showed is listed apart, with "
        "the figures of the latest release that showed it, marked \"as of release N\" with "
        "that release's date and a link to it. Those figures were published there and never "
        "change, so showing them again tells no one anything new; they are not this "
        "release's figures. The CSV gives them in columns of their own (held_from_release, "
        "held_date, held_value) and the JSON and the API under \"held\", never as the "
        "group's count. They are not held once anyone they count has left the statistics "
        "since (withdrawn, consent unticked, or a story sent back to review): from then "
        "on a new release holds nothing from the releases cut before. Nor are a wait's "
        "figures held once its legal standard has changed: their share over the standard "
        "was of the standard then.")),
    # stats/upgrade.py: a site whose earlier releases were cut without the audit.
    (N_("Releases published before this check."), N_(
        "Releases published before this check (or while the site's operator had it "
        "switched off) hid only small groups and the groups needed so that none could be "
        "worked out exactly from the sums, and a reader can narrow some of their hidden "
        "numbers from their own figures. No release after them can undo that: the first one "
        "checked counts those numbers, leaves them as they are, and protects its own and "
        "every other earlier hidden number as above.")),
    (N_("Small groups."), N_(
        "To protect privacy, a group with fewer than %(min_cell)s answers shows no figures, "
        "and neither does one whose count changed by 1 to %(below)s since the last release "
        "that showed it. Some larger groups are hidden too, so that no hidden number can be "
        "worked out by subtracting shown numbers from a shown total, on this page or by "
        "comparing it with any other view of these statistics: the same groups are hidden on "
        "every page, in the CSV, the JSON and the API. Every hidden group is marked the same way, "
        "\"%(hidden)s\". Counts of zero are shown. Stories with no facility or no month are "
        "shown as their own group, so that each breakdown adds up to its total. Care types "
        "and outcomes can overlap (one story can mention several, or none), so their counts "
        "do not add up to the total.")),
    # Audit finding 5 (stats/inner.py): one paragraph on band cells and extremes.
    (N_("Small numbers inside a group."), N_(
        "Inside a group we show, no number stands for fewer than %(min_cell)s people or for "
        "one person's own answer. A band count (a band's total, or its waits that ended, "
        "people still waiting, who gave up or who were never offered an appointment) of 1 "
        "to %(below)s answers is not shown, and neither are as many other band counts as it "
        "takes that none of them can be worked out from the totals we publish: the counts "
        "not shown in any one sum are two or more and add up to %(min_cell)s or more. They "
        "are marked \"%(hidden)s\" on the page, left empty with the code few_answers in "
        "the CSV and null in the JSON, and the chart of the bands is not drawn when a band's "
        "total is not shown. When fewer than %(min_cell)s answers give a number of days, no "
        "band is shown. A percentile is always someone's number of days, so the 75th and "
        "90th percentiles are not shown when fewer than %(min_cell)s answers lie at or above "
        "them, nor the 25th when fewer than %(min_cell)s lie at or below it (the code "
        "extreme); the end of an interval among so few answers is moved out to the band "
        "edge below it (\"more than N days\" for an upper end), which makes the interval "
        "wider, never narrower. Where that edge would lie below the estimate itself (or "
        "below the interval's lower end), the upper end reads \"more than\" that number "
        "instead: still true, and no interval reads backwards, as \"122 days (95%% CI 122 "
        "to more than 91)\" would. \"More than N days\" always names a band edge or a "
        "number shown beside it, never the longest wait anyone reported. The count of "
        "answers known to be longer than the "
        "standard is not shown when it, or the rest of the answers with a number of days, is "
        "1 to %(below)s, and neither is the share over the standard, which would give it "
        "away. Releases cut before this rule (format 3 and earlier) "
        "are kept as they were published, band counts as counted.")),
    # Release format 5 (stats/inner.py, stats/group_table.py): the counts by how the wait stood.
    (N_("How the waits stood."), N_(
        "The numbers of waits that ended, of people still waiting, of people who gave up and "
        "of people never offered an appointment add up to the group's count, and follow the "
        "rule of band counts: one of 1 to %(below)s is not shown, and neither are as many "
        "others as it takes that those not shown are two or more and add up to %(min_cell)s "
        "or more. With a number not shown go its share of all answers, its answers without "
        "a number of days and its band counts, which would give it back, and for giving up "
        "or never being offered an appointment its cumulative incidence within the "
        "standard, with its interval: when nobody was still waiting before the standard, "
        "that is the number by then divided by the answers with a number of days. It is "
        "marked \"%(hidden)s\" on the page, left empty with the code few_answers in the CSV "
        "and null in the JSON. One number is shown even when it is 1 to %(below)s: the "
        "number of "
        "answers an estimate rests on, which every estimate carries so that a reader can "
        "judge it (and which says why an estimate on fewer than %(min_cell)s is not shown). "
        "The group's count less that number is the number of answers without a number of "
        "days, so it is known too; where only people who gave up, or only people never "
        "offered an appointment, answered without a number of days, it is their number. "
        "Releases cut before this rule (format 4 and earlier) are kept as they were "
        "published.")),
    # Issue 14, second review (stats/across.py, stats/group_table.py, stats/inner.py).
    (N_("Across groups, and the estimates."), N_(
        "A region's or a facility's figure cannot be had by subtracting the others from the "
        "site's: small counts are withheld across groups too. A group's counts add up to "
        "its parent's (the regions' to the whole site's, the facilities' to their region's, "
        "the quarters' to the whole), so where a count of 1 to %(below)s is not shown in one "
        "group, as many counts of the same kind are not shown in related groups as it takes "
        "that it cannot be worked out by subtracting the others from the total. The band "
        "counts (each band's total and its counts by how the wait stood), the answers "
        "without a number of days of people who gave up and of people never offered an "
        "appointment, and the numbers over and exactly on the standard follow the same rule, "
        "inside each group and across groups. An estimate that would give a count not shown "
        "back is not shown either: the share over the standard when a band count up to the "
        "standard is not shown (with the number over the standard it would give the answers "
        "at risk, and so who stopped waiting early), and a cumulative incidence within the "
        "standard when any count of those bands is not shown. Where a group's shown numbers "
        "would still give a small one back, the group shows its count and no figures. The "
        "answers without a number of days, together, are the group's count less the answers "
        "the estimates rest on, and are known wherever a group's figures are shown, however "
        "few; no number that is not shown can be worked out from them. Releases cut before "
        "this rule are kept as they were published.")),
)

# Both reasons a group is hidden ("How no one is picked out of the numbers"): a small count,
# or a small change since the last release that showed it (comparing the two would single
# those people out); either here or in a group hidden with this one. Releases cut before
# these words came keep the ones they stored, which named only the first (`stats.wording`).
# Placeholders: %(min_cell)s and %(below)s (min_cell - 1).
HIDDEN = N_("hidden (fewer than %(min_cell)s answers, or a change of 1 to %(below)s since the "
            "last release that showed it, here or in a related group)")
# What a page says where a count of people is hidden, instead of a number in a sentence made
# for one ("...: hidden (...) stories."): a sentence of its own.
PEOPLE_WITHHELD = N_("The number of people counted here is withheld to protect them: fewer "
                     "than %(min_cell)s people answered, or 1 to %(below)s joined or left "
                     "since the last release that showed the number, here or in a related "
                     "group, and they could be identified.")
# The count of answers on the standard in one release, appended to "On the standard.".
ON_STANDARD_AFTER = N_("On the standard.")
ON_STANDARD = N_("In this release, for everyone: %(counts)s.")
ON_STANDARD_ITEM = N_("%(series)s, %(count)s")
ON_STANDARD_FEW = N_("fewer than %(min_cell)s")


def suppressed_text(min_cell: int = DEFAULT_MIN_CELL,
                    translate: Callable[[str], str] = _same) -> str:
    """The one marker for every hidden group, whichever the reason, for small, changed and
    protecting groups alike."""
    return translate(HIDDEN) % limits(min_cell)


def people_withheld(min_cell: int = DEFAULT_MIN_CELL,
                    translate: Callable[[str], str] = _same) -> str:
    """The sentence for a hidden count of people (the site's, a place's or a wait's)."""
    return translate(PEOPLE_WITHHELD) % limits(min_cell)


def limits(min_cell: int) -> dict[str, int]:
    """The values of the placeholders %(min_cell)s and %(below)s (a few: 1 to `below`)."""
    return {"min_cell": min_cell, "below": min_cell - 1}


OnStandard = Sequence[tuple[str, int | None]]  # (series label in English, count or None)


def methods_sections(min_cell: int = DEFAULT_MIN_CELL,
                     translate: Callable[[str], str] = _same,
                     on_standard: OnStandard = ()) -> list[tuple[str, str]]:
    """The note as (heading, paragraph) pairs, translated by `translate`.

    `on_standard`: how many answers of everyone in the release sit exactly on each series'
    standard (None when fewer than `min_cell`), said at the end of "On the standard.".
    """
    values = {**limits(min_cell), "hidden": suppressed_text(min_cell, translate)}
    sections = []
    for heading, text in SECTIONS:
        paragraph = translate(text) % values
        if heading == ON_STANDARD_AFTER and on_standard:
            paragraph += " " + _on_standard(on_standard, min_cell, translate)
        sections.append((translate(heading), paragraph))
    return sections


def _on_standard(counts: OnStandard, min_cell: int, translate: Callable[[str], str]) -> str:
    few = translate(ON_STANDARD_FEW) % {"min_cell": min_cell}
    items = "; ".join(translate(ON_STANDARD_ITEM) % {
        "series": translate(label), "count": few if count is None else count}
        for label, count in counts)
    return translate(ON_STANDARD) % {"counts": items}


def methods_note(min_cell: int = DEFAULT_MIN_CELL,
                 translate: Callable[[str], str] = _same, on_standard: OnStandard = ()) -> str:
    """The methods note as plain text, for the given minimum cell size."""
    sections = methods_sections(min_cell, translate, on_standard)
    body = "\n\n".join(f"{heading} {text}" for heading, text in sections)
    return f"{translate(TITLE)}\n\n{body}\n"


METHODS_NOTE = methods_note()
