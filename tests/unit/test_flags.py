"""Flags on arrival: personal data to redact, crisis language to answer, duplicates."""

from __future__ import annotations

import itertools

import pytest

from testimonials.flags import (
    Match,
    compute_flags,
    find_crisis,
    find_personal_data,
    mentions_crisis,
)
from testimonials.vocab import Flag


def found(text: str) -> list[tuple[str, str]]:
    return [(match.kind, match.text) for match in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to sarah.j+waits@example.com please", "sarah.j+waits@example.com"),
        ("MARIA_LOPEZ@Correo.MX", "MARIA_LOPEZ@Correo.MX"),
        ("josé@ejemplo.es", "josé@ejemplo.es"),
        ("sarah (at) gmail (dot) com", "sarah (at) gmail (dot) com"),
        ("sarah at gmail dot com", "sarah at gmail dot com"),
        ("maria arroba gmail punto com", "maria arroba gmail punto com"),
    ],
)
def test_finds_email_addresses(text: str, expected: str) -> None:
    assert found(text) == [("email", expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me at (510) 555-0123 today", "(510) 555-0123"),
        ("call me at (510)555-0123 today", "(510)555-0123"),
        ("my cell is 510-555-0123.", "510-555-0123"),
        ("my cell is 510.555.0123, text me", "510.555.0123"),
        ("my cell is 510 555 0123", "510 555 0123"),
        ("my cell is +1 510 555 0123", "+1 510 555 0123"),
        ("my cell is +1-510-555-0123", "+1-510-555-0123"),
        ("my cell is 1 (510) 555-0123", "1 (510) 555-0123"),
        ("my cell is 5105550123", "5105550123"),
        ("my cell is +15105550123", "+15105550123"),
        ("tel:415-555-0199.", "415-555-0199"),
        ("the home number 555-0123", "555-0123"),
    ],
)
def test_finds_phone_numbers(text: str, expected: str) -> None:
    assert found(text) == [("phone", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "I waited 3 months for an intake in 2024.",
        "From 03/2024 to 11/2024, or 03/15/2024, it was 10 business days.",
        "Waited 2023-2024 and paid $1,500 or $12,000 out of pocket.",
        "My ZIP is 94612-1234 and my copay was 25.00.",
        "It took 120 days, then 365 days, then 730 days.",
        "Over 1,000 patients and 2,400 clinicians; 1,000,000 people.",
        "On 2024-03-15 from 10:30-11:45 with 3-4 weeks left.",
        "ICD code F41.1, CPT 90837 and 14:00 on 12.05.2024.",
        "Pi is 3.14159265 and the version 1.2.3.",
        "Room 204-B, suite 300, floor 2, 2 kids aged 7 and 12.",
        "Call 988, or the DMHC at 1-888-466-2219, or 1-800-273-8255.",  # hotlines
    ],
)
def test_phone_false_positives_are_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My MRN 12345678 was lost", "MRN 12345678"),
        ("MRN: 12345678", "MRN: 12345678"),
        ("my record number 1234567", "record number 1234567"),
        ("medical record # was on the letter", "medical record #"),
        ("my medical record no. 99-887766", "medical record no. 99-887766"),
        ("member ID is KP-1234567", "member ID is KP-1234567"),
        ("patient id: 4455667", "patient id: 4455667"),
        ("Medi-Cal number 91234567A", "Medi-Cal number 91234567"),
        ("mi número de expediente es 1234567", "número de expediente es 1234567"),
        ("NUMERO DE EXPEDIENTE 7654321", "NUMERO DE EXPEDIENTE 7654321"),
        ("expediente médico # 55443322", "expediente médico # 55443322"),
        ("mi número de afiliado", "número de afiliado"),
        ("SSN 123-45-6789", "SSN 123-45-6789"),
        ("it was 123-45-6789", "123-45-6789"),
        ("a letter with 98765432 on it", "98765432"),
        ("card KP12345678", "KP12345678"),
    ],
)
def test_finds_record_numbers(text: str, expected: str) -> None:
    assert found(text) == [("record", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "my medical records show nothing",
        "In my case no one called back.",
        "I showed my ID at the desk.",
        "The member services line kept me on hold.",
        "I'd no idea the record was wrong.",
        "1,234,567 people are on Medi-Cal.",
    ],
)
def test_record_false_positives_are_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Then Dr. Smith said no.", "Dr. Smith"),
        ("I saw Dr Maria Lopez once.", "Dr Maria Lopez"),
        ("and Nurse Jackie was kind", "Nurse Jackie"),
        ("the nurse Jackie was kind", "nurse Jackie"),
        ("Then Dr. O'Brien-Smith called", "Dr. O'Brien-Smith"),
        ("I saw Dr. Martinez at Kaiser Richmond.", "Dr. Martinez"),
        ("my therapist Sarah Johnson left", "Sarah Johnson"),
        ("my therapist, Sarah, left", "Sarah"),
        ("a counselor named Tom called", "Tom"),
        ("my son Ethan is 12", "Ethan"),
        ("I finally saw Sarah Johnson last week.", "Sarah Johnson"),
        ("Then Sarah Johnson called.", "Sarah Johnson"),
        ("After that, Jose Luis Hernandez García called.", "Jose Luis Hernandez García"),
        ("I saw María de la Cruz on Monday.", "María de la Cruz"),
        ("la Dra. María García me dijo que esperara", "Dra. María García"),
        ("mi hija Sofía tiene doce años", "Sofía"),
        ("una terapeuta llamada Ana me llamó", "Ana"),
        ("Sarah Jane Johnson was my therapist.", "Jane Johnson"),
        ("my therapist Dr. Sarah Johnson quit", "Dr. Sarah Johnson"),
    ],
)
def test_finds_names(text: str, expected: str) -> None:
    assert found(text) == [("name", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "I went to Kaiser Permanente in Oakland, California.",
        "The Suicide and Crisis Lifeline helped.",
        "The Crisis Text Line and the National Alliance on Mental Illness were kind.",
        "We moved to San Francisco in January and then to Los Angeles.",
        "Behavioral Health Services never called back.",
        "I called Member Services on Tuesday and the Nurse Advice Line on Friday.",
        "The Emergency Room at Walnut Creek Medical Center sent me home.",
        "We met at Santa Clara Valley Medical Center, near Mount Diablo.",
        "Covered California sent me to Medi-Cal.",
        "My son has ADHD and PTSD, I am Latina and I speak Spanish.",
        "I miss my therapist. Don't wait like I did.",
        "The nurse said wait. My doctor at Kaiser said no.",
        "Happy New Year from Kaiser San Leandro.",
        "Waited Six Months For Help",
        "Still Waiting After Intake At Kaiser Oakland",
        "Group Therapy was packed; kids sat on the floor.",
        "I WAITED SIX MONTHS AND NOBODY CALLED",
        "Sarah was my therapist. Johnson is a town.",
        "Esperé tres meses en Kaiser Fresno. Mi hija lloró.",
        "",
    ],
)
def test_name_false_positives_are_not_flagged(text: str) -> None:
    assert found(text) == []


