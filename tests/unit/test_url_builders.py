"""The suite's shared URL builders (tests/conftest.py, issue 19) build what Werkzeug's own do.

tests/conftest.py compiles each rule's URL builder once per process and hands the same function
to every app's copy of the rule. Here, rules that differ only in what the compiled code is made
of (defaults, a converter's text for a default, host, merged slashes, extra arguments) are built
one after another, so that each finds the others' builders already compiled, and every URL is
compared with the one Werkzeug's own compilation gives; and every rule of the real app gets the
very code Werkzeug compiles for it. The rules' parses are shared too: every rule of a second
app is parsed again by Werkzeug and must come out the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from werkzeug.routing import BaseConverter, Map, Rule

from testimonials import create_app

werkzeug_compile_builder = Rule._compile_builder.werkzeug_compile_builder  # type: ignore[attr-defined]


def digits(width: int) -> type[BaseConverter]:
    """A converter writing numbers on `width` digits: two apps may register the same name (and
    the same class name) with different widths, so a default's text depends on the app."""

    class Digits(BaseConverter):
        regex = r"\d+"

        def to_url(self, value: Any) -> str:
            return f"{int(value):0{width}d}"

    return Digits


# (map, endpoint, values, append_unknown): maps whose rules share their text with another's.
Build = tuple[Map, str, dict[str, Any], bool]


def builds() -> Iterator[Build]:
    for width in (2, 3):
        issue = Map([Rule("/issue/<n:number>", endpoint="issue", defaults={"number": 7})],
                    converters={"n": digits(width)})
        yield issue, "issue", {"number": 7}, False
    fixed = Map([Rule("/list/<int(fixed_digits=3):page>", endpoint="list", defaults={"page": 4}),
                 Rule("/list/<int(fixed_digits=3):page>", endpoint="open")])
    yield fixed, "list", {"page": 4}, False
    yield fixed, "open", {"page": 5}, False
    for defaults in (None, {"page": 1}, {"page": 1, "sort": "new"}, {"sort": "new", "page": 1}):
        listing = Map([Rule("/stories/", endpoint="stories", defaults=defaults)])
        given = dict(defaults or {})
        yield listing, "stories", given, False
        yield listing, "stories", {**given, "q": "wait list"}, True
    for host in ("<city>.example.org", "example.org"):
        hosted = Map([Rule("/place/<int:place>", endpoint="place", host=host)], host_matching=True)
        yield hosted, "place", {"place": 3, "city": "leon"}, False
    for merge in (True, False):
        slashes = Map([Rule("/a//<name>", endpoint="a")], merge_slashes=merge)
        yield slashes, "a", {"name": "b c"}, True


def urls(compile_builder: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", compile_builder)
        return [url_map.bind("example.org").build(endpoint, values, append_unknown=unknown,
                                                  force_external=True)
                for url_map, endpoint, values, unknown in builds()]


def test_rules_alike_but_for_their_compiled_inputs_build_the_urls_werkzeug_builds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    shared = Rule._compile_builder
    expected = urls(werkzeug_compile_builder, monkeypatch)
    assert "http://example.org/issue/007" in expected  # the width-3 app's default
    assert urls(shared, monkeypatch) == expected


def test_every_rule_of_the_app_gets_the_code_werkzeug_compiles_for_it() -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "ENV_NAME": "testing"})
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        for append_unknown, bound in ((False, rule._build), (True, rule._build_unknown)):
            own = werkzeug_compile_builder(rule, append_unknown)
            assert bound.__self__ is rule, rule.rule  # type: ignore[attr-defined]
            assert bound.__func__.__code__ == own.__code__, rule.rule  # type: ignore[attr-defined]
            assert bound.__func__.__defaults__ == own.__defaults__, rule.rule  # type: ignore[attr-defined]


def _parsed(rule: Rule) -> tuple[Any, ...]:
    """What a rule's parse left on it: its parts, trace, arguments, and each converter's
    class, pattern, weight and settings (all but the map it belongs to)."""
    converters = {name: (type(converter), converter.regex, converter.weight,
                         {key: value for key, value in vars(converter).items() if key != "map"})
                  for name, converter in rule._converters.items()}
    return (list(rule._parts), list(rule._trace), set(rule.arguments), converters)


def test_every_rule_of_the_app_parses_as_werkzeug_parses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py hands each rule the parse of an earlier rule with its text; the second
    app's rules are all such rules, so each is parsed again by Werkzeug and compared."""
    create_app({"DATABASE_URL": "sqlite://", "ENV_NAME": "testing"})
    app = create_app({"DATABASE_URL": "sqlite://", "ENV_NAME": "testing"})
    shared = [(rule, _parsed(rule)) for rule in app.url_map.iter_rules()]
    assert any(rule._converters for rule, _ in shared)
    monkeypatch.setattr(Rule, "_parse_rule",
                        Rule._parse_rule.werkzeug_parse_rule)  # type: ignore[attr-defined]
    for rule, parsed in shared:
        rule.compile()
        assert _parsed(rule) == parsed, rule.rule
        assert all(converter.map is app.url_map for converter in rule._converters.values())


def test_rules_of_one_text_in_maps_of_other_converters_parse_with_their_own(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for width in (2, 3):
        rule = Rule("/issue/<n:number>", endpoint="issue")
        url_map = Map([rule], converters={"n": digits(width)})
        assert url_map.bind("example.org").build("issue", {"number": 7}) == \
            f"/issue/{7:0{width}d}"
    for signed in (False, True):
        url_map = Map([Rule(f"/at/<int(signed={signed}):place>", endpoint="at")])
        adapter = url_map.bind("example.org")
        assert adapter.test("/at/-3") is signed
