"""Synthetic patient stories for the demo data set: varied, consistent, reproducible, fast.

`story_for` writes a title and a story, in English or Spanish, that agree with the rest of a
demo submission: who is telling it (the patient in the first person, a parent or relative
about "my daughter", "mi esposo"), the kinds of care, every reported wait in natural words
("almost three months", "casi tres meses", "still waiting"), and what happened as a result.

Pure and reproducible: all randomness comes from the `random.Random` passed in, so the same
seed and arguments give the same text. Fast: the loader writes up to a million stories, so
the phrase tables (`fragments_en`, `fragments_es`) are resolved once at import for every
narrator ("voice") and every duration from 0 to 730 days, and a call is only `rng.choice`,
dictionary look-ups and string concatenation (about 7 µs a call on the 2-core dev machine).

Safety of the demo data: crisis language appears only with `crisis=True`, and names, phone
numbers (555-01xx) and e-mail addresses (example.org) only with `personal_data=True`, so the
demo queue exercises the crisis and personal-data flags exactly where the loader asks.

About `facilities.csv` beside this module (a CSV has no room for comments): the names and
cities are Kaiser Permanente medical centres and medical offices, from general knowledge
and, for several Southern California ones, a public list of their addresses; whether each
calls its department "Psychiatry", "Mental Health" or "Behavioral Health" was not checked
site by site. The coordinates of
Baldwin Park come from a published geocode of its address; those of Oakland, Richmond,
Fremont, Walnut Creek, the two San Francisco sites, Santa Clara, the three Sacramento sites,
Los Angeles (Sunset and College Street), Panorama City, Woodland Hills, South Bay, West Los
Angeles, Fontana, Anaheim, Irvine, the three San Diego sites (Clairemont Mesa, Zion,
Vandever), Otay Mesa and Bakersfield Stockdale are estimates of the site (within about a
kilometre); every other row carries its city's centre, which can be several kilometres off.
"""

from __future__ import annotations

import random
import re
import unicodedata
from types import ModuleType

from testimonials import vocab
from testimonials.demo import fragments_en, fragments_es

__all__ = ["LANGUAGES", "MAX_DAYS", "story_for"]

LANGUAGES = ("en", "es")
MAX_DAYS = 730  # the form's upper bound; longer waits read as "more than two years"

# Plain str and int copies of the vocabulary: enum operations would cost more per call
# than the rest of a story.
_KINDS = tuple(k.value for k in vocab.WaitKind)  # form order, which is also story order
_RETURN_KINDS = frozenset({vocab.WaitKind.FIRST_RETURN.value,
                           vocab.WaitKind.BETWEEN_RETURNS.value})
_C, _O = vocab.CareType, vocab.Outcome
_GROUP, _PSYCHIATRY, _URGENT, _CHILD = (int(_C.GROUP), int(_C.PSYCHIATRY), int(_C.CRISIS),
                                        int(_C.CHILD))
# The first kind of care present leads the story: the most specific first.
_CARE_LEAD = tuple(int(c) for c in (_C.CHILD, _C.PSYCHIATRY, _C.GROUP, _C.CRISIS,
                                    _C.INDIVIDUAL, _C.INTAKE_ONLY))
# Outcomes in narrative order: worse, emergency room, referred out, paid, stopped.
_OUTCOME_ORDER = tuple(int(o) for o in (_O.GOT_WORSE, _O.EMERGENCY_ROOM, _O.REFERRED_OUT,
                                        _O.PAID_OUT_OF_POCKET, _O.STOPPED_TREATMENT))
_ALL_OUTCOMES = sum(_OUTCOME_ORDER)
# For every outcome bit set (0..31), the bits present in narrative order, computed once.
_OUTCOME_BITS = tuple(tuple(b for b in _OUTCOME_ORDER if n & b)
                      for n in range(_ALL_OUTCOMES + 1))

_ALTERNATIVE = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")
_SYNTAX = re.compile(r"[\[\]{}|]")

