"""Which items a bulk spam or rejection may take: never one flagged for personal data or
crisis language, never one someone else is reading, never one already decided."""

from __future__ import annotations

from testimonials.services.bulk import Candidate, sort_out
from testimonials.vocab import Flag, Status


def _found(*candidates: Candidate) -> dict[int, Candidate]:
    return {candidate.id: candidate for candidate in candidates}


def test_flagged_claimed_and_decided_items_are_left_with_their_reason() -> None:
    found = _found(Candidate(1, Status.PENDING, 0, False),
                   Candidate(2, Status.PENDING, int(Flag.PERSONAL_DATA), False),
                   Candidate(3, Status.PENDING, int(Flag.CRISIS), True),
                   Candidate(4, Status.PENDING, int(Flag.DUPLICATE), False),
                   Candidate(5, Status.PENDING, 0, False),
                   Candidate(6, Status.APPROVED, 0, False))
    result = sort_out([1, 2, 3, 4, 5, 6, 7, 1], found, held_by_others={5})
    assert result.taken == [1, 4]
    assert result.flagged == [2, 3]
    assert result.claimed == [5]
    assert result.decided == [6, 7]
    assert result.left == 5
