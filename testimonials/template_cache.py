"""Compiled templates shared by every application this process builds (tests only).

The suite builds a fresh application for each test, and each would compile every template it
renders again: about half the time of a test's first page. Jinja's bytecode cache keeps the
compiled code per template and source checksum, so a changed template is compiled afresh.
Switched on by SHARE_COMPILED_TEMPLATES (config/testing.py); a production process builds one
application and gains nothing from it.
"""

from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache


class _InMemory(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


SHARED = _InMemory()