Split = tuple[str, str]  # the text before and after the one marker a template holds


class _Voice:
    """Every table of one language, resolved for one narrator; read-only after import."""

    __slots__ = (
        "care", "child", "closings", "crisis", "feelings", "group", "group_child", "middles",
        "openings", "openings_city", "outcomes", "personal", "psych", "return_middles",
        "titles", "titles_city", "titles_outcome", "titles_wait", "urgent", "waits",
        "waits_nodur",
    )
    openings: tuple[str, ...]
    openings_city: tuple[Split, ...]
    care: dict[int, tuple[str, ...]]
    waits: dict[tuple[str, str], tuple[Split, ...]]
    waits_nodur: dict[tuple[str, str], tuple[str, ...]]
    return_middles: tuple[str, ...]
    middles: tuple[str, ...]
    group: tuple[str, ...]
    group_child: tuple[str, ...]
    psych: tuple[str, ...]
    child: tuple[str, ...]
    urgent: tuple[str, ...]
    outcomes: dict[int, tuple[str, ...]]
    feelings: tuple[str, ...]
    closings: tuple[str, ...]
    crisis: tuple[str, ...]
    personal: dict[str, tuple[Split, ...]]
    titles_wait: dict[tuple[str, str], tuple[tuple[str, str, bool], ...]]
    titles_outcome: dict[int, tuple[str, ...]]
    titles_city: tuple[Split, ...]
    titles: tuple[str, ...]


def _render(template: str, words: dict[str, str], first: bool, markers: tuple[str, ...]) -> str:
    """Resolve the [first|third] choices and the person words, leaving only `markers`."""
    text = _ALTERNATIVE.sub(lambda m: m.group(1) if first else m.group(2), template)
    for key, value in words.items():
        text = text.replace("{" + key + "}", value)
    rest = text
    for marker in markers:
        rest = rest.replace(marker, "")
    if _SYNTAX.search(rest):
        # A typo in a table must fail at import (and in the tests), never reach a story.
        raise ValueError(f"unresolved template syntax in {template!r}")
    return text


def _split(text: str, marker: str) -> Split:
    before, found, after = text.partition(marker)
    if not found or marker in after:
        raise ValueError(f"expected exactly one {marker} in {text!r}")
    return before, after


def _voice(mod: ModuleType, words: dict[str, str], first: bool) -> _Voice:
    def plain(templates: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_render(t, words, first, ()) for t in templates)

    def split(templates: tuple[str, ...], marker: str) -> tuple[Split, ...]:
        return tuple(_split(_render(t, words, first, (marker,)), marker) for t in templates)

    def title(template: str) -> tuple[str, str, bool]:
        text = _render(template, words, first, ("{dur}", "{Dur}"))
        capital = "{Dur}" in text
        return (*_split(text, "{Dur}" if capital else "{dur}"), capital)

    def introduced(templates: tuple[str, ...]) -> tuple[str, ...]:
        # A parent's or relative's story must name the person before any "he" or "she": an
        # opening that does not gets each of the introductions in front of it.
        if first:
            return templates
        full = words["full"].lower()
        out: list[str] = []
        for template in templates:
            if full in _render(template, words, first, ("{city}",)).lower():
                out.append(template)
            else:
                # ...but not "This is about my son. This is about the clinic in Oakland".
                out.extend(f"{intro} {template}" for intro in mod.INTRODUCTIONS
                           if intro.split()[:2] != template.split()[:2])
        return tuple(out)

    v = _Voice()
    v.openings = plain(introduced(mod.OPENINGS))
    v.openings_city = split(introduced(mod.OPENINGS_CITY), "{city}")
    v.care = {bit: plain(ts) for bit, ts in mod.CARE.items()}
    v.waits = {key: split(ts, "{dur}") for key, ts in mod.WAITS.items()}
    v.waits_nodur = {key: plain(ts) for key, ts in mod.WAITS_NODUR.items()}
    v.return_middles, v.middles = plain(mod.RETURN_MIDDLES), plain(mod.MIDDLES)
    v.group, v.group_child = plain(mod.GROUP_MIDDLES), plain(mod.GROUP_CHILD_MIDDLES)
    v.psych, v.child, v.urgent = (plain(mod.PSYCH_MIDDLES), plain(mod.CHILD_MIDDLES),
                                  plain(mod.URGENT_MIDDLES))
    v.outcomes = {bit: plain(ts) for bit, ts in mod.OUTCOMES.items()}
    v.feelings, v.closings, v.crisis = plain(mod.FEELINGS), plain(mod.CLOSINGS), plain(mod.CRISIS)
    v.personal = {m: split(ts, "{" + m + "}") for m, ts in mod.PERSONAL.items()}
    v.titles_wait = {key: tuple(title(t) for t in ts) for key, ts in mod.TITLES_WAIT.items()}
    v.titles_outcome = {bit: plain(ts) for bit, ts in mod.TITLES_OUTCOME.items()}
    v.titles_city, v.titles = split(mod.TITLES_CITY, "{city}"), plain(mod.TITLES)
    return v


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Fictional contact details: the reserved 555-0100..0199 numbers on California area codes,
# and example.org addresses (RFC 2606), so no demo item can reach a real person.
_AREA_CODES = ("209", "213", "310", "323", "408", "415", "510", "559", "562", "619", "626",
               "650", "661", "707", "714", "760", "805", "818", "858", "909", "916", "949",
               "951")
