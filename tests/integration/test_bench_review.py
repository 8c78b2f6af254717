"""The bench's review group (bench/review.py) reads each release's seconds from what the real
commands print: a changed message would leave its lines empty rather than fail loudly."""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))  # as bench/run.py does

import review  # noqa: E402


def test_the_seconds_of_each_release_are_read_from_the_commands_output(
        app: Flask, runner: FlaskCliRunner) -> None:
    app.config["STATS_PROTECTION_AUDIT"] = False  # the messages, not the audit's cost
    loaded = runner.invoke(args=["demo", "load", "--count", "40", "--seed", "3"])
    assert loaded.exit_code == 0, loaded.output
    first = review.cuts(loaded.output)
    assert [number for number, _seconds in first] == [1]
    cut = runner.invoke(args=["stats", "release", "--force", "--allow-few"])
    assert cut.exit_code == 0, cut.output
    second = review.cuts(cut.output)
    assert [number for number, _seconds in second] == [2]
    assert all(seconds >= 0 for _number, seconds in first + second)
