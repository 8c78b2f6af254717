"""The Spanish catalogue calls a statistics release "edición", never "publicación".

A release is a numbered, dated edition that never changes; "publicación" also means any
publication or post, and the site publishes stories too, so the two words for one thing (on
the same page, the officials' report or /stats) read as two things. The catalogue had both.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parents[2] / "translations" / "es" / "LC_MESSAGES" / "messages.po"
# Every "release" or "releases" in our msgids is the noun (a statistics release); "released",
# a verb, does not match.
RELEASE = re.compile(r"\breleases?\b", re.IGNORECASE)
PUBLICATION = re.compile(r"\bpublicaci(?:ón|ones)\b", re.IGNORECASE)


def _forms(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message's singular and plural forms (msgid or msgstr) as a tuple."""
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)


def _says_release_as_publication(message: Message) -> bool:
    if not any(RELEASE.search(msgid) for msgid in _forms(message.id)):
        return False
    return any(PUBLICATION.search(msgstr) for msgstr in _forms(message.string))


def test_a_release_is_an_edicion_in_every_spanish_message() -> None:
    with CATALOGUE.open("rb") as po_file:
        catalogue = read_po(po_file, locale="es")
    translated = [message for message in catalogue if message.id and message.string]
    # A catalogue that failed to read would pass below for nothing: it holds many releases.
    assert sum(1 for message in translated if RELEASE.search(_forms(message.id)[0])) > 50
    wrong = [_forms(message.id)[0][:80] for message in translated
             if _says_release_as_publication(message)]
    assert not wrong, f"'release' translated as 'publicación' in {len(wrong)} messages: {wrong}"