_PHONES = tuple(f"{a}-555-{n:04d}" for a in _AREA_CODES for n in range(100, 200)) + tuple(
    f"({a}) 555-{n:04d}" for a in _AREA_CODES[::3] for n in range(100, 200, 7))


class _Language:
    """One language: its voices by reporter, durations by day, personal-data values."""

    __slots__ = ("durations", "values", "voices")

    def __init__(self, mod: ModuleType) -> None:
        self.voices: dict[str, tuple[_Voice, ...]] = {
            key: tuple(_voice(mod, words, key == "patient") for words in subjects)
            for key, subjects in mod.SUBJECTS.items()
        }
        # Each entry pairs the lower-case phrase (inside a sentence) with its capitalised
        # form (at the start of a title), so both quote the same duration.
        self.durations: tuple[tuple[tuple[str, str], ...], ...] = tuple(
            tuple((s, s[0].upper() + s[1:]) for s in mod.durations(d))
            for d in range(MAX_DAYS + 2)
        )
        people = tuple(_ascii(p).lower().replace("'", "").split() for p in mod.PEOPLE)
        emails = tuple(f"{p[0]}.{p[-1]}@example.org" for p in people) + tuple(
            f"{p[0][0]}{p[-1]}@example.org" for p in people)
        self.values: dict[str, tuple[str, ...]] = {
            "name": mod.THERAPISTS, "pname": mod.PEOPLE, "phone": _PHONES, "email": emails,
        }


_LANGUAGE = {"en": _Language(fragments_en), "es": _Language(fragments_es)}
_PERSONAL_KINDS = ("name", "phone", "email", "pname")
_REPORTERS = frozenset({"patient", "parent", "family"})  # vocab.Reporter values


