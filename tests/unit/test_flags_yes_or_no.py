"""The yes-or-no questions an arrival's flags ask (has_personal_data, mentions_crisis) stop at
the first span found: they must answer exactly what finding every span answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_flags import CRISIS_PHRASES, NAUGHTY

from testimonials.flags import find_crisis, find_personal_data, has_personal_data, mentions_crisis

# One piece of each kind of personal data, each alone finding nothing else, and words that
# find nothing: mixed, every check of the list answers some text first, and some none does.
PIECES = [
    "write to ana@example.org", "call 510-555-0123", "SSN 123-45-6789", "number 12345678901",
    "MRN 5105550123", "nº de expediente 1234567", "I live at 123 Main Street",
    "born 03/14/1990", "fecha de nacimiento 3/4/1990", "find me @ana_lopez",
    "my son Ethan", "Dr. Lopez", "Maria Gonzalez said so",
    "I waited three months", "the clinic never called", "Esperé tres meses", "988",
    "I wanted to kill myself", "quería matarme", "cutting my hair", "\n", "Oakland Medical",
]


def answers_agree(text: str) -> None:
    assert has_personal_data(text) == bool(find_personal_data(text)), text
    assert mentions_crisis(text) == bool(find_crisis(text)), text


def test_each_piece_alone_gets_the_answer_of_every_span() -> None:
    assert any(has_personal_data(piece) for piece in PIECES)
    assert not all(has_personal_data(piece) for piece in PIECES)
    for text in [*PIECES, *NAUGHTY, *(phrase for phrase, _found in CRISIS_PHRASES)]:
        answers_agree(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6).map(". ".join))
def test_any_mix_gets_the_answer_of_every_span(text: str) -> None:
    answers_agree(text)
