"""The language a story is written in, told from its common words (text_language.detect)."""

from __future__ import annotations

from testimonials.text_language import detect
from testimonials.vocab import Language


def test_an_english_story_is_english() -> None:
    assert detect("I waited four months for a return appointment with my therapist, and "
                  "the clinic never called me back.") is Language.EN


def test_a_spanish_story_is_spanish() -> None:
    assert detect("Esperé cuatro meses para una cita de seguimiento con mi terapeuta y la "
                  "clínica nunca me llamó.") is Language.ES


def test_spanish_without_accents_is_still_spanish() -> None:
    assert detect("espere cuatro meses para una cita con la terapeuta, pero nadie me "
                  "llamo de la clinica") is Language.ES


def test_too_few_words_to_tell_is_not_a_guess() -> None:
    assert detect("Kaiser Oakland") is None
    assert detect("") is None
    assert detect(None) is None


def test_half_and_half_is_not_a_guess() -> None:
    assert detect("I waited for months and the clinic said no. "
                  "Esperé meses y la clínica dijo que no.") is None


def test_a_clinic_name_in_spanish_does_not_make_english_spanish() -> None:
    assert detect("I went to La Clínica de la Raza and waited three months for my first "
                  "appointment, then they told me it would be weeks more.") is Language.EN


def test_a_long_story_is_read_only_as_far_as_needed() -> None:
    english = "I waited and waited for the clinic to call me back. " * 2000
    assert detect(english + "Esperé meses y la clínica dijo que no. " * 2000) is Language.EN
