"""Full-text search of published stories: SQLite FTS5 on SQLite, tsvector/GIN on PostgreSQL.

What a reader types is parsed here, in Python, into plain words; only those words reach
either engine, so no operator typed by a user (`"`, `-`, `*`, `OR`, `NEAR(`, `:`, `&`...) can
make a query fail. The grammar we offer on both engines alike:
  words              all must appear (in the title or the story)
  "two words"        the words must appear together, in that order
  -word              the word must not appear (alone, "-word" lists every story without it)
  word*              words that start with "word"
  a OR b             either side (upper-case OR)
Case and accents do not matter ("medico" finds "Médico"). Both engines see the same words:
FTS5's unicode61 tokenizer (diacritics removed) and PostgreSQL's 'simple' parser over text
whose accents and punctuation `FOLD_SQL` has folded the same way, so that the same data
gives the same results on both (for text in Latin scripts; PostgreSQL must run in a UTF-8
locale, as it does by default).

Results are ordered newest first like the rest of the list, not by relevance, so that the
same cursor paging works with or without a search.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    TextualSelect,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    text,
)
from sqlalchemy.orm import Session

from testimonials.models import Submission

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # more words than this add nothing but cost
MIN_PREFIX = 2  # "a*" would match half the index
SQLITE_FEW_MATCHES = 1000

# The SQLite index: an external-content FTS5 table over the public text of published stories,
# kept in step by triggers (migrations/versions/0004_search.py). Unpublished text never enters.
FTS_TABLE = "story_search"
# The PostgreSQL index: a stored generated tsvector column (NULL unless published) with a
# partial GIN index on it (same migration). Stored, not an expression index, so that checking a
# row costs a read rather than re-parsing its text; that lets the planner walk the newest
# stories for common words, and makes phrase rechecks cheap (measured: 2 s -> 2 ms).
PG_COLUMN = "search_document"
PG_INDEX = "ix_submission_search"


# Marks that accents are made of, once letters are decomposed (NFD): "é" is "e" + U+0301.
_MARKS = "\\u0300-\\u036f"
# Punctuation, which becomes a space so that PostgreSQL's parser, which would otherwise keep
# "mental-health", "2.5" or "x@y.org" as single tokens, splits words exactly where FTS5 does.
_PUNCTUATION = ("\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e"
                "\\u00a1\\u00ab\\u00b7\\u00bb\\u00bf\\u2010-\\u2027")
# Python's regular expressions read the same escapes as PostgreSQL's.
_MARKS_RE = re.compile(f"[{_MARKS}]+")
_PUNCTUATION_RE = re.compile(f"[{_PUNCTUATION}]+")

# The indexed document on PostgreSQL: the public text, decomposed, without accents, with
# punctuation as spaces, then split into words by the 'simple' configuration (lower case, no
# stemming, no stop words). Built from normalize() and regexp_replace(), both immutable and
# cheap (translate() with an accent table costs ten times more). The migration holds a frozen
# copy; a test checks that it still agrees with this one.
FOLD_SQL = (
    "to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(normalize("
    "(coalesce(submission.public_title, '') || ' ') || coalesce(submission.public_story, ''), "
    f"NFD), '[{_MARKS}]+', '', 'g'), '[{_PUNCTUATION}]+', ' ', 'g'))"
)

# Words are runs of letters and digits: what FTS5's unicode61 tokenizer keeps.
_WORD = re.compile(r"[^\W_]+")
# What a reader types: a quoted phrase, or a bare chunk with an optional leading minus.
_CHUNK = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')


@dataclass(frozen=True)
class Term:
    """One word, one prefix or one phrase (several words in order)."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Group:
    """Terms that must all match, and terms that must not (a group of exclusions alone
    matches every story that holds none of them)."""

    include: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    """Groups joined by OR; each group has at least one term."""

    groups: tuple[Group, ...]


def fold(value: str) -> str:
    """Lower case without accents, punctuation as spaces: the form both indexes compare."""
    bare = _MARKS_RE.sub("", unicodedata.normalize("NFD", value))
    return unicodedata.normalize("NFC", _PUNCTUATION_RE.sub(" ", bare)).lower()


