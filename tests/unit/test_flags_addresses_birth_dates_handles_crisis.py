"""What the flags find beyond names and e-mails: street addresses, dates of birth, handles, crisis
phrases, personal data in the "other clinic" answer, and a record label left after a redaction.

Decisions these tables record: a street word without a house number is not an address
("Main Street Clinic" is a facility's name); a number without a street word is not one
("I waited 123 days"); a date is a date of birth only when labelled as one (an appointment's
date is not personal data).
"""

from __future__ import annotations

import pytest

from testimonials.flags import compute_flags, find_personal_data, identifying, mentions_crisis
from testimonials.vocab import Flag


def found(text: str) -> list[tuple[str, str]]:
    return [(match.kind, match.text) for match in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live at 123 Main Street in Oakland", [("address", "123 Main Street")]),
        ("send it to 4500 W. Olive Ave, Apt 4B",
         [("address", "4500 W. Olive Ave"), ("address", "Apt 4B")]),
        ("we moved to 77 East Lake Blvd. last year", [("address", "77 East Lake Blvd.")]),
        ("the office at 1200 5th Ave", [("address", "1200 5th Ave")]),
        ("apt. #12 is mine", [("address", "apt. #12")]),
        ("my mail goes to PO Box 42", [("address", "PO Box 42")]),
        ("vivo en Calle Olivo 123", [("address", "Calle Olivo 123")]),
        ("DOB 03/04/1990", [("birth", "DOB 03/04/1990")]),
        ("I was born on March 4, 1990.", [("birth", "born on March 4, 1990")]),
        ("date of birth: 3-4-90", [("birth", "date of birth: 3-4-90")]),
        ("my birthday is 4th of July 2011", [("birth", "birthday is 4th of July 2011")]),
        ("fecha de nacimiento: 4 de marzo de 1990",
         [("birth", "fecha de nacimiento: 4 de marzo de 1990")]),
        ("find me as @sarah_waits on there", [("handle", "@sarah_waits")]),
        ("my son is @coolkid.2010", [("handle", "@coolkid.2010")]),
    ],
)
def test_finds_addresses_birth_dates_and_handles(text: str,
                                                 expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I waited 123 days for a call back.",
        "Main Street Clinic never called me back.",  # a facility's name, not an address
        "It took 2 way too long weeks.",
        "We walked 5 blocks down the road to the clinic.",
        "my appointment was on 03/04/2024 and then nothing",  # a date, not a birth date
        "born in a small town, I waited 4 months",
        "write to me at sarah@example.org",  # an e-mail, not a handle
        "group starts @ 5pm",
        "group starts @5pm, or @10:30 am",
        "the unit 5 nurses were kind",
        "In 2 days the Main St clinic closed.",
    ],
)
def test_no_false_alarm_on_ordinary_words_and_numbers(text: str) -> None:
    kinds = {kind for kind, _text in found(text)}
    assert not kinds & {"address", "birth", "handle"}, found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Some nights I thought about ending it all.",
        "I just wanted to end it all.",
        "I don't want to be here anymore.",
        "I do not want to be around any more",
        "my family would be better off dead without me, I thought",
        "there was no reason to live",
        "pensé en quitarme la vida",
        "quería acabar con todo",
        "no quiero vivir así",
        "ya no quiero estar aquí",
    ],
)
def test_finds_crisis_phrases(text: str) -> None:
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to be here at this clinic again, it is so slow",
        "quiero acabar con todo el papeleo antes de la cita",
        "the wait is killing me",
        "by the end of it all I had a date",
    ],
)
def test_no_crisis_alarm_on_everyday_phrases(text: str) -> None:
    assert not mentions_crisis(text)


@pytest.mark.parametrize(
    ("other_clinic", "flagged"),
    [
        ("Maria Lopez", True),
        ("Dr. Smith's office", True),
        ("call 510-555-0123", True),
        ("near 123 Main Street", True),
        ("Valley Counseling Center", False),
        ("John Muir Behavioral Health", False),
        ("Oakland Medical Center", False),
        ("", False),
        (None, False),
    ],
)
def test_other_clinic_answer_is_checked_for_personal_data(other_clinic: str | None,
                                                          flagged: bool) -> None:
    flags = compute_flags("A title", "I waited four months for a call back.",
                          is_duplicate=False, other_clinic=other_clinic)
    assert bool(flags & Flag.PERSONAL_DATA) is flagged


@pytest.mark.parametrize(
    ("text", "identifies"),
    [
        ("They lost my medical record number [removed] twice.", False),
        ("my MRN was wrong on the letter", False),
        ("my medical record number is 12345678", True),
        ("MRN: KP-1234567", True),
        ("call me at 510-555-0123", True),
    ],
)
def test_a_record_label_without_a_number_does_not_identify(text: str, identifies: bool) -> None:
    assert bool(identifying(text)) is identifies