def story_for(
    rng: random.Random,
    *,
    language: str,
    facility_city: str | None,
    reporter: str,
    care_types: int,
    waits: dict[str, tuple[str, int | None]],
    outcomes: int,
    crisis: bool = False,
    personal_data: bool = False,
) -> tuple[str, str]:
    """A (title, story) pair for one demo submission, consistent with its answers.

    `language` is "en" or "es"; `reporter` a `vocab.Reporter` value; `care_types` and
    `outcomes` the integer bit sets of `vocab.CareType` and `vocab.Outcome`; `waits` maps a
    `vocab.WaitKind` value to (`vocab.WaitState` value, days or None). `crisis=True` adds one
    sentence of suicidal thoughts; `personal_data=True` adds a name, phone number or e-mail.
    Titles are at most 120 characters; stories are 50 to 10,000 (typically 400 to 1,200).
    """
    lang = _LANGUAGE.get(language)
    if lang is None:
        raise ValueError(f"unknown language {language!r}")
    if reporter not in _REPORTERS:
        raise ValueError(f"unknown reporter {reporter!r}")
    # A relative writing about child and adolescent care writes about a grandchild, a niece.
    voices = lang.voices["family_child" if reporter == "family" and care_types & _CHILD
                         else reporter]
    choice = rng.choice
    chance = rng.random
    v = choice(voices)

    if facility_city and chance() < 0.65:
        before, after = choice(v.openings_city)
        first = [before + facility_city + after]
    else:
        first = [choice(v.openings)]

    # Care: one sentence for the leading kind, and middles specific to each kind present.
    specific: list[tuple[str, ...]] = []
    if care_types:
        for bit in _CARE_LEAD:
            if care_types & bit:
                first.append(choice(v.care[bit]))
                break
        if care_types & _GROUP:
            specific.append(v.group_child if care_types & _CHILD or reporter == "parent"
                            else v.group)
        if care_types & _PSYCHIATRY:
            specific.append(v.psych)
        if care_types & _CHILD:
            specific.append(v.child)
        if care_types & _URGENT:
            specific.append(v.urgent)

    # Waits, in form order. The most telling one (a wait still going on, else the longest)
    # may become the title, quoting the same phrase as the story.
    salient: tuple[str, str, tuple[str, str]] | None = None
    best = -1
    returns = False
    durations = lang.durations
    for kind in _KINDS:
        answer = waits.get(kind)
        if answer is None:
            continue
        state, days = answer
        if days is None:
            first.append(choice(v.waits_nodur[kind, state]))
        else:
            phrase = choice(durations[days if 0 <= days <= MAX_DAYS else
                                      (0 if days < 0 else MAX_DAYS + 1)])
            before, after = choice(v.waits[kind, state])
            first.append(before + phrase[0] + after)
            score = days + 100_000 if state == "waiting" else days
            if score > best:
                best, salient = score, (kind, state, phrase)
        if kind in _RETURN_KINDS and state != "gave_up":
            returns = True

    middle: list[str] = []
    for pool in specific:
        if not middle or chance() < 0.4:
            middle.append(choice(pool))
            if len(middle) == 2:
                break
    if returns and chance() < 0.7:
        middle.append(choice(v.return_middles))
    generic = choice(v.middles)
    middle.append(generic)
    if len(middle) < 3 and chance() < 0.5:
        another = choice(v.middles)
        if another != generic:
            middle.append(another)
    if crisis:
        middle.append(choice(v.crisis))
    bits = _OUTCOME_BITS[outcomes & _ALL_OUTCOMES]
    for bit in bits:
        middle.append(choice(v.outcomes[bit]))
    if chance() < 0.8:
        middle.append(choice(v.feelings))

    last: list[str] = []
    if personal_data:
        first_kind, second_kind = choice(_PERSONAL_KINDS), choice(_PERSONAL_KINDS)
        # One or two different details; never two phone numbers for the same writer.
        for marker in (first_kind,) if first_kind == second_kind else (first_kind, second_kind):
            before, after = choice(v.personal[marker])
            last.append(before + choice(lang.values[marker]) + after)
    if chance() < 0.85 or not last:
        last.append(choice(v.closings))

    story = " ".join(first) + "\n\n" + " ".join(middle) + "\n\n" + " ".join(last)

    roll = chance()
    if salient is not None and roll < 0.55:
        before, after, capital = choice(v.titles_wait[salient[0], salient[1]])
        title = before + salient[2][1 if capital else 0] + after
    elif bits and roll < 0.75:
        title = choice(v.titles_outcome[choice(bits)])
    elif facility_city and roll < 0.85:
        before, after = choice(v.titles_city)
        title = before + facility_city + after
    else:
        title = choice(v.titles)
    return title[:120], story