def test_matches_are_sorted_spans_of_the_text() -> None:
    text = "Dr. Lopez gave me 510-555-0123 and maria@example.org, MRN 1234567."
    matches = find_personal_data(text)
    assert [match.kind for match in matches] == ["name", "phone", "email", "record"]
    for match in matches:
        assert text[match.start : match.end] == match.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))


def test_overlapping_finds_keep_the_longest() -> None:
    assert found("MRN 5105550123") == [("record", "MRN 5105550123")]


NAUGHTY = [
    "Z̷̢a̶͎l̸̰g̵̱o̴̟ Dr. Z̷̢a̶͎l̸̰g̵̱o̴̟ 510-555-0123",
    "👩‍👧 my daughter 👩‍👧 Sofía 🇺🇸 called 510-555-0123 💔",
    "انتظرت ثلاثة أشهر. اتصل بي 510-555-0123",
    "我等了三个月。医生 Dr. Wang 说 510-555-0123",
    "\u202eevil rtl override 510-555-0123\u202c",
    "ﬁ ligature Dr. Éﬀ and nº de expediente 1234567",
    "İstanbul İ̇ ß ẞ Dr. Öztürk",
    "\x00\ufeff\u200b" * 50,
    "a." * 2000 + "@",
    "MRN " * 2000,
    "(" * 5000,
    "Ab de " * 1500,
]


