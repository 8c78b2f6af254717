"""The protection audit cuts the same release from the same counts, run after run.

What an audit found of each hidden count (`Protection.bounds`) is stored with the release and
seeds the next release's audit. It once varied with the order of a program's rows, which came
from a set (so from the process's hash seed), and carried the solver's rounding
(10.000000000000416 for 10): the same data gave another document, another digest, and other
seeds for the next release.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testimonials.stats import protection
from tests.unit.stats.test_stats_protection import site

ROOT = Path(__file__).resolve().parents[3]


def second_release() -> tuple[protection.Protection, protection.Protection]:
    """A small site's first release, then a review (every count judged again) after ten
    more people: the case where the audit's programs range over two releases."""
    dims, counts = site(2, 20)
    first = protection.protect(dims, counts, 11, 11)
    groups = protection.system(dims, counts).count
    earlier = protection.Earlier(
        dims, {key: None if key in first.hidden else count for key, count in groups.items()},
        hidden_counts=protection.hidden_counts(dims, counts, first.hidden),
        audited=True, bounds=first.bounds)
    dims, counts = site(2, 30)
    return first, protection.protect(dims, counts, 11, 11, [earlier], review_every=1)


def test_what_an_audit_found_is_in_whole_numbers() -> None:
    first, second = second_release()
    for found in (first, second):
        assert found.bounds  # (the review judged counts: there is something to check)
        for key, bounds in found.bounds.items():
            assert all(value is None or not math.isfinite(value) or value == int(value)
                       for value in bounds), (key, bounds)


SCRIPT = """
import json
from tests.unit.stats.test_stats_audit_reproducible import second_release
first, second = second_release()
print(json.dumps([[sorted(found.hidden), sorted(found.bounds.items())]
                  for found in (first, second)]))
"""


@pytest.mark.slow  # two processes of a few CPU seconds each
def test_the_same_counts_give_the_same_release_whatever_the_hash_seed() -> None:
    # Python orders a set of strings by their hashes, which change with each process.
    runs = [subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE,
                             env=dict(os.environ, PYTHONHASHSEED=str(seed)))
            for seed in (1, 2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert json.loads(outputs[0]) == json.loads(outputs[1])
