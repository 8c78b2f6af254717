"""The words moderators read for the domain's values (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from testimonials.vocab import CareType, Flag, Outcome, Reporter, Status, WaitKind, WaitState

STATUS = {
    Status.PENDING: _l("Waiting for review"), Status.APPROVED: _l("Approved"),
    Status.REJECTED: _l("Rejected"), Status.SPAM: _l("Spam"), Status.WITHDRAWN: _l("Withdrawn"),
}
FLAG = {
    Flag.CRISIS: _l("Crisis language"), Flag.PERSONAL_DATA: _l("Possible personal data"),
    Flag.DUPLICATE: _l("Likely duplicate"),
}
# A short text mark beside each flag, so that colour is never the only signal.
FLAG_MARK = {Flag.CRISIS: "!", Flag.PERSONAL_DATA: "@", Flag.DUPLICATE: "="}
FLAG_FILTER = {
    "crisis": FLAG[Flag.CRISIS], "personal_data": FLAG[Flag.PERSONAL_DATA],
    "duplicate": FLAG[Flag.DUPLICATE], "none": _l("No flags"),
}
MATCH = {
    "email": _l("e-mail address"), "phone": _l("phone number"), "record": _l("record number"),
    "name": _l("name"), "crisis": _l("crisis language"), "address": _l("street address"),
    "birth": _l("date of birth"), "handle": _l("social media handle"),
}
WAIT_KIND = {
    WaitKind.INTAKE: _l("First (intake) appointment"),
    WaitKind.FIRST_RETURN: _l("First return appointment after intake"),
    WaitKind.BETWEEN_RETURNS: _l("Usual gap between return appointments"),
    WaitKind.PSYCHIATRY: _l("First psychiatry or medication appointment"),
}
WAIT_STATE = {
    WaitState.ENDED: _l("got it after"), WaitState.WAITING: _l("still waiting after"),
    WaitState.GAVE_UP: _l("gave up"),
    WaitState.NEVER_OFFERED: _l("never offered one"),
}
CARE_TYPE = {
    CareType.INDIVIDUAL: _l("Individual therapy"), CareType.GROUP: _l("Group therapy"),
    CareType.PSYCHIATRY: _l("Psychiatry or medication"), CareType.CRISIS: _l("Crisis or urgent"),
    CareType.CHILD: _l("Child and adolescent"), CareType.INTAKE_ONLY: _l("Intake only"),
}
OUTCOME = {
    Outcome.EMERGENCY_ROOM: _l("Emergency room visit"),
    Outcome.PAID_OUT_OF_POCKET: _l("Paid out of pocket elsewhere"),
    Outcome.STOPPED_TREATMENT: _l("Treatment stopped"),
    Outcome.GOT_WORSE: _l("Condition got worse"),
    Outcome.REFERRED_OUT: _l("Referred outside the network"),
}
REPORTER = {
    Reporter.PATIENT: _l("The patient"), Reporter.PARENT: _l("A parent or guardian"),
    Reporter.FAMILY: _l("Another family member or carer"),
}
LANGUAGE = {"en": _l("English"), "es": _l("Spanish")}
ACTION = {
    "approve": _l("Approval"), "edit_public": _l("Public version edited"),
    "edit": _l("Story or answers edited"), "reject": _l("Rejection"),
    "spam": _l("Marked as spam"), "unpublish": _l("Taken off the site"),
    "requeue": _l("Returned to the queue"), "submit": _l("Sent by the patient"),
    "withdraw": _l("Withdrawn by the patient"), "wait_ended": _l("Wait reported as ended"),
    "retention_erase": _l("Erased (retention)"), "retention_email": _l("E-mail erased (retention)"),
    "account.invite": _l("Account invited"), "account.password_set": _l("Password chosen"),
    "account.password_link": _l("New set-password link"),
    "account.disable": _l("Account disabled"), "account.enable": _l("Account re-enabled"),
    "account.reset_2fa": _l("Second factor reset"), "account.alerts": _l("Alerts changed"),
    "account.shortcuts": _l("Keyboard shortcuts changed"),
    "facility.add": _l("Facility added"), "facility.rename": _l("Facility renamed"),
    "facility.move": _l("Facility moved"), "facility.merge": _l("Facilities merged"),
    "setting.change": _l("Setting changed"),
}
CONSENT = {
    "publish": _l("Publish the story"), "stats": _l("Count the answers in the statistics"),
    "share": _l("Share with legislators, regulators and press"),
    "contact": _l("Contact the patient"),
}
# What a moderator typed and could not save (a conflict), as the review page names it.
KEPT = {"reason": _l("Your reason (not saved):"),
        "public_story": _l("Your public version (not saved):")}
