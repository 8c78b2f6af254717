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
    hashes = [int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
              for shingle in _shingles_of(found)]
    # Lists, not generators, inside min(): a sixth less CPU for these 64 x shingles products.
    return tuple([min([(a * value + b) % _PRIME for value in hashes]) for a, b in _PARAMETERS])


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
