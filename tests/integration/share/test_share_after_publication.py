"""A patient's story after moderation: a take-down is said plainly, an edit is checked for
duplicates as it now reads and audited by field names, and a withdrawal erases the
moderators' words too."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from share_helpers import STORY, TOKEN_IN_LOCATION, approve, count, fresh, moderator, stored
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import AuditEntry, utcnow
from testimonials.services import moderation

# 4. A story the moderators took down.

def test_unpublished_story_says_the_moderators_took_it_down(client: FlaskClient,
                                                          session: Session, share: Any) -> None:
    token = share()
    approve(session, stored(session, token))
    row = stored(session, token)
    mod = moderator(session, urgent=False)
    moderation.unpublish(session, row, mod, utcnow(), version=row.version,
                         note="It names a nurse & her clinic.")
    session.commit()
    page = client.get(f"/my/{token}").get_data(as_text=True)
    assert "Taken off the site" in page and "have taken your story off the site" in page
    assert "It names a nurse &amp; her clinic." in page
    assert "as you asked" not in page
    spanish = client.get(f"/my/{token}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Retirada del sitio" in spanish and "Los moderadores retiraron tu historia" in spanish
    assert "Tus respuestas se siguen contando" in spanish


# 5 and 6. Edits.

def test_edited_story_is_checked_for_duplicates_as_it_now_reads(
        client: FlaskClient, session: Session, share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    edited = STORY + " I am still waiting today."
    client.post(f"/my/{token}/edit", data={**form_data, "story": edited})
    again = client.post("/share", data={**form_data, "story": edited})
    assert again.headers["Location"].endswith("/share/already-received")
    old_text = client.post("/share", data=form_data)
    assert TOKEN_IN_LOCATION.search(old_text.headers["Location"])
    assert count(session) == 2


def test_edit_is_audited_by_field_names_not_words(client: FlaskClient, session: Session,
                                                  share: Any, form_data: dict[str, Any]) -> None:
    token = share()
    client.post(f"/my/{token}/edit", data={**form_data, "story": STORY + " Edited words.",
                                           "email": "new.address@example.org",
                                           "intake-amount": "5"})
    fresh(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert set(entry.after) == {"story", "email", "waits"}
    assert entry.after["story"] == entry.after["email"] == "[changed]"
    recorded = repr((entry.before, entry.after))
    for words in ("cried", "Edited words", "ana@example.org", "new.address"):
        assert words not in recorded


# 9. Withdrawal.

def test_withdraw_erases_the_moderators_words_too(client: FlaskClient, session: Session,
                                                  share: Any) -> None:
    token = share()
    row = stored(session, token)
    row.decision_reason, row.moderator_note = "It quotes the story: cried.", "Called Ana."
    session.commit()
    assert client.post(f"/my/{token}/withdraw").status_code == 303
    row = stored(session, token)
    assert (row.decision_reason, row.moderator_note) == (None, None)
