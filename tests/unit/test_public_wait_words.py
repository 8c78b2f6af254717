"""How a reader is told each wait: never offered apart from gave up, and a wait counted at the
maximum as "730 days or more" (what the statistics count it as)."""

from __future__ import annotations

import pytest
from flask import Flask

from testimonials import create_app
from testimonials.public.labels import wait_text
from testimonials.public.queries import PublicWait
from testimonials.vocab import WaitKind, WaitState


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"DATABASE_URL": "sqlite://", "ENV_NAME": "testing"})


@pytest.mark.parametrize(("state", "days", "words"), [
    (WaitState.ENDED, 21, "21 days"),
    (WaitState.ENDED, 730, "730 days or more"),
    (WaitState.WAITING, 730, "still waiting after 730 days or more"),
    (WaitState.GAVE_UP, None, "gave up"),
    (WaitState.GAVE_UP, 40, "gave up after 40 days"),
    (WaitState.NEVER_OFFERED, None, "never offered an appointment"),
    (WaitState.NEVER_OFFERED, 90, "never offered one in 90 days"),
])
def test_each_wait_is_told_in_its_own_words(app: Flask, state: WaitState, days: int | None,
                                            words: str) -> None:
    with app.test_request_context():
        assert wait_text(PublicWait(WaitKind.INTAKE, state, days, 14)) == words


def test_never_offered_is_told_in_spanish(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert wait_text(PublicWait(WaitKind.INTAKE, WaitState.NEVER_OFFERED, None, 14)) == \
            "nunca le ofrecieron una cita"
