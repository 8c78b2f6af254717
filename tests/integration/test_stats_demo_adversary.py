"""The reader of SPEC section 5 (tests/adversary.py) against a real demo site: 200 demo
submissions and the release `flask demo load` cuts with the protection audit, on SQLite and
PostgreSQL. Issue 14 asks that he narrow no hidden count below the protection width; before
tests/adversary_bounds.py he did not finish on this site at all. tests/adversary_demo.py runs
the same with a second release after a dozen approvals, and times it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from tests import adversary
from tests.integration.test_stats_release_adversary import served

pytestmark = pytest.mark.slow  # tens of CPU seconds: the audited release and the adversary


def test_a_reader_of_a_200_person_demo_release_narrows_no_hidden_count(
        app: Flask, runner: FlaskCliRunner, session: Session) -> None:
    app.config["STATS_PROTECTION_AUDIT"] = True  # the default; off in the tests' configuration
    result = runner.invoke(args=["demo", "load", "--count", "200", "--seed", "2026",
                                 "--until", "2026-11-01"])
    assert result.exit_code == 0, result.output
    cuts, stories = served(session)
    assert len(cuts) == 1 and len(cuts[0].hidden) > 1000  # a real problem, not a toy one
    width = cuts[0].min_cell  # STATS_PROTECTION_WIDTH 0: the minimum cell
    undecided: set[tuple[int, str]] = set()
    assert adversary.narrowed(cuts, width, stories, undecided=undecided) == {}
    assert not undecided  # every program finished: nothing passed for want of time
    assert adversary.statistics_only(cuts, stories, width) == {}
