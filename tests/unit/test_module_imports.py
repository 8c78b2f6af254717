"""The import structure: pure statistics stay pure, and no module imports itself round a loop.

Read from the source with `ast` (nothing is imported), so a violation is found whichever
tests run: an import inside a function counts for purity (it still runs), but only imports
at module level (outside `if TYPE_CHECKING:`) make a cycle.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "testimonials"
# The read side (services/aggregates, services/published) lives outside stats/.
NOT_PURE: set[str] = set()  # every module of stats/ is pure: reads live in services/
FORBIDDEN = ("flask", "sqlalchemy", "testimonials.db", "testimonials.models")
# Cycles that predate this test; each wants untangling, and none may grow.
KNOWN_CYCLES = [
    {"testimonials.public.stats_files", "testimonials.public.stats_views"},
    {"testimonials.public.commands", "testimonials.public.report_commands"},
    {"testimonials.share.editing", "testimonials.share.journey", "testimonials.share.sending"},
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _in_stats(name: str) -> bool:
    """The statistics package and its modules (not `testimonials.stats_commands`)."""
    return name == "testimonials.stats" or name.startswith("testimonials.stats.")


@functools.cache
def _imports(name: str, *, top_level_only: bool) -> tuple[str, ...]:
    """The modules `name` imports: a `from package import module` names the module."""
    return tuple(_named(name, top_level_only))


def _named(name: str, top_level_only: bool) -> Iterator[str]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def walk(body: list[ast.stmt]) -> Iterator[ast.stmt]:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            yield node
            if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                    ast.ClassDef)):
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, [])
                yield from walk([c for c in children if isinstance(c, ast.stmt)])
                for handler in children:
                    if isinstance(handler, ast.ExceptHandler):
                        yield from walk(handler.body)

    for node in walk(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in MODULES else base


@functools.cache
def _graph() -> dict[str, set[str]]:
    """Module-level edges between our modules, less a submodule's import of its own package
    (a blueprint's views take `bp` from the package, which imports them after defining it)."""
    return {name: {target for target in _imports(name, top_level_only=True)
                   if target in MODULES and target != name
                   and not name.startswith(target + ".")}
            for name in MODULES}


def _packages(name: str) -> Iterator[str]:
    """The packages of ours that Python initialises before `name` (not `testimonials`, whose
    `__init__` imports the blueprints only inside `create_app`)."""
    parts = name.split(".")
    for end in range(2, len(parts)):
        yield ".".join(parts[:end])


def _with_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The edges Python follows: importing `a.b.c` first runs the packages `a.b` it lies in
    (whose `__init__` may import every module of a blueprint), except the importer's own
    packages, which are already under way. The cycles this adds to `_graph` are the
    blueprints' (a package imports its views, which take `bp` from it): harmless only while
    every module is imported after what it needs, which `test_each_module_in_a_loop...`
    checks by importing each first."""
    return {name: targets | {package for target in targets for package in _packages(target)
                             if package in MODULES and package != name
                             and not name.startswith(package + ".")}
            for name, targets in graph.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_pure_statistics_import_neither_flask_nor_the_database() -> None:
    pure = [name for name in MODULES
            if _in_stats(name) and name not in NOT_PURE]
    assert "testimonials.stats.kaplan_meier" in pure  # the walk found the package
    offending = sorted(
        (name, imported) for name in pure
        for imported in _imports(name, top_level_only=False)
        if any(imported == bad or imported.startswith(bad + ".") for bad in FORBIDDEN))
    assert offending == []


def test_pure_statistics_import_only_pure_modules_of_ours() -> None:
    """What a pure module imports of ours is pure too (stats, vocab, waits...)."""
    graph = _graph()
    for name in MODULES:
        if not _in_stats(name) or name in NOT_PURE:
            continue
        for target in graph[name]:
            direct = _imports(target, top_level_only=False)
            assert target not in NOT_PURE, (name, target)
            assert not any(imported.startswith(bad) for imported in direct
                           for bad in FORBIDDEN), (name, target)


def test_statistics_and_services_are_in_no_import_cycle() -> None:
    for component in _cycles(_graph()):
        assert not any(name.startswith(("testimonials.stats", "testimonials.services"))
                       for name in component), component


def test_no_import_cycle_beyond_the_known_ones() -> None:
    cycles = _cycles(_graph())
    assert [c for c in cycles if c not in KNOWN_CYCLES] == []


# Run in a fresh interpreter: the modules that no loop can reach (third-party libraries, and
# ours outside every loop) are imported once, then each module named on stdin is imported
# first in a forked child, as a worker, a command or a test
# collection may import it first. Prints "module: error" for each that fails.
_IMPORT_EACH_FIRST = """
import importlib, os, sys, traceback
names, before = sys.stdin.read().split("|")
for library in before.split():
    try:
        importlib.import_module(library)
    except Exception:
        pass  # an optional library: the child's import reports it if it matters
for name in names.split():
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            print(name + ": " + traceback.format_exc().strip().splitlines()[-1], flush=True)
            os._exit(1)
        os._exit(0)
    os.waitpid(pid, 0)
"""


def _outside_loops(graph: dict[str, set[str]], in_loops: set[str]) -> list[str]:
    """Ours that import no module in a loop, however indirectly: these import the same in any
    order, so they are loaded before the fork, as are the libraries ours import, to keep each
    child cheap."""
    reaching = set(in_loops)
    while grown := {name for name, targets in graph.items() if name not in reaching
                    and (targets | set(_packages(name))) & reaching}:
        reaching |= grown
    return sorted(_libraries()) + sorted(set(graph) - reaching)


def _libraries() -> set[str]:
    """The modules not ours that ours import."""
    found: set[str] = set()
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    return {name for name in found if name.partition(".")[0] != "testimonials"}


def test_each_module_in_a_loop_through_its_packages_imports_first() -> None:
    """A loop through a package's `__init__` works only in some orders: `api.stats` imported
    first once failed half-way, and every app a test built after it in that process."""
    graph = _with_packages(_graph())
    in_loops = set().union(*_cycles(graph))
    assert "testimonials.api.stats" in in_loops  # the blueprints' loops were found
    done = subprocess.run([sys.executable, "-c", _IMPORT_EACH_FIRST],
                          input=" ".join(sorted(in_loops)) + "|"
                          + " ".join(_outside_loops(graph, in_loops)),
                          capture_output=True, text=True, cwd=PACKAGE.parent, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [{"a", "b", "c"}]


def test_the_bench_imports_nothing_from_the_tests() -> None:
    bench = PACKAGE.parent / "bench"
    found = []
    for path in sorted(bench.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [(path.name, name) for name in names
                      if name == "tests" or name.startswith("tests.")]
    assert found == []
