"""Worker processes started from a fork server that has the app's modules loaded, in place of
the plain `spawn` the product uses (the bulk files' parts; the demo loader's workers gained
nothing measurable from it and still spawn).

Like spawn, a fork server is a fresh interpreter: a worker inherits nothing of the test's
process; its function and arguments still travel pickled, and the worker still builds its app
itself. Only the import of the application's modules is done once, in the server, instead of
in every worker: each spawned worker spent about 1.5 s of CPU importing them (issue 19).
"""

from __future__ import annotations

import multiprocessing
import types
from types import ModuleType

import pytest

# Imported once in the fork server, before any worker is forked from it.
PRELOAD = ["testimonials", "testimonials.bulk"]


def forkserver_for_spawn(monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> None:
    """Make `module`'s multiprocessing.get_context("spawn") give the preloaded fork server."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)

    def get_context(method: str | None = None) -> multiprocessing.context.BaseContext:
        assert method == "spawn", method  # what the product asks for, and nothing else
        return context

    monkeypatch.setattr(module, "multiprocessing",
                        types.SimpleNamespace(get_context=get_context))
