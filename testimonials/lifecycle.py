"""An item's life: the one table of which action may follow which stage, and what it leads to.

Every service that changes a submission's stage asks `require` first, so a stage no row
allows (a withdrawn story put back in the queue, a purged one approved) is refused in one
place. Pure: plain values in, plain values out; services raise their own errors from it.
"""

from __future__ import annotations

import enum

from testimonials.vocab import Status


class Stage(enum.StrEnum):
    """Where an item stands: its status, except that an erased refused item is gone for good."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"
    WITHDRAWN = "withdrawn"  # by the patient: text and e-mail erased
    ERASED = "erased"  # a rejected or spam item whose text retention erased


class Action(enum.StrEnum):
    # A moderator's
    APPROVE = "approve"
    EDIT_PUBLIC = "edit_public"
    REJECT = "reject"
    SPAM = "spam"
    UNPUBLISH = "unpublish"  # also needs the story to be on the site
    REQUEUE = "requeue"
    # The patient's
    EDIT = "edit"
    WAIT_ENDED = "wait_ended"
    WITHDRAW = "withdraw"
    # Retention's
    PURGE = "purge"
    PURGE_EMAIL = "purge_email"


S, A = Stage, Action
# (stage, action) -> the stage after it. A pair not listed is refused.
TRANSITIONS: dict[tuple[Stage, Action], Stage] = {
    (S.PENDING, A.APPROVE): S.APPROVED,
    (S.PENDING, A.REJECT): S.REJECTED,
    (S.PENDING, A.SPAM): S.SPAM,
    (S.PENDING, A.EDIT): S.PENDING,
    (S.PENDING, A.WAIT_ENDED): S.PENDING,
    (S.PENDING, A.WITHDRAW): S.WITHDRAWN,

    (S.APPROVED, A.EDIT_PUBLIC): S.APPROVED,
    (S.APPROVED, A.UNPUBLISH): S.APPROVED,
    (S.APPROVED, A.REQUEUE): S.PENDING,
    (S.APPROVED, A.EDIT): S.PENDING,  # a changed story is read again
    (S.APPROVED, A.WAIT_ENDED): S.APPROVED,
    (S.APPROVED, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.PURGE_EMAIL): S.APPROVED,

    (S.REJECTED, A.REQUEUE): S.PENDING,
    (S.REJECTED, A.WAIT_ENDED): S.REJECTED,
    (S.REJECTED, A.WITHDRAW): S.WITHDRAWN,
    (S.REJECTED, A.PURGE): S.ERASED,
    (S.REJECTED, A.PURGE_EMAIL): S.REJECTED,

    (S.SPAM, A.REQUEUE): S.PENDING,
    (S.SPAM, A.WAIT_ENDED): S.SPAM,
    (S.SPAM, A.WITHDRAW): S.WITHDRAWN,
    (S.SPAM, A.PURGE): S.ERASED,
    (S.SPAM, A.PURGE_EMAIL): S.SPAM,

    # Nothing brings back what was withdrawn or erased: its words are gone.
    (S.WITHDRAWN, A.WITHDRAW): S.WITHDRAWN,  # a second withdrawal changes nothing
    (S.WITHDRAWN, A.PURGE_EMAIL): S.WITHDRAWN,
    (S.ERASED, A.WAIT_ENDED): S.ERASED,
    (S.ERASED, A.WITHDRAW): S.WITHDRAWN,
    (S.ERASED, A.PURGE_EMAIL): S.ERASED,
}
del S, A


class NotAllowed(ValueError):
    """This action may not follow this stage."""

    def __init__(self, stage: Stage, action: Action) -> None:
        super().__init__(f"{action.value} after {stage.value}")
        self.stage, self.action = stage, action


def stage_of(status: Status, erased: bool) -> Stage:
    """The stage of an item with this status, erased or not."""
    if status is Status.WITHDRAWN:
        return Stage.WITHDRAWN
    return Stage.ERASED if erased else Stage(status.value)


def allowed(stage: Stage, action: Action) -> bool:
    return (stage, action) in TRANSITIONS


def require(stage: Stage, action: Action) -> Stage:
    """The stage after `action`, or NotAllowed."""
    try:
        return TRANSITIONS[(stage, action)]
    except KeyError:
        raise NotAllowed(stage, action) from None
