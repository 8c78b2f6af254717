"""The journey's pages in order, the waits each patient is asked, what is sent."""

from __future__ import annotations

from typing import Any

import pytest

from testimonials.share import steps
from testimonials.vocab import WaitKind


@pytest.mark.parametrize(("care", "asked"), [
    ([], [WaitKind.INTAKE]),
    (["intake_only"], [WaitKind.INTAKE]),
    (["crisis"], [WaitKind.INTAKE]),
    (["group"], [WaitKind.INTAKE, WaitKind.FIRST_RETURN, WaitKind.BETWEEN_RETURNS]),
    (["psychiatry"], [WaitKind.INTAKE, WaitKind.PSYCHIATRY]),
    (["child", "psychiatry"], list(WaitKind)),
])
def test_waits_asked_follow_the_care_chosen(care: list[str], asked: list[WaitKind]) -> None:
    assert steps.waits_asked({"care_types": care}) == asked


def test_sequence_puts_story_and_consent_first_and_about_last() -> None:
    order = steps.sequence({"care_types": ["psychiatry"]})
    assert order == ["story", "consent", "where", "care", "wait-intake", "wait-psychiatry",
                     "outcomes", "about"]
    assert steps.next_step({}, "about") is None and steps.previous_step({}, "story") is None
    assert steps.next_step({}, "care") == "wait-intake"
    assert steps.previous_step({}, "outcomes") == "wait-intake"
    assert steps.position({}, "consent") == (2, 7)


def test_posted_values_turn_unticked_boxes_into_empty_answers() -> None:
    assert steps.posted_values("consent", {"consent_stats": "y"}) == {
        "consent_publish": "", "consent_stats": "y", "consent_share": "",
        "consent_contact": "", "reporter": ""}
    assert steps.posted_values("care", {"care_types": "group"}) == {"care_types": ["group"]}


@pytest.mark.parametrize(("answers", "sent"), [
    ({"email": "a@example.org", "consent_contact": ""}, {"consent_contact": ""}),
    ({"email": "a@example.org", "consent_contact": "y"},
     {"email": "a@example.org", "consent_contact": "y"}),
    ({"psychiatry-state": "ended", "care_types": []}, {"care_types": []}),
    ({"intake-state": "never_offered", "intake-amount": "3", "intake-unit": "weeks"},
     {"intake-state": "never_offered", "intake-amount": "", "intake-unit": ""}),
    ({"intake-state": "never"},  # a draft begun before "never offered" was its own answer
     {"intake-state": "never_offered", "intake-amount": "", "intake-unit": ""}),
    ({"intake-state": "gave_up", "intake-amount": "3", "intake-unit": "weeks"},
     {"intake-state": "gave_up", "intake-amount": "3", "intake-unit": "weeks"}),
    ({"nonce": "x" * 32, "story": "s"}, {"story": "s"}),
])
def test_for_sending_drops_what_was_not_asked_and_never_offered_has_no_length(
        answers: dict[str, Any], sent: dict[str, Any]) -> None:
    assert steps.for_sending(answers) == sent


def test_typed_text_is_every_free_text_answer() -> None:
    assert steps.typed_text({"story": "a", "title": "b", "display_name": "c",
                             "facility_other": "d", "email": "e@x.org"}) == "a\nb\nd\nc"
