"""The words a release's documents say, fixed when the release is cut (pure).

A release keeps its address byte for byte (issue 14), so its CSV, JSON and API must not say
what today's code, catalogue or configuration would say: the methods note, the marker of a
hidden group, the labels of care types, waits, outcomes, quarters and bands, and the licence
are stored in the document at the cut (release format 5 on, "texts" and "licence"), in every
language the site offered then. Labels are stored by a stable id ("care:1", "band:0-14"), not
by their English text, so that rewording a label in the code changes no stored release.

Format 5 documents cut since the review of issue 14 also store, in each language, the
sentence said of a hidden count of people ("people_withheld", on the page, the report and the
home page) and the data package's title with the site's name ("package_title"). Documents
cut before have neither: their files say today's title, as they always did, and their pages
today's sentence (a page had no sentence for a hidden count before).

The marker and the sentence name both reasons a group is hidden (a small count, or a small
change since the last release that showed it) in releases cut since they were reworded so;
releases cut before keep the words they stored, which named only the first, and a release
that stored no sentence says today's.

Releases cut before format 5 stored none of this; they are served with the words of
`wording_v4.json`, the note and labels as the code said them when format 5 came (so what
they served then, they serve for good), rendered by `note_from_templates`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from testimonials.stats import methods, quarters
from testimonials.stats.bands import BANDS
from testimonials.stats.page import TOTAL_LABEL
from testimonials.stats.universe import (
    CARE_LABELS,
    NOT_STATED_LABELS,
    OUTCOME_LABELS,
    SERIES_LABELS,
)

Translate = Callable[[str], str]
OnStandard = methods.OnStandard
LEGACY_FILE = Path(__file__).with_name("wording_v4.json")
FALLBACK = "en"
# The data package's title (`package_title`, stored with the site's name in each language).
PACKAGE_TITLE = methods.N_("%(site)s: how long patients waited for mental-health care")


def label_ids() -> dict[str, str]:
    """Every label a release document may translate, by stable id -> today's English msgid."""
    return {
        **{f"series:{name}": text for name, text in SERIES_LABELS.items()},
        **{f"care:{bit}": text for bit, text in CARE_LABELS.items()},
        **{f"outcome:{name}": text for name, text in OUTCOME_LABELS.items()},
        **{f"none:{name}": text for name, text in NOT_STATED_LABELS.items()},
        "total": TOTAL_LABEL,
        **{f"quarter:{number}": text for number, text in quarters.LABELS.items()},
        **{f"band:{band.key}": band.label for band in BANDS},
    }


def texts(translate: Translate, min_cell: int, on_standard: OnStandard) -> dict[str, Any]:
    """What one language's documents of a release say, rendered now, to be stored."""
    return {
        "methods": methods.methods_note(min_cell, translate, on_standard),
        "suppressed": methods.suppressed_text(min_cell, translate),
        "people_withheld": methods.people_withheld(min_cell, translate),
        "words": {ident: translate(msgid) for ident, msgid in label_ids().items()},
    }


@dataclass(frozen=True)
class Wording:
    """One language's words of one release, as stored (or as frozen for older formats)."""

    language: str
    methods: str
    suppressed: str
    words: Mapping[str, str]
    english_words: Mapping[str, str]
    # Stored by releases cut since the review of issue 14 only (None before: see above).
    people_withheld: str | None = None
    package_title: str | None = None

    def translate(self, msgid: str) -> str:
        """The stored label for what today's code calls `msgid` (itself if never stored)."""
        ident = _ids_by_msgid().get(msgid)
        if ident is None:
            return msgid
        return self.words.get(ident, msgid)

    def band_label(self, band_key: str, fallback: str) -> str:
        """A band's label as the JSON gives it (in English, whatever the language)."""
        return self.english_words.get(f"band:{band_key}", fallback)


@cache
def _ids_by_msgid() -> dict[str, str]:
    return {msgid: ident for ident, msgid in label_ids().items()}


def stored(texts_by_language: Mapping[str, Mapping[str, Any]], language: str) -> Wording:
    """The wording a format 5 release stored, in `language` (English when it has none)."""
    chosen = language if language in texts_by_language else FALLBACK
    found = texts_by_language[chosen]
    english = texts_by_language.get(FALLBACK, found)
    return Wording(chosen, found["methods"], found["suppressed"], found["words"],
                   english["words"], found.get("people_withheld"), found.get("package_title"))


def legacy(language: str, min_cell: int, on_standard: OnStandard) -> Wording:
    """The wording of a release cut before format 5: the frozen note and labels."""
    frozen = _legacy_file()
    chosen = language if language in frozen else FALLBACK
    found = frozen[chosen]
    words = found["words"]
    return Wording(chosen, note_from_templates(found["note"], words, min_cell, on_standard),
                   found["note"]["hidden"] % methods.limits(min_cell), words,
                   frozen[FALLBACK]["words"])


@cache
def _legacy_file() -> dict[str, Any]:
    return dict(json.loads(LEGACY_FILE.read_text(encoding="utf-8")))


def templates(translate: Translate) -> dict[str, Any]:
    """Today's note and labels in one language, unrendered: what `wording_v4.json` holds."""
    return {
        "note": {
            "title": translate(methods.TITLE),
            "sections": [[translate(heading), translate(text)]
                         for heading, text in methods.SECTIONS],
            "on_standard": translate(methods.ON_STANDARD),
            "on_standard_item": translate(methods.ON_STANDARD_ITEM),
            "on_standard_few": translate(methods.ON_STANDARD_FEW),
            "on_standard_after": translate(methods.ON_STANDARD_AFTER),
            "hidden": translate(methods.HIDDEN),
        },
        "words": {ident: translate(msgid) for ident, msgid in label_ids().items()},
    }


def note_from_templates(note: Mapping[str, Any], words: Mapping[str, str], min_cell: int,
                        on_standard: OnStandard) -> str:
    """The methods note as `methods.methods_note` renders it, from stored templates."""
    values = {**methods.limits(min_cell), "hidden": note["hidden"] % methods.limits(min_cell)}
    labels = {msgid: words.get(ident, msgid) for ident, msgid in label_ids().items()}
    body = []
    for heading, text in note["sections"]:
        paragraph = text % values
        if heading == note["on_standard_after"] and on_standard:
            few = note["on_standard_few"] % {"min_cell": min_cell}
            items = "; ".join(note["on_standard_item"] % {
                "series": labels.get(label, label), "count": few if count is None else count}
                for label, count in on_standard)
            paragraph += " " + note["on_standard"] % {"counts": items}
        body.append(f"{heading} {paragraph}")
    return f"{note['title']}\n\n" + "\n\n".join(body) + "\n"