@pytest.mark.parametrize("text", NAUGHTY)
def test_odd_text_gives_sorted_spans_that_match_the_text(text: str) -> None:
    matches = find_personal_data(text) + find_crisis(text)
    for match in matches:
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.text
    personal = find_personal_data(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(personal))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Z̷̢a̶͎l̸̰g̵̱o̴̟ text from 510-555-0123", ("phone", "510-555-0123")),
        ("👩‍👧 escribe a maría@correo.mx 👩‍👧", ("email", "maría@correo.mx")),
        ("ﬁnd nº de expediente", ("record", "nº de expediente")),
    ],
)
def test_finds_personal_data_among_emoji_and_odd_scripts(
    text: str, expected: tuple[str, str]
) -> None:
    assert expected in found(text)


def test_match_is_frozen() -> None:
    match = Match(0, 3, "name", "Tom")
    with pytest.raises(AttributeError):
        match.start = 1  # type: ignore[misc]


def test_spans_survive_accents_typed_as_separate_marks() -> None:
    text = "Número de expediente 1234567"  # "u" followed by a combining acute accent
    (match,) = find_personal_data(text)
    assert (match.start, match.end, match.text) == (0, len(text), text)


CRISIS_PHRASES = [
    ("I thought about suicide every day", "suicide"),
    ("I was SUICIDAL by March", "SUICIDAL"),
    ("I wanted to kill myself", "kill myself"),
    ("I was going to kill my self", "kill my self"),
    ("I wanted to end my life", "end my life"),
    ("I want to die", "want to die"),
    ("I wanted to die", "wanted to die"),
    ("I was self-harming again", "self-harming"),
    ("self harm", "self harm"),
    ("I started cutting myself", "cutting myself"),
    ("she overdosed in May", "overdosed"),
    ("there was no reason to live", "no reason to live"),
    ("my family would be better off dead", "better off dead"),
    ("I didn’t want to live anymore", "didn’t want to live"),
    ("I called 988 twice", "called 988"),
    ("they gave me the suicide prevention hotline", "suicide"),
    ("pensé en el suicidio", "suicidio"),
    ("estaba suicida", "suicida"),
    ("quería matarme", "matarme"),
    ("queria matarme", "matarme"),
    ("pensé en quitarme la vida", "quitarme la vida"),
    ("ya no quiero vivir", "no quiero vivir"),
    ("NO QUIERO VIVIR", "NO QUIERO VIVIR"),
    ("quería hacerme daño", "hacerme daño"),
    ("queria hacerme dano", "hacerme dano"),
    ("tuve una autolesión", "autolesión"),
    ("autolesion", "autolesion"),
    ("empecé a cortarme", "cortarme"),
    ("tomó una sobredosis", "sobredosis"),
    ("me quiero matar", "me quiero matar"),
    ("sin razón para vivir", "sin razón para vivir"),
    ("quiero morirme", "quiero morirme"),
]


@pytest.mark.parametrize(("text", "phrase"), CRISIS_PHRASES)
def test_finds_crisis_language_in_english_and_spanish(text: str, phrase: str) -> None:
    assert [match.text for match in find_crisis(text)] == [phrase]
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd die for a decent appointment",
        "this wait is killing me",
        "I'm dying to see someone",
        "the die was cast",
        "my diet changed",
        "I studied the schedule",
        "the bill was overdue",
        "they are cutting costs and cutting staff",
        "I cut my hair short",
        "voy a cortarme el pelo",
        "la espera me mata",
        "estoy muerta de cansancio",
        "I live for my kids",
        "she gave me a reason to live",
        "988 days",
        "",
    ],
)
def test_crisis_false_positives_are_not_flagged(text: str) -> None:
    assert find_crisis(text) == []
    assert not mentions_crisis(text)


@pytest.mark.parametrize(
    ("title", "story", "is_duplicate", "flags"),
    [
        ("Six months", "I waited six months for an intake.", False, Flag(0)),
        ("Six months", "I waited six months for an intake.", True, Flag.DUPLICATE),
        ("Call me", "my number is 510-555-0123", False, Flag.PERSONAL_DATA),
        ("Dr. Lopez never called", "I waited.", False, Flag.PERSONAL_DATA),
        ("I wanted to die", "I waited.", False, Flag.CRISIS),
        (None, "No quiero vivir. Llamen al 510-555-0123", True, Flag(7)),
        (None, None, False, Flag(0)),
    ],
)
def test_compute_flags_combines_title_story_and_duplicate(
    title: str | None, story: str | None, is_duplicate: bool, flags: Flag
) -> None:
    assert compute_flags(title, story, is_duplicate=is_duplicate) == flags
