"""Checks run on every submission as it arrives: personal data, crisis language, duplicates.

Pure: no Flask, no database. Finders return sorted, non-overlapping spans for the review page
to highlight. They err toward flagging: a moderator reads every story anyway, and a missed
telephone number or cry for help costs far more than a highlight the moderator dismisses.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from testimonials.vocab import Flag

EMAIL, PHONE, RECORD, NAME, CRISIS = "email", "phone", "record", "name", "crisis"
ADDRESS, BIRTH, HANDLE = "address", "birth", "handle"
# When two different kinds overlap, the longer span wins; on a tie, the more specific kind.
_PRIORITY = {EMAIL: 0, PHONE: 1, RECORD: 2, BIRTH: 3, ADDRESS: 4, HANDLE: 5, NAME: 6, CRISIS: 7}


@dataclass(frozen=True, slots=True)
class Match:
    """The span `text[start:end]` of the checked text and what it looks like."""

    start: int
    end: int
    kind: str
    text: str


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Matching is on a folded copy (lower case, no accents), so these lists are folded too.
_HONORIFICS = _words(
    "dr dra doctor doctora nurse mr mrs ms mx miss prof professor sr sra srta senor senora",
    "senorita don dona enfermera enfermero lic licenciada licenciado",
)
_COMMON_WORD_TITLES = _words("miss don")  # titles only when capitalised
_ROLES = _words(
    "therapist psychiatrist psychologist counselor counsellor clinician doctor nurse worker",
    "social manager provider prescriber practitioner intern receptionist coordinator son",
    "daughter child kid husband wife partner boyfriend girlfriend mom mother dad father",
    "brother sister friend grandson granddaughter stepson stepdaughter niece nephew cousin",
    "terapeuta psiquiatra psicologo psicologa consejero consejera doctora medico medica",
    "enfermera enfermero trabajadora trabajador hijo hija esposo esposa marido pareja mama",
    "madre papa padre hermano hermana amigo amiga nieto nieta sobrino sobrina primo prima",
)
_INTRODUCERS = _words("named called llamado llamada llamaba se llama")
_CONNECTORS = _words("de del la las los van von der den da di dos du")
# Capitalised words that are never part of a person's name, even after "Dr." or "my son".
_NEVER_NAMES = _HONORIFICS | _ROLES | _words(
    "i i'm i've i'd i'll a an the and or but so then when after before because if in on at",
    "of for to from with without by about into my our your his her their its this that these",
    "those there here what why how who we he she they it you me him them please thank thanks",
    "yes no not no one everyone nobody god el la los las un una y pero cuando despues antes",
    "mi mis su sus nuestro en de del por para con sin que yo ella ellos nosotros gracias dios",
    "monday tuesday wednesday thursday friday saturday sunday lunes martes miercoles jueves",
    "viernes sabado domingo january february march april may june july august september",
    "october november december enero febrero marzo abril mayo junio julio agosto septiembre",
    "octubre noviembre diciembre christmas thanksgiving easter new year years eve day navidad",
    "health healthcare hospital medical center centre clinic group foundation department",
    "services service behavioral behavioural mental psychiatric psychiatry emergency room",
    "urgent care crisis suicide prevention lifeline hotline line text national alliance",
    "illness help plan insurance member members advice appointment appointments team office",
    "program division network unit intensive outpatient inpatient partial hospitalization",
    "department security media therapy individual adolescent children family families",
    "one two three four five six seven eight nine ten eleven twelve half hours days weeks",
    "months still waiting waited wait never finally got",
    "street st avenue ave road rd boulevard blvd drive way park lake hills beach creek mount",
    "mt river port fort point",
    "school high university college district unified county city state states united",
    "english spanish latino latina latinx black white asian american mexican covid zoom",
    "salud mental centro clinica hospital servicios urgencias emergencias seguro linea",
)
# Places and organisations that often stand two in a row ("Kaiser Permanente", "Walnut
# Creek"). Only the first word of "San Jose", "Santa Cruz" is listed: the second is often
# a person's name too. A title or a role still makes the next word a name ("Dr. Richmond").
_PLACES = _words(
    "kaiser permanente sutter dignity blue shield anthem aetna cigna medi-cal medicare",
    "medicaid covered california nuhw nami dmhc oakland richmond fremont hayward berkeley",
    "vallejo antioch pleasanton livermore sacramento roseville fresno modesto stockton",
    "manteca tracy santa san petaluma napa vacaville fairfield redwood daly walnut mission",
    "los angeles south north east west bay area central valley alameda contra costa marin",
    "sonoma solano riverside ventura irvine anaheim pasadena palo alto mountain sunnyvale",
    "milpitas union concord pittsburg dublin merced salinas",
    # The first words of the other facility cities in testimonials/demo/facilities.csv.
    "bakersfield baldwin camarillo campbell chula downey el elk folsom fontana garden gilroy",
    "harbor huntington lancaster murrieta novato oxnard palm panorama redlands rohnert",
    "thousand victorville woodland",
)
_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})

_ASCII_RUN_OR_CHAR = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SPACES = re.compile(r"[^\S\n]+")
_SENTENCE_BREAK = re.compile(r"[.!?\u2026:;\u00bf\u00a1\"\u201c\u201d\u00ab\u00bb\n]")

# Each starts only where a run of name characters starts: trying every position inside a
# long run would take quadratic time on a hostile 10,000-character story.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.+-])[\w.+-]+ ?[\[(]at[\])] ?[\w-]+ ?(?:\.|[\[(]dot[\])]) ?[a-z]{2,}\b"
    r"|(?<![\w.+-])[\w.+-]+ (?:at|arroba) [\w-]+ (?:dot|punto) (?:com|net|org|edu|gov|us|mx)\b",
    re.IGNORECASE,
)
# North American numbers: area code and exchange start with 2-9, so years, "3 months",
# "03/2024", ZIP+4 codes and money do not fit. Digits, dots or slashes around them mean a
# longer number, a date or a decimal.
_NOT_BEFORE_NUMBER = r"(?<![\w$/+.,-])"
_NOT_AFTER_NUMBER = r"(?![\w/]|[.,-][0-9])"
_PHONE = re.compile(
    _NOT_BEFORE_NUMBER + r"(?:\+?1[ .-]?)?"
    r"(?:\((?P<area>[2-9][0-9]{2})\) ?|(?P<area2>[2-9][0-9]{2})[ .-]?)"
    r"[2-9][0-9]{2}[ .-]?[0-9]{4}" + _NOT_AFTER_NUMBER
    + "|" + _NOT_BEFORE_NUMBER + r"[2-9][0-9]{2}[.-][0-9]{4}" + _NOT_AFTER_NUMBER
)
_SSN = re.compile(r"(?<![\w-])[0-9]{3}-[0-9]{2}-[0-9]{4}(?![\w-])")
# Seven or more digits in a row are an identifier of some kind in a story about waiting.
_LONG_NUMBER = re.compile(r"(?<![.,$])\b[A-Za-z]{0,3}[0-9]{7,}\b(?![.,][0-9])")
_NUM = r"(?:numbers?\b|num\b\.?|nbr\b|no\.|no(?=[ \t]*[:#]?[ \t]*[0-9])|#|n\u00b0)"
_RECORD_LABEL = (
    r"\bmrn\b|\bssn\b"
    rf"|\b(?:medical |health |patient )?records? ?{_NUM}"
    r"|\b(?:member|membership|patient|subscriber|policy|account|chart|claim|case|health plan"
    rf"|insurance|kaiser|kp|medi-?cal|medicare|medicaid|cin|social security) ?(?:id\b|{_NUM})"
    rf"|\bid ?{_NUM}"
    r"|\b(?:numero|no\.?|n\u00b0) de (?:expediente|registro|miembro|afiliad[oa]|afiliacion"
    r"|paciente|poliza|seguro social|historia(?: clinica)?|cuenta|caso|identificacion)\b"
    r"|\bexpediente(?: medico| clinico)? ?(?:#|numero|no\.|n\u00b0)"
)
# The label, then the identifier if one follows: "MRN: 12345678", "member ID is KP-123456".
_RECORD = re.compile(
    rf"(?:{_RECORD_LABEL})(?:[ \t]*[:#=]?[ \t]*(?:(?:is|was|es|era)[ \t]+)?[:#]?[ \t]*"
    r"[a-z]{0,3}-?[0-9](?:-?[0-9]){3,})?"
)

# A house number, a street's name in capitals (or an ordinal: "5th") and a street word:
# "123 Main Street", "4500 W. Olive Ave". Without a street word a number is not an address
# ("I waited 123 days"), and a street word without a number is a facility's name at most
# ("Main Street Clinic"): neither is flagged. Spanish order too: "Calle Olivo 123".
_STREET_WORD = (
    r"(?i:street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct"
    r"|place|pl|circle|cir|terrace|ter|parkway|pkwy|highway|hwy|trail|trl|square|sq)\b\.?"
)
_STREET_NAME = r"(?:[A-Z][\w'-]*|[0-9]+(?:st|nd|rd|th))"
_ADDRESS = re.compile(
    # Only where an address can start (a digit, or the first letter of a word below): most
    # positions of a story are then refused at once, not by each alternative in turn.
    r"(?=[0-9ACPSUacdp])(?:"
    r"(?<![\w$.,/-])[0-9]{1,6}[A-Za-z]?[ \t]+(?:(?:[NSEW]\.?|North|South|East|West)[ \t]+)?"
    rf"(?:{_STREET_NAME}[ \t]+){{1,3}}{_STREET_WORD}"
    r"|\b(?:Calle|Avenida|Av\.|Camino|Paseo)[ \t]+(?:[A-Z][\w'-]*[ \t]+){1,3}(?:No\.?[ \t]*|#[ \t]*)?"  # noqa: E501
    r"[0-9]{1,6}\b"
    # A flat or suite: "Apt 4B", "apt. #12", "Suite 200", "Unit C"; and a post-office box.
    r"|\b(?:(?i:apt|apartment|apto|depto|departamento)\.?|Unit|Suite|Ste\.?)[ \t]*#?[ \t]*"
    r"(?:[0-9]{1,5}[A-Za-z]?|[A-Z])\b"
    r"|\b(?i:p\.?[ \t]?o\.?[ \t]*box)[ \t]*[0-9]{1,6}\b)"
)
# A date of birth is a date said to be one: "DOB 03/04/1990", "born on March 4, 1990",
# "date of birth: 3-4-90", "fecha de nacimiento: 4 de marzo de 1990". A date alone is an
# appointment as often as not, so only the label makes it personal data. On folded text.
_MONTH = (r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?|january|february|march"
          r"|april|may|june|july|august|september|october|november|december|enero|febrero"
          r"|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre"
          r"|diciembre")
_DATE = (r"(?:[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})\b"
         rf"|(?:{_MONTH})[ \t]+[0-9]{{1,2}}(?:st|nd|rd|th)?,?[ \t]+[0-9]{{4}}\b"
         rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:de[ \t]+|of[ \t]+)?(?:{_MONTH}),?"
         r"[ \t]+(?:de[ \t]+)?[0-9]{4}\b)")
_BIRTH = re.compile(
    r"\b(?:dob|d\.o\.b|date of birth|birth ?date|birthday|born(?: on)?|fecha de nacimiento"
    r"|nacid[oa](?: el)?|naci(?: el)?|cumpleanos)\b\.?[ \t]*(?:[:=-][ \t]*)?"
    rf"(?:(?:is|was|es|era|fue)[ \t]+)?(?:the[ \t]+|el[ \t]+)?{_DATE}"
)
# A social-media handle: "@sarah_waits", not the "@" of an e-mail address, "@ 5pm" or "@5pm".
_HANDLE = re.compile(r"(?<![\w.%+@-])@(?![0-9]{1,2}(?::[0-9]{2})? ?(?:[ap]\.?m\b|h\b))"
                     r"[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@]|\.[A-Za-z0-9])")


def _phrases(*patterns: str) -> re.Pattern[str]:
    """One pattern of whole-word phrases in which a space stands for any run of whitespace."""
    return re.compile(r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in patterns) + r")\b")


# On folded text. "die", "kill" and "dying" alone never flag: "I'd die for a decent
# appointment" and "this wait is killing me" are frustration, not danger. Mentions such
# as "suicide prevention hotline" do flag: a moderator glances at them, no harm done.
_CRISIS = _phrases(
    r"suicid\w*", r"self[- ]?harm\w*", r"overdos\w*", r"(?:end|ends|ending|ended) it all",
    r"rather be dead",
    r"kill(?:s|ed|ing)? (?:my|him|her|them|our)\s*sel(?:f|ves)",
    r"(?:end|ending|ended|take|taking|took) (?:my|his|her|their|our) (?:own )?li(?:fe|ves)",
    r"(?:want|wants|wanted|wanting|wanna|ready) (?:to )?die",
    r"(?:want|wants|wanted|wanting) to be dead", r"better off (?:dead|without me)",
    r"wish(?:ed)? (?:i|he|she) (?:was|were|could|would) (?:be )?(?:dead|die)",
    r"(?:harm|harmed|harming|hurt|hurting|cut|cuts|cutting) (?:my|him|her|them)\s*sel(?:f|ves)",
    r"(?:hang|hanged|hanging|shoot|shot) (?:my|him|her)\s*self", r"slit (?:my|his|her) wrists?",
    r"no reason (?:to|for) liv\w*", r"nothing (?:left )?to live for", r"not worth living",
    r"(?:don'?t|do not|didn'?t|did not|doesn'?t|does not) want to (?:live|be alive)",
    r"(?:don'?t|do not|didn'?t|did not|doesn'?t|does not) want to (?:be here|be around|exist)"
    r" (?:anymore|any more|any longer)",
    r"(?:don'?t|do not|didn'?t|did not) want to wake up", r"(?:want|wanted) to disappear forever",
    r"(?:call|called|calling|text|texted|texting) (?:the )?988",
    # Spanish, on text without accents.
    r"matar(?:me|se|te)", r"quitar(?:me|se|te) la vida", r"sobredosis", r"auto[- ]?lesi\w*",
    r"(?:me|se) (?:quiero|queria|quise|quisiera|voy a|iba a|intente|intento|trate de) matar",
    r"(?:me|se) (?:quiero |queria |quise |quiso |intente |intento )?quit\w* la vida",
    r"(?:acabar|terminar) con (?:mi|su) vida", r"poner fin a (?:mi|su) vida",
    # "acabar con todo el papeleo" is paperwork; "acabar con todo" alone is not.
    r"(?:acabar|terminar|acabo|termino) con todo(?! (?:el|la|los|las|lo|esto|eso|este|esta)\b)",
    r"ya no quiero (?:estar aqui|seguir aqui|existir|despertar)",
    r"no (?:quiero|queria) despertar(?:me)?",
    r"no (?:quiero|queria|quise|quisiera) (?:seguir )?viv\w*", r"ganas de morir\w*",
    r"(?:quiero|queria|quisiera|deseo|deseaba) morir\w*", r"hacer(?:me|se|te) dano",
    r"(?:sin|ninguna|no tengo|no tenia) (?:una )?razon (?:para|de) vivir", r"lastimar(?:me|se)",
    r"(?:mejor|preferiria estar|prefiero estar) muert[oa]s?",
    r"(?:llame|llamar|llamo|marque|marcar) (?:al )?988",
    # "cortarme el pelo" is a haircut.
    r"(?:cortar(?:me|se)|(?:me|se) cortaba)(?! (?:el|los|las|la) (?:pelo|cabello|unas|barba))",
)


def find_personal_data(text: str) -> list[Match]:
    """Sorted, non-overlapping spans that look like e-mails, phones, record numbers or names."""
    return _resolve(text, _personal_data(text))


def has_personal_data(text: str) -> bool:
    """Whether `find_personal_data` finds anything. The first span found answers (resolving
    the spans keeps at least one of them), and the checks after it never run: an arrival's
    flags need only the answer, not every span sorted out."""
    return next(_personal_data(text), None) is not None


def _personal_data(text: str) -> Iterator[Match]:
    """Every span that looks like personal data, overlapping, check after check, as asked."""
    yield from _regex_matches(text, _EMAIL, EMAIL)
    yield from _phone_matches(text)
    yield from _regex_matches(text, _SSN, RECORD)
    yield from _regex_matches(text, _LONG_NUMBER, RECORD)
    folded, origin = _fold(text)
    yield from _folded_matches(text, folded, origin, _RECORD, RECORD)
    yield from _regex_matches(text, _ADDRESS, ADDRESS)
    yield from _folded_matches(text, folded, origin, _BIRTH, BIRTH)
    yield from _regex_matches(text, _HANDLE, HANDLE)
    yield from _name_matches(text)


def identifying(text: str) -> list[Match]:
    """The personal data that still identifies someone: a record label with no number after
    it ("my medical record number", left after a redaction) names nothing and is left out."""
    return [match for match in find_personal_data(text)
            if match.kind != RECORD or any(char.isdigit() for char in match.text)]


def find_crisis(text: str) -> list[Match]:
    """Sorted, non-overlapping spans of suicide or self-harm language, English or Spanish."""
    folded, origin = _fold(text)
    return _resolve(text, _folded_matches(text, folded, origin, _CRISIS, CRISIS))


def mentions_crisis(text: str) -> bool:
    """Whether the text speaks of suicide or self-harm (see `find_crisis`): its first span
    answers."""
    folded, origin = _fold(text)
    return next(_folded_matches(text, folded, origin, _CRISIS, CRISIS), None) is not None


def compute_flags(title: str | None, story: str | None, *, is_duplicate: bool,
                  other_clinic: str | None = None) -> Flag:
    """The flags a submission gets on arrival, from its title, its story, the "other clinic"
    answer (where a name, a phone or an address is personal data too) and the duplicate check.

    A clinic's own name can look like a person's ("John Muir Behavioral Health"): it is
    flagged all the same, since a moderator reads the item anyway and a missed name costs more.
    """
    texts = [title or "", story or ""]
    flags = Flag(0)
    if any(has_personal_data(text) for text in texts) or looks_personal_clinic(other_clinic):
        flags |= Flag.PERSONAL_DATA
    if any(mentions_crisis(text) for text in texts):
        flags |= Flag.CRISIS
    if is_duplicate:
        flags |= Flag.DUPLICATE
    return flags


def looks_personal_clinic(other_clinic: str | None) -> bool:
    """Whether the "other clinic" answer holds personal data: what a story would flag, or a
    short answer made only of name-like words ("Maria Lopez"; a clinic's name has a word
    such as "Center" or "Health", or a place, that is never a name)."""
    if not other_clinic:
        return False
    if has_personal_data(other_clinic):
        return True
    tokens = _tokens(other_clinic)
    return 2 <= len(tokens) <= 4 and all(_is_name_word(token, True) for token in tokens)


def _fold(text: str) -> tuple[str, list[int]]:
    """A lower-case copy without accents and, for each of its characters, the index in `text`."""
    if text.isascii():  # most stories: one C-level pass instead of one Python step per letter
        return text.lower().replace("`", "'"), list(range(len(text)))
    pieces: list[str] = []
    origin: list[int] = []
    # ASCII runs go through in bulk; only the other characters are decomposed one by one.
    for run in _ASCII_RUN_OR_CHAR.finditer(text):
        index, chunk = run.start(), run.group()
        if chunk.isascii():
            pieces.append(chunk.lower().replace("`", "'"))
            origin.extend(range(index, index + len(chunk)))
            continue
        for part in unicodedata.normalize("NFKD", chunk).lower():
            if not unicodedata.combining(part):
                pieces.append(_APOSTROPHES.get(part, part))
                origin.append(index)
    return "".join(pieces), origin


def _fold_word(word: str) -> str:
    """`_fold` of one word, without the index map nobody needs for a word."""
    return word.lower().replace("`", "'") if word.isascii() else _fold(word)[0]


def _folded_matches(
    text: str, folded: str, origin: list[int], pattern: re.Pattern[str], kind: str
) -> Iterator[Match]:
    """Matches of `pattern` in the folded copy, mapped back to spans of `text`."""
    for found in pattern.finditer(folded):
        if found.end() > found.start():
            start = origin[found.start()]
            end = origin[found.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1  # keep an accent typed as a separate mark with its letter
            yield Match(start, end, kind, text[start:end])


def _regex_matches(text: str, pattern: re.Pattern[str], kind: str) -> Iterator[Match]:
    for found in pattern.finditer(text):
        yield Match(found.start(), found.end(), kind, found.group())


def _phone_matches(text: str) -> Iterator[Match]:
    """Phone numbers, except toll-free ones: those are hotlines and offices, not people."""
    for found in _PHONE.finditer(text):
        if (found.group("area") or found.group("area2")) not in _TOLL_FREE:
            yield Match(found.start(), found.end(), PHONE, found.group())


class _Token(NamedTuple):
    start: int
    end: int
    key: str  # folded, without a possessive "'s"
    capital: bool  # "Sarah", "O'Brien"; not "sarah", "ADHD" or "I"
    gap: str  # what stands between it and the previous word, but spaces; "\n" for the first
    sentence_start: bool
    title_line: bool  # on a short line in Title Case, where capitals say nothing

    @property
    def joined(self) -> bool:
        return self.gap == ""


def _tokens(text: str) -> list[_Token]:
    """The words of `text` with what the name heuristics need to know about each."""
    spans = [(found.start(), found.end(), found.group()) for found in _WORD.finditer(text)]
    tokens: list[_Token] = []
    previous_end, previous_key = 0, ""
    for (start, end, word), title_line in zip(spans, _on_title_case_line(text, spans), strict=True):
        gap = _SPACES.sub("", text[previous_end:start]) if tokens else "\n"
        after_title = previous_key in _HONORIFICS and gap == "."  # "Dr. Lopez" goes on
        sentence_start = bool(_SENTENCE_BREAK.search(gap)) and not after_title
        key = _fold_word(re.sub(r"['\u2019]s$", "", word))
        capital = len(word) > 1 and word[0].isupper() and not word.isupper()
        tokens.append(_Token(start, end, key, capital, gap, sentence_start, title_line))
        previous_end, previous_key = end, key
    return tokens


def _on_title_case_line(text: str, spans: list[tuple[int, int, str]]) -> list[bool]:
    """Per word, whether its line is short and Title Case: later words of 3+ letters capitalised."""
    numbers: list[int] = []
    lines: dict[int, list[str]] = {}
    line, scanned = 0, 0
    for start, _, word in spans:
        line, scanned = line + text.count("\n", scanned, start), start
        numbers.append(line)
        lines.setdefault(line, []).append(word)
    title_lines = {
        number
        for number, words in lines.items()
        if len(words) <= 12
        and len(rest := [word for word in words[1:] if len(word) >= 3]) >= 2
        and all(word[0].isupper() for word in rest)
    }
    return [number in title_lines for number in numbers]


def _name_matches(text: str) -> Iterator[Match]:
    """Likely personal names: after a title or a role, or several capitalised words in a row."""
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        if token.key in _HONORIFICS and (token.capital or token.key not in _COMMON_WORD_TITLES):
            yield from _name_after(text, tokens, index + 1, token.start, gaps=("", ".", ","))
        if token.key in _ROLES:
            following = index + 1
            while following < len(tokens) and tokens[following].key in _INTRODUCERS:
                following += 1
            if following < len(tokens):
                start = tokens[following].start
                yield from _name_after(text, tokens, following, start, gaps=("", ","))
    yield from _capitalised_runs(text, tokens)


def _is_name_word(token: _Token, strict: bool) -> bool:
    return token.capital and token.key not in _NEVER_NAMES and not (strict and token.key in _PLACES)


def _name_run(tokens: list[_Token], index: int, *, strict: bool) -> int:
    """The index after up to four name words from `index`, with "de la", "van"... between."""
    end, names = index, 0
    while end < len(tokens) and names < 4 and (end == index or tokens[end].joined):
        if _is_name_word(tokens[end], strict):
            end, names = end + 1, names + 1
            continue
        after = end
        while after < len(tokens) and tokens[after].joined and tokens[after].key in _CONNECTORS:
            after += 1
        if not (names and end < after < len(tokens) and tokens[after].joined):
            break
        if not _is_name_word(tokens[after], strict):
            break
        end = after
    return end


def _name_after(
    text: str, tokens: list[_Token], index: int, start: int, *, gaps: tuple[str, ...]
) -> Iterator[Match]:
    """The name right after a title ("Dr. Lopez") or a role ("my son, Ethan"), if any."""
    if index < len(tokens) and tokens[index].gap in gaps:
        end = _name_run(tokens, index, strict=False)
        if end > index:
            yield Match(start, tokens[end - 1].end, NAME, text[start : tokens[end - 1].end])


def _capitalised_runs(text: str, tokens: list[_Token]) -> Iterator[Match]:
    """Two to four capitalised words in a row, not places, nor a sentence's first word."""
    index = 0
    while index < len(tokens):
        end = _name_run(tokens, index, strict=True)
        if end == index:
            index += 1
            continue
        tail = end  # five capitalised words in a row are a heading or the name of a body
        while tail < len(tokens) and tokens[tail].joined and _is_name_word(tokens[tail], True):
            tail += 1
        names = [token for token in tokens[index:end] if _is_name_word(token, True)]
        if tokens[index].sentence_start:
            names = names[1:]
        if tail == end and len(names) >= 2 and not tokens[index].title_line:
            yield Match(names[0].start, names[-1].end, NAME, text[names[0].start : names[-1].end])
        index = tail


def _resolve(text: str, matches: Iterable[Match]) -> list[Match]:
    """Sorted, non-overlapping matches: same-kind overlaps merged, otherwise the longest wins."""
    merged: list[Match] = []
    for match in sorted(matches, key=lambda m: (m.kind, m.start)):
        last = merged[-1] if merged else None
        if last and last.kind == match.kind and match.start < last.end:
            end = max(last.end, match.end)
            merged[-1] = Match(last.start, end, last.kind, text[last.start : end])
        else:
            merged.append(match)
    chosen: list[Match] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for match in sorted(merged, key=lambda m: (m.start - m.end, _PRIORITY[m.kind], m.start)):
        at = bisect.bisect_left(starts, match.start)
        if at > 0 and chosen[at - 1].end > match.start:
            continue
        if at < len(chosen) and chosen[at].start < match.end:
            continue
        chosen.insert(at, match)
        starts.insert(at, match.start)
    return chosen
