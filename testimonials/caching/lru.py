"""The store under every cache of the package: a bounded, thread-safe map (no Flask, no app)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class LRU:
    """A thread-safe map bounded by entry count and total weight, least recently used out
    first; an entry may also carry the monotonic time after which it is not returned."""

    def __init__(self, max_entries: int, max_weight: float = math.inf) -> None:
        self._entries: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries, self.max_weight = max_entries, max_weight
        self.weight = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[Any] | None:
        """(value,) or None when absent or expired (a value may itself be None)."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return (found[2],)

    def put(self, key: Hashable, value: Any, *, weight: int = 0,
            expires: float = math.inf) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._entries[key] = (expires, weight, value)
            self.weight += weight
            while len(self._entries) > self.max_entries or self.weight > self.max_weight:
                _key, (_expires, dropped, _value) = self._entries.popitem(last=False)
                self.weight -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.weight = 0
