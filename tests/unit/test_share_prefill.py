"""An edit starts from the answers exactly as the patient gave them (a draft's raw values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from testimonials.models import Submission, Wait
from testimonials.share.forms import answers_from
from testimonials.vocab import CareType, Outcome, Reporter, Unit, WaitKind, WaitState


def test_answers_become_the_journeys_raw_values() -> None:
    submission = Submission(
        original_story="I waited <3 months & cried.", original_title=None,
        reporter=Reporter.FAMILY, facility_id=None, facility_other="Clínica del Valle",
        care_types=int(CareType.GROUP | CareType.CRISIS), outcomes=int(Outcome.GOT_WORSE),
        experience_month=dt.date(2024, 11, 1), consent_publish=False, consent_stats=True,
        consent_share=True, consent_contact=False, display_name=None, email=None,
        waits=[Wait(kind=WaitKind.INTAKE, state=WaitState.WAITING, days=18,
                    amount=Decimal("2.50"), unit=Unit.WEEKS),
               Wait(kind=WaitKind.PSYCHIATRY, state=WaitState.GAVE_UP, days=None)],
    )
    data = answers_from(submission)
    assert data["story"] == "I waited <3 months & cried."
    assert (data["reporter"], data["facility"], data["facility_other"]) == (
        "family", "other", "Clínica del Valle")
    assert data["care_types"] == ["group", "crisis"] and data["outcomes"] == ["got_worse"]
    assert (data["month"], data["year"]) == ("11", "2024")
    assert (data["intake-state"], data["intake-amount"], data["intake-unit"]) == (
        "waiting", "2.5", "weeks")
    assert (data["psychiatry-state"], data["psychiatry-amount"]) == ("gave_up", "")
    assert (data["first_return-state"], data["first_return-amount"]) == ("", "")
    assert (data["consent_stats"], data["consent_publish"], data["email"]) == ("y", "", "")


def test_a_whole_amount_has_no_decimals() -> None:
    submission = Submission(reporter=Reporter.PATIENT, facility_id=7, care_types=0, outcomes=0,
                            waits=[Wait(kind=WaitKind.INTAKE, state=WaitState.ENDED, days=91,
                                        amount=Decimal("3.00"), unit=Unit.MONTHS)])
    data = answers_from(submission)
    assert data["facility"] == "7" and (data["month"], data["year"]) == ("", "")
    assert (data["intake-amount"], data["intake-unit"]) == ("3", "months")
