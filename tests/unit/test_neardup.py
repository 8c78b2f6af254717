"""Near-duplicate signatures: texts pasted from a template are found alike, different stories
are not, and the bands make alike texts meet."""

from __future__ import annotations

from testimonials import neardup

TEMPLATE = ("I am a patient of this health system and I waited more than three months for a "
            "return appointment with my therapist. The system must hire more therapists now "
            "so that no patient waits this long for care again.")
RESENT = TEMPLATE.replace("three months", "four months").replace("now", "today")
OTHER = ("My daughter was sent to the emergency room twice in one week because her psychiatrist "
         "had no openings until spring; the clinic never called us back about the referral.")


def test_a_template_with_a_few_words_changed_is_found_alike() -> None:
    first, second = neardup.signature(TEMPLATE), neardup.signature(RESENT)
    assert first and second
    assert neardup.similarity(first, second) >= neardup.THRESHOLD
    assert set(neardup.bands(first)) & set(neardup.bands(second))


def test_case_accents_and_punctuation_do_not_make_a_difference() -> None:
    shouted = TEMPLATE.upper().replace(".", "!!")
    assert neardup.similarity(neardup.signature(TEMPLATE),  # type: ignore[arg-type]
                              neardup.signature(shouted)) == 1.0  # type: ignore[arg-type]
    assert neardup.words("Canción, ÁRBOL") == ["cancion", "arbol"]


def test_different_stories_are_not_alike() -> None:
    first, second = neardup.signature(TEMPLATE), neardup.signature(OTHER)
    assert first and second
    assert neardup.similarity(first, second) < 0.2
    assert not set(neardup.bands(first)) & set(neardup.bands(second))


def test_a_short_text_gets_no_signature() -> None:
    assert neardup.signature("I waited four months for my first appointment.") is None


def test_a_signature_survives_storage() -> None:
    sig = neardup.signature(TEMPLATE)
    assert sig and neardup.decode(neardup.encode(sig)) == sig
    assert len(sig) == neardup.PERMUTATIONS and len(neardup.bands(sig)) == neardup.BANDS


def test_comparing_with_a_stored_signature_as_text_gives_the_same_likeness() -> None:
    texts = [TEMPLATE, RESENT, OTHER, TEMPLATE.replace("patient", "person"),
             RESENT.replace("therapist", "psychiatrist")]
    signatures = [neardup.signature(text) for text in texts]
    for first in signatures:
        for second in signatures:
            assert first and second
            assert neardup.similarity_to_stored(neardup.stored_parts(first),
                                                neardup.encode(second)) \
                == neardup.similarity(first, second)


def test_a_signature_is_the_one_stored_by_earlier_versions() -> None:
    # Stored signatures are compared with new ones: any change to how one is worked out (the
    # hash of a shingle, the parameters, the arithmetic) would make every stored one useless.
    import hashlib

    stored = neardup.encode(neardup.signature(TEMPLATE))  # type: ignore[arg-type]
    assert stored.startswith("c3a07ebd6c6f0f,79b4e1151b818c,41eed875487c38,1f30734e764690,")
    assert hashlib.sha256(stored.encode()).hexdigest() == (
        "6a5649d5e7cc81b9e0cf7d5f5a6574fa5322439f622ef453c7bf4fc275cebbc5")


def test_the_64_bit_minhash_is_the_formula_in_python_integers() -> None:
    # neardup._minhash works modulo 2**61 - 1 in 64-bit numbers; the formula it stands for is
    # min over h of (a * h + b) % prime, in Python's unbounded integers. Random hashes, and
    # those at the edges of the arithmetic: 0, the prime and its neighbours, 2**61 to 2**64 - 1.
    import random

    import numpy as np

    prime = neardup._PRIME  # noqa: SLF001
    edges = [0, 1, prime - 1, prime, prime + 1, 1 << 61, (1 << 62) - 1, (1 << 63) + 5,
             (1 << 64) - 2, (1 << 64) - 1]
    draw = random.Random(7)
    for hashes in [edges, *([draw.getrandbits(64) for _ in range(draw.randrange(1, 90))]
                            for _ in range(200))]:
        expected = tuple(min((a * h + b) % prime for h in hashes)
                         for a, b in neardup._PARAMETERS)  # noqa: SLF001
        assert neardup._minhash(np.array(hashes, dtype=np.uint64)) == expected  # noqa: SLF001
    # The last step alone, where a value from the prime up to 7 above it must still come down.
    values = [*edges, prime + 7, 7 * (1 << 61) + prime, draw.getrandbits(64)]
    assert neardup._reduced(np.array(values, dtype=np.uint64)).tolist() == [  # noqa: SLF001
        value % prime for value in values]
