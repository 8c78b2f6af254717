"""Near-duplicate text: MinHash signatures over word shingles, and bands to find candidates.

Stories pasted from a campaign template, or sent twice with a few words changed, share most
of their three-word shingles. A signature keeps, for each of PERMUTATIONS hash functions,
the least hash over the text's shingles; the share of positions where two signatures agree
estimates the Jaccard similarity of the shingle sets. Split into BANDS bands of ROWS values,
two texts about THRESHOLD alike or more very likely share a whole band: a new text is
compared only with the items sharing one of its bands (a lookup per band), never with all.
Pure: text in, numbers out.
"""

from __future__ import annotations

import hashlib
import operator
import random
import re
import unicodedata

# At import, not at the first story (as the audit's highspy is): numpy costs every process
# about 0.1 s and 12 MB to load, and gunicorn loads the app once before it forks (preload_app),
# so the workers share those pages rather than each load its own copy at its first story.
import numpy as np
from numpy.typing import NDArray

SHINGLE_WORDS = 3
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
# Estimated similarity from which an item is flagged as a likely duplicate. With 16 bands of
# 4 rows, a pair 0.6 alike shares a band with probability 1 - (1 - 0.6**4)**16 = 0.9.
THRESHOLD = 0.6
# Shorter texts say too little for their likeness to mean copying ("I waited four months").
MIN_WORDS = 12
_PRIME = (1 << 61) - 1
_RANDOM = random.Random(20261206)  # fixed: stored signatures must stay comparable
_PARAMETERS = [(_RANDOM.randrange(1, _PRIME), _RANDOM.randrange(0, _PRIME))
               for _ in range(PERMUTATIONS)]
# For `_minhash`: the prime and the masks of the low 30 and 31 bits as 64-bit numbers, and the
# parameters as columns, each a split into its high and low 31 bits.
_PRIME_64 = np.uint64(_PRIME)
_LOW_30, _LOW_31 = np.uint64((1 << 30) - 1), np.uint64((1 << 31) - 1)
_A = np.array([a for a, _ in _PARAMETERS], dtype=np.uint64)[:, np.newaxis]
_A_HIGH, _A_LOW = _A >> np.uint64(31), _A & _LOW_31
_B = np.array([b for _, b in _PARAMETERS], dtype=np.uint64)[:, np.newaxis]
_WORD = re.compile(r"\w+")

Signature = tuple[int, ...]


def words(text: str) -> list[str]:
    """The text's words, case-folded and without accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def shingles(text: str) -> set[str]:
    return _shingles_of(words(text))


def _shingles_of(found: list[str]) -> set[str]:
    return {" ".join(found[i:i + SHINGLE_WORDS])
            for i in range(max(len(found) - SHINGLE_WORDS + 1, 1))}


def signature(text: str) -> Signature | None:
    """The MinHash signature, or None for a text too short to compare."""
    found = words(text)  # once, for the length and the shingles
    if len(found) < MIN_WORDS:
        return None
    digests = b"".join(hashlib.blake2b(shingle.encode(), digest_size=8).digest()
                       for shingle in _shingles_of(found))
    return _minhash(np.frombuffer(digests, dtype=">u8").astype(np.uint64))


def _minhash(hashes: NDArray[np.uint64]) -> Signature:
    """For each (a, b) of _PARAMETERS, the least (a * h + b) mod _PRIME over the hashes h.

    Exactly the integers of the plain formula in Python ints (tests/unit/test_neardup.py checks
    them against it), in 64-bit arithmetic: a 125-bit product per shingle and
    permutation cost a Python int about 1 ms a story, with the worker busy in the form post.
    No intermediate value reaches 2**64, because 2**61 = 1 modulo the prime (2**61 - 1):
    with h < 2**61, a = a1 * 2**31 + a0 and h = h1 * 2**31 + h0 (a1, h1 < 2**30),
      a * h = a1 h1 2**62 + m 2**31 + a0 h0, where m = a1 h0 + a0 h1 < 2**62;
      2**62 = 2, and m 2**31 = m1 2**61 + m0 2**31 = m1 + m0 2**31 (m = m1 2**30 + m0);
    so a * h + b is congruent to 2 a1 h1 + m1 + m0 2**31 + a0 h0 + b, which is below 2**64.
    """
    h = _reduced(hashes)[np.newaxis, :]
    h_high, h_low = h >> np.uint64(31), h & _LOW_31
    m = _A_HIGH * h_low + _A_LOW * h_high
    total = (np.uint64(2) * _A_HIGH * h_high + (m >> np.uint64(30))
             + ((m & _LOW_30) << np.uint64(31)) + _A_LOW * h_low + _B)
    return tuple(int(value) for value in _reduced(total).min(axis=1))


def _reduced(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Values below 2**64, modulo _PRIME: x = x1 2**61 + x0 is congruent to x1 + x0, which is
    at most _PRIME + 7, so one subtraction finishes it."""
    folded = (values & _PRIME_64) + (values >> np.uint64(61))
    return np.where(folded >= _PRIME_64, folded - _PRIME_64, folded)


def bands(sig: Signature) -> list[tuple[int, str]]:
    """(band number, bucket) pairs: texts sharing one are candidates."""
    return [(band, hashlib.blake2b(repr(sig[band * ROWS:(band + 1) * ROWS]).encode(),
                                   digest_size=8).hexdigest())
            for band in range(BANDS)]


def similarity(first: Signature, second: Signature) -> float:
    """The estimated Jaccard similarity of the two texts' shingles."""
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def encode(sig: Signature) -> str:
    """The stored form: each value in lowercase hex without leading zeros, so that two values
    are equal exactly when their texts are (what `similarity_to_stored` relies on)."""
    return ",".join(format(value, "x") for value in sig)


def stored_parts(sig: Signature) -> list[str]:
    """The signature's values as `encode` writes them, to compare with stored signatures."""
    return encode(sig).split(",")


def similarity_to_stored(parts: list[str], stored: str) -> float:
    """`similarity(sig, decode(stored))` for `parts = stored_parts(sig)`, compared as text.

    A new story is compared with every earlier one that shares a band: a campaign template
    sent a thousand times means a thousand comparisons per arrival. Comparing the stored hex
    values as strings costs a fifth of parsing each into an integer first.
    """
    other = stored.split(",")
    if len(other) != len(parts):
        raise ValueError("a stored signature of another length")
    matches: int = sum(map(operator.eq, parts, other))
    return matches / len(parts)


def decode(text: str) -> Signature:
    return tuple(int(value, 16) for value in text.split(","))
