"""Reading a published view's JSON document (as /stats.json serves it) in tests."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def groups(doc: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every group of the document: the respondents, each wait's group, and every group of
    their breakdowns at any depth."""
    pending = [doc["respondents"], *(wait["group"] for wait in doc["waits"])]
    while pending:
        group = pending.pop()
        yield group
        for breakdown in group["breakdowns"]:
            pending.extend(breakdown["groups"])
