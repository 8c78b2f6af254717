"""What readers type into the search box, turned into FTS5 and tsquery expressions."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testimonials.paths import MIGRATIONS_DIR
from testimonials.public import search


@pytest.mark.parametrize("typed,fts5,tsquery", [
    ("therapist", '(("therapist"))', "(therapist)"),
    ("Médico  TERAPIA", '(("medico" AND "terapia"))', "(medico & terapia)"),
    ('"group therapy"', '(("group therapy"))', "((group <-> therapy))"),
    ('wait -group', '(("wait") NOT "group")', "(wait & !group)"),
    ("terap*", '(("terap"*))', "(terap:*)"),
    ("a*", '(("a"))', "(a)"),
    ("group OR individual", '(("group")) OR (("individual"))', "(group) | (individual)"),
    ("mental-health", '(("mental health"))', "((mental <-> health))"),
    ("¿Qué pasó?", '(("que" AND "paso"))', "(que & paso)"),
    ("niño año", '(("nino" AND "ano"))', "(nino & ano)"),
    ("NEAR(wait", '(("near wait"))', "((near <-> wait))"),
    ("-group", "", "(!group)"),
    ('-group -"long wait"', "", "(!group & !(long <-> wait))"),
    ("-group OR wait", '(("wait"))', "(!group) | (wait)"),
])
def test_queries_become_quoted_words_and_our_own_operators(typed: str, fts5: str,
                                                           tsquery: str) -> None:
    parsed = search.parse(typed)
    assert parsed is not None
    assert search.fts5_query(parsed) == fts5
    assert search.tsquery(parsed) == tsquery


def test_a_query_of_exclusions_only_keeps_them() -> None:
    parsed = search.parse("-group -therapist")
    assert parsed is not None
    (group,) = parsed.groups
    assert group.include == () and [t.words for t in group.exclude] == [("group",), ("therapist",)]


@pytest.mark.parametrize("typed", [None, "", "   ", '"', "-", "*", "OR", '""', "()",
                                   "&|!:*", "OR OR"])
def test_queries_without_a_word_to_find_search_nothing(typed: str | None) -> None:
    assert search.parse(typed) is None


def test_long_queries_are_cut_to_a_few_terms() -> None:
    parsed = search.parse(" ".join(f"word{n}" for n in range(100)))
    assert parsed is not None
    assert len(parsed.groups[0].include) == search.MAX_TERMS


@given(st.text(max_size=300))
def test_any_typing_parses_to_safe_words(typed: str) -> None:
    parsed = search.parse(typed)
    if parsed is None:
        return
    for group in parsed.groups:
        assert group.include or group.exclude
        for term in (*group.include, *group.exclude):
            for word in term.words:
                assert word and all(char.isalnum() for char in word), word


def test_fold_removes_accents_and_punctuation_like_both_indexes() -> None:
    assert search.fold("¿Médico? «Niño» mental-health, 2.5 años—x@y.org") == \
        " medico   nino  mental health  2 5 anos x y org"


def test_the_migration_indexes_the_same_document_as_the_queries_search() -> None:
    path = MIGRATIONS_DIR / "versions" / "0004_search.py"
    spec = importlib.util.spec_from_file_location("search_migration", path)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.DOCUMENT == search.FOLD_SQL
