"""The demo story generator and the demo facilities list.

The stories fill the demo queue, the public pages and the statistics' neighbours, so they
must read like patients' stories, agree with the answers beside them, and raise the crisis
and personal-data flags exactly where the demo loader asks for them and nowhere else.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from typing import Any

import pytest

from testimonials import vocab
from testimonials.demo import fragments_en, fragments_es, texts
from testimonials.paths import FACILITIES_CSV
from testimonials.text_language import detect

FRAGMENTS = {"en": fragments_en, "es": fragments_es}
KINDS = [k.value for k in vocab.WaitKind]
STILL_WAITING = {"en": ("still waiting",),
                 "es": ("sigo esperando", "sigue esperando", "seguimos esperando")}
CRISIS_WORDS = ("suicid", "kill myself", "matarme", "quitarme la vida", "quitarse la vida",
                "ending my life", "ending his life", "ending her life", "self-harm")
PHONE = re.compile(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}")
ENGLISH_WORDS = {"the", "and", "was", "my", "we", "with", "for", "after", "they", "still",
                 "waited", "waiting", "appointment", "therapist", "weeks", "months"}
SPANISH_WORDS = {"que", "cita", "espera", "esperé", "meses", "semanas", "terapeuta", "mi"}
WORD = re.compile(r"[^\W\d_]+")


def random_answers(gen: random.Random) -> dict[str, Any]:
    """Arguments for one story, drawn over every combination the form allows."""
    waits: dict[str, tuple[str, int | None]] = {}
    for kind in KINDS:
        if gen.random() < 0.6:
            state = gen.choice([s.value for s in vocab.WaitState])
            days = None if state == "gave_up" and gen.random() < 0.5 else gen.randint(0, 730)
            waits[kind] = (state, days)
    return {
        "language": gen.choice(texts.LANGUAGES),
        "facility_city": gen.choice(["Oakland", "Fresno", "Walnut Creek", None]),
        "reporter": gen.choice([r.value for r in vocab.Reporter]),
        "care_types": gen.randrange(64),
        "waits": waits,
        "outcomes": gen.randrange(32),
    }


def generate(count: int, seed: int = 1, **fixed: Any) -> list[tuple[dict[str, Any], str, str]]:
    gen, rng = random.Random(seed), random.Random(seed + 1000)
    out = []
    for _ in range(count):
        answers = {**random_answers(gen), **fixed}
        title, story = texts.story_for(rng, **answers)
        out.append((answers, title, story))
    return out


def words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def test_the_same_seed_gives_the_same_text() -> None:
    first = generate(200, seed=5)
    assert generate(200, seed=5) == first
    gen = random.Random(9)
    answers = random_answers(gen)
    assert (texts.story_for(random.Random(1), **answers)
            != texts.story_for(random.Random(2), **answers))


def test_lengths_titles_and_no_leftover_template_syntax() -> None:
    for _, title, story in generate(2000, crisis=False):
        assert 50 <= len(story) <= 10_000
        assert 0 < len(title) <= 120
        assert not re.search(r"[\[\]{}|]", title + story), (title, story)
        assert "  " not in story and not story.startswith(" ")


def test_stories_rarely_repeat_even_for_identical_answers() -> None:
    varied = [story for _, _, story in generate(1000, seed=3)]
    assert len(set(varied)) >= 950
    same: dict[str, Any] = {"language": "es", "facility_city": None, "reporter": "patient",
                            "care_types": 1, "waits": {"intake": ("ended", 20)}, "outcomes": 0}
    rng = random.Random(4)
    identical = [texts.story_for(rng, **same)[1] for _ in range(1000)]
    assert len(set(identical)) >= 950


def test_spanish_stories_are_in_spanish_and_english_ones_in_english() -> None:
    for answers, title, story in generate(1000, seed=6):
        found = words(title + " " + story)
        if answers["language"] == "es":
            assert not found & ENGLISH_WORDS, (found & ENGLISH_WORDS, story)
        else:
            assert not found & SPANISH_WORDS, (found & SPANISH_WORDS, story)


def test_the_site_reads_every_story_in_the_language_it_is_written_in() -> None:
    # The demo loader records `story_language` as the language it asked for, without running
    # the detector on a million stories: this is what makes that the detector's answer.
    gen = random.Random(11)
    for crisis, personal in ((False, False), (True, False), (False, True), (True, True)):
        for answers, _title, story in generate(750, seed=gen.randrange(10**6), crisis=crisis,
                                               personal_data=personal):
            assert detect(story) == vocab.Language(answers["language"]), story


def test_crisis_language_only_when_asked() -> None:
    for _, title, story in generate(2000, seed=7):
        text = (title + " " + story).lower()
        assert not any(w in text for w in CRISIS_WORDS), story
    for _, _, story in generate(300, seed=8, crisis=True):
        assert any(w in story.lower() for w in CRISIS_WORDS), story


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_enough_fragments_for_variety(language: str) -> None:
    mod = FRAGMENTS[language]
    assert len(mod.OPENINGS) + len(mod.OPENINGS_CITY) >= 25
    middles = (mod.MIDDLES, mod.RETURN_MIDDLES, mod.GROUP_MIDDLES, mod.GROUP_CHILD_MIDDLES,
               mod.PSYCH_MIDDLES, mod.CHILD_MIDDLES, mod.URGENT_MIDDLES)
    assert sum(len(pool) for pool in middles) >= 40
    assert len(mod.CLOSINGS) >= 15 and len(mod.FEELINGS) >= 15


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_tables_follow_the_vocabulary(language: str) -> None:
    mod = FRAGMENTS[language]
    pairs = {(k.value, s.value) for k in vocab.WaitKind for s in vocab.WaitState}
    assert set(mod.WAITS) == set(mod.WAITS_NODUR) == set(mod.TITLES_WAIT) == pairs
    assert set(mod.CARE) == {int(c) for c in vocab.CareType}
    assert set(mod.OUTCOMES) == set(mod.TITLES_OUTCOME) == {int(o) for o in vocab.Outcome}
    assert set(mod.SUBJECTS) == {r.value for r in vocab.Reporter} | {"family_child"}


def test_no_crisis_words_in_any_table_but_the_crisis_one() -> None:
    for mod in FRAGMENTS.values():
        for name, value in vars(mod).items():
            if name in {"CRISIS"} or not name.isupper():
                continue
            text = repr(value).lower()
            assert not any(w in text for w in CRISIS_WORDS), name


def test_personal_data_only_when_asked() -> None:
    for _, title, story in generate(2000, seed=9):
        text = title + " " + story
        assert "@" not in text and not PHONE.search(text), story
        assert not re.search(r"\d", text), story
        assert "Dr. " not in text and "Dra. " not in text, story
    people = fragments_en.PEOPLE + fragments_es.PEOPLE
    for _, _, story in generate(300, seed=10, personal_data=True):
        assert ("@example.org" in story or PHONE.search(story) or "Dr. " in story
                or "Dra. " in story or any(p in story for p in people)), story
        for number in PHONE.findall(story):
            assert "555-01" in number, number


def test_a_patient_still_waiting_for_a_return_visit_says_so() -> None:
    for language in texts.LANGUAGES:
        rng = random.Random(11)
        for _ in range(200):
            _, story = texts.story_for(
                rng, language=language, facility_city="Oakland", reporter="patient",
                care_types=1, waits={"intake": ("ended", 6), "first_return": ("waiting", 95)},
                outcomes=0)
            assert any(m in story.lower() for m in STILL_WAITING[language]), story


def test_still_waiting_is_said_exactly_when_a_wait_is_still_going_on() -> None:
    for answers, title, story in generate(3000, seed=12):
        waiting = any(state == "waiting" for state, _ in answers["waits"].values())
        said = any(m in (title + " " + story).lower() for m in STILL_WAITING[answers["language"]])
        assert said == waiting, (answers, title, story)


def test_every_wait_is_told_in_natural_words() -> None:
    for answers, _title, story in generate(2000, seed=13):
        mod = FRAGMENTS[answers["language"]]
        for _state, days in answers["waits"].values():
            if days is not None:
                assert any(p in story for p in mod.durations(days)), (days, story)


@pytest.mark.parametrize(("language", "days", "expected"), [
    ("en", 84, {"twelve weeks", "almost three months"}),
    ("en", 77, {"eleven weeks"}),
    ("en", 3, {"three days"}),
    ("en", 400, {"more than a year"}),
    ("es", 84, {"doce semanas", "casi tres meses"}),
    ("es", 45, {"mes y medio"}),
    ("es", 1, {"un día"}),
])
def test_duration_phrases(language: str, days: int, expected: set[str]) -> None:
    assert expected <= set(FRAGMENTS[language].durations(days))


def test_durations_exist_for_every_day_and_have_no_digits() -> None:
    for mod in FRAGMENTS.values():
        for days in range(texts.MAX_DAYS + 2):
            phrases = mod.durations(days)
            assert phrases and not any(re.search(r"\d", p) for p in phrases), days


def test_who_is_telling_the_story() -> None:
    relatives = {lang: {words[key].lower() for group, voices in mod.SUBJECTS.items()
                        if group != "patient" for words in voices for key in ("full", "who")}
                 for lang, mod in FRAGMENTS.items()}
    for answers, _, story in generate(1500, seed=14):
        told_about = any(r in story.lower() for r in relatives[answers["language"]])
        if answers["reporter"] == "patient":
            assert not told_about, story
            if answers["language"] == "en":
                assert re.search(r"\bI\b", story), story
        else:
            assert told_about, story


OUTCOME_MARKERS = {
    "en": {1: ("emergency room",), 2: ("out of pocket", "paying", "credit card"),
           4: ("stopped", "dropped out", "up on therapy"), 8: ("worse", "deepened", "lost weight"),
           16: ("outside the network", "out of network", "outside provider")},
    "es": {1: ("emergencias",), 2: ("bolsillo", "pagarle", "tarjeta de crédito"),
           4: ("dej", "abandon"), 8: ("empeor", "más profunda", "bajé de peso", "bajó de peso"),
           16: ("fuera de la red", "de afuera")},
}


def test_outcomes_and_care_are_mentioned() -> None:
    for answers, _, story in generate(2000, seed=15):
        language, text = answers["language"], story.lower()
        for bit, markers in OUTCOME_MARKERS[language].items():
            if answers["outcomes"] & bit:
                assert any(m in text for m in markers), (bit, story)
        if answers["care_types"] & vocab.CareType.GROUP:
            assert ("group" if language == "en" else "grupo") in text, story
        if "psychiatry" in answers["waits"]:
            assert any(m in text for m in ("psychiatr", "medication", "psiquiatr",
                                           "medicamento")), story


def test_enum_members_work_as_arguments() -> None:
    title, story = texts.story_for(
        random.Random(1), language=vocab.Language.ES, facility_city=None,
        reporter=vocab.Reporter.PARENT, care_types=int(vocab.CareType.CHILD),
        waits={vocab.WaitKind.INTAKE: (vocab.WaitState.WAITING, 30)}, outcomes=0)
    assert "esperando" in story and title


@pytest.mark.parametrize("bad", [{"language": "fr"}, {"reporter": "friend"},
                                 {"reporter": "family_child"}])
def test_unknown_language_or_reporter_is_refused(bad: dict[str, str]) -> None:
    answers: dict[str, Any] = {"language": "en", "facility_city": None, "reporter": "patient",
               "care_types": 0, "waits": {}, "outcomes": 0, **bad}
    with pytest.raises(ValueError):
        texts.story_for(random.Random(1), **answers)


def test_no_answers_at_all_still_make_a_story() -> None:
    for language in texts.LANGUAGES:
        title, story = texts.story_for(random.Random(2), language=language, facility_city=None,
                                       reporter="family", care_types=0, waits={}, outcomes=0)
        assert len(story) >= 50 and title


# --- the demo facilities -------------------------------------------------------------------


def facility_rows() -> tuple[list[str], list[dict[str, str]]]:
    with FACILITIES_CSV.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def test_facilities_csv_shape() -> None:
    header, rows = facility_rows()
    assert header == ["name", "city", "region", "latitude", "longitude"]
    assert 60 <= len(rows) <= 100
    assert len({(r["name"], r["city"]) for r in rows}) == len(rows)
    for row in rows:
        assert all(row[c].strip() == row[c] and row[c] for c in header), row
        assert row["name"].isascii() and len(row["name"]) <= 200, row
        assert 32.5 <= float(row["latitude"]) <= 42.0, row
        assert -124.5 <= float(row["longitude"]) <= -114.1, row
        assert re.fullmatch(r"-?\d+\.\d{4}", row["latitude"]), row
        assert re.fullmatch(r"-?\d+\.\d{4}", row["longitude"]), row


def test_facilities_regions() -> None:
    _, rows = facility_rows()
    regions = Counter(r["region"] for r in rows)
    assert 8 <= len(regions) <= 14
    assert min(regions.values()) >= 3, regions
    # Both halves of the state the strike was about.
    cities = {r["city"] for r in rows}
    assert {"Oakland", "San Francisco", "Sacramento", "Fresno"} <= cities
    assert {"Los Angeles", "San Diego", "Riverside", "Anaheim"} <= cities