def parse(raw: str | None) -> SearchQuery | None:
    """The query a reader typed, or None when it holds no word to search for. Never raises."""
    if not raw:
        return None
    typed = unicodedata.normalize("NFC", raw[:MAX_QUERY_LENGTH])
    groups: list[Group] = []
    include: list[Term] = []
    exclude: list[Term] = []
    budget = MAX_TERMS
    for match in _CHUNK.finditer(typed):
        if match.group("bare") == "OR":
            groups.append(Group(tuple(include), tuple(exclude)))
            include, exclude = [], []
            continue
        negative, term = _term(match)
        if term is None or budget <= 0:
            continue
        budget -= 1
        (exclude if negative else include).append(term)
    groups.append(Group(tuple(include), tuple(exclude)))
    kept = tuple(group for group in groups if group.include or group.exclude)
    return SearchQuery(kept) if kept else None


def _term(match: re.Match[str]) -> tuple[bool, Term | None]:
    if match.group("bare") is None:
        words = tuple(_WORD.findall(fold(match.group("phrase"))))
        return bool(match.group("neg")), (Term(words) if words else None)
    chunk = match.group("bare")
    negative = chunk.startswith("-") and len(chunk) > 1
    prefix = chunk.endswith("*")
    words = tuple(_WORD.findall(fold(chunk)))
    if not words:
        return negative, None
    if len(words) > 1:  # "mental-health", "don't": the words of one chunk, in order
        return negative, Term(words)
    return negative, Term(words, prefix=prefix and len(words[0]) >= MIN_PREFIX)


def _fts5_term(t: Term) -> str:
    return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")


def fts5_query(query: SearchQuery) -> str:
    """The FTS5 MATCH expression of the groups with a term to find ("" when none has one):
    only quoted words and the operators we write ourselves. FTS5 has no NOT on its own, so
    groups of exclusions alone are searched as the complement of `fts5_any` (see `matches`)."""
    def group(g: Group) -> str:
        found = "(" + " AND ".join(_fts5_term(t) for t in g.include) + ")"
        return "(" + found + "".join(f" NOT {_fts5_term(t)}" for t in g.exclude) + ")"

    return " OR ".join(group(g) for g in query.groups if g.include)


def fts5_any(terms: tuple[Term, ...]) -> str:
    """The FTS5 MATCH expression for stories holding any of `terms`."""
    return " OR ".join(_fts5_term(t) for t in terms)


def tsquery(query: SearchQuery) -> str:
    """The same query for PostgreSQL's to_tsquery('simple', ...)."""
    def word(w: str) -> str:
        return unicodedata.normalize("NFD", w)  # the document is decomposed too

    def term(t: Term) -> str:
        if len(t.words) > 1:
            return "(" + " <-> ".join(word(w) for w in t.words) + ")"
        return word(t.words[0]) + (":*" if t.prefix else "")

    def group(g: Group) -> str:
        parts = [term(t) for t in g.include] + [f"!{term(t)}" for t in g.exclude]
        return "(" + " & ".join(parts) + ")"

    return " | ".join(group(g) for g in query.groups)


def matches(query: SearchQuery, session: Session) -> ColumnElement[bool]:
    """A condition on Submission true for the published stories that match `query`."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        expression = fts5_query(query)
        conditions: list[ColumnElement[bool]] = [
            Submission.id.not_in(_fts5_ids(fts5_any(group.exclude), f"search_not{n}"))
            for n, group in enumerate(query.groups) if not group.include]
        if expression:
            conditions.append(_fts5_matches(expression, session))
        return or_(*conditions)
    if dialect == "postgresql":
        document: ColumnElement[Any] = literal_column(f"submission.{PG_COLUMN}")
        return document.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"),
                                                 tsquery(query)))
    raise NotImplementedError(f"no full-text search for {dialect}")


def _fts5_ids(expression: str, name: str = "search_q") -> TextualSelect:
    """The ids of the published stories that FTS5 matches with `expression`."""
    ids = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :{name}")
    return ids.bindparams(bindparam(name, expression)).columns(column("rowid", Integer))


def _fts5_matches(expression: str, session: Session) -> ColumnElement[bool]:
    ids = _fts5_ids(expression)
    # SQLite has no statistics on the FTS table, so we look: for a rare word, fetching the
    # few matches and sorting them is fastest; for a common one, walking the newest stories
    # and keeping those that match is (the unary + stops SQLite from driving the query
    # from the list of matches). Measured at 82,000 stories: at most 15 ms either way,
    # where either plan alone takes up to 140 ms.
    found = session.scalar(text(
        f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
        "LIMIT :n)"), {"q": expression, "n": SQLITE_FEW_MATCHES}) or 0
    if found < SQLITE_FEW_MATCHES:
        return Submission.id.in_(ids)
    return literal_column("+submission.id").in_(ids)
