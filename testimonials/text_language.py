"""The language a story is written in (English or Spanish), told from its most common words.

A submission's `language` is the interface the patient used; many write in the other one (a
Spanish speaker on the English form, a bilingual family). Screen readers need the language of
the words themselves (`lang` on the story's text), so the story's own language is recorded
beside it as `story_language`.

Why a word list, not a detector package: the site takes two languages, and telling those two
apart in a paragraph is what their commonest function words do best (they make up a third or
more of any text, and the lists below barely overlap). A general detector (py3langid,
lingua) brings a model of some hundred languages, megabytes in every worker, and answers
Portuguese or Galician for Spanish that a two-way choice cannot get wrong. Short or mixed texts
are answered None (not known), never a guess: the page then falls back on the interface's
language. Linear in the text, no state. Pure: no Flask, no database.
"""

from __future__ import annotations

import re

from testimonials.vocab import Language

# Frequent words of each language that are not words of the other ("a", "no", "me", "son"
# and "he" are both, and left out). Lower case, accents as written.
ENGLISH = frozenset("""
the and to of i was my it that in for is with they had have not but me be this on at
were we she her his you are been would could from there when what an or so did all said
just after even because about by months weeks waited waiting appointment therapist doctor
told finally still which who their them our got than then only again
""".split())
SPANISH = frozenset("""
de la que el en y los se del las un por con una su para es al lo como más pero sus le ya o
este mi muy fue ha cuando meses semanas cita esperé espera esperando terapeuta médico
dijeron nunca porque hasta sin sobre también hay está estaba tenía había mis nos ni eso
después otra otro año años días todo dijo
""".split())
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Below this many telling words the text is too short to say.
MIN_EVIDENCE = 4
# The winner needs this many times the other's count: mixed texts stay unknown.
MARGIN = 2.0
# Enough to decide: the first words of a long story say what the rest would.
SAMPLE_CHARACTERS = 4000


def detect(text: str | None) -> Language | None:
    """English or Spanish, or None when the text is too short or too mixed to tell."""
    if not text:
        return None
    english = spanish = 0
    for match in WORD.finditer(text[:SAMPLE_CHARACTERS]):
        word = match.group().lower()
        english += word in ENGLISH
        spanish += word in SPANISH
    if english + spanish < MIN_EVIDENCE:
        return None
    if english >= MARGIN * spanish:
        return Language.EN
    if spanish >= MARGIN * english:
        return Language.ES
    return None
