"""Single-key shortcuts (WCAG 2.1.4): each moderator turns them off or on for their account;
with them off the pages do not bind them; decisions ask for a second key (static/js)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from moderate_helpers import Person
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Account, AuditEntry
from tests import builders

BOUND = re.compile(r'src="/static/js/moderate(\.[0-9a-f]{12})?\.js" defer data-shortcuts="on"')
UNBOUND = re.compile(r'src="/static/js/moderate(\.[0-9a-f]{12})?\.js" defer>')


def test_shortcuts_are_on_by_default_and_ask_twice_for_decisions(
        mod_client: FlaskClient, session: Session) -> None:
    item = builders.submission(session)
    session.commit()
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert BOUND.search(page)
    assert 'data-key-confirm="Press A again to approve (or Enter). Any other key cancels."' in page
    assert 'data-key-confirm="Press S again to mark as spam (or Enter)' in page


def test_a_moderator_turns_shortcuts_off_and_on_again(mod_client: FlaskClient, session: Session,
                                                      moderator: Person) -> None:
    item = builders.submission(session)
    session.commit()
    assert mod_client.post("/moderate/shortcuts", data={"shortcuts": "off"}).status_code == 302
    account = session.get(Account, moderator.id)
    assert account is not None and account.keyboard_shortcuts is False
    for path in ("/moderate/", f"/moderate/{item.id}", "/moderate/alerts"):
        page = mod_client.get(path).get_data(as_text=True)
        assert UNBOUND.search(page) and "data-shortcuts" not in page
    alerts = mod_client.get("/moderate/alerts").get_data(as_text=True)
    assert 'id="shortcuts-off" name="shortcuts" value="off" checked' in alerts
    mod_client.post("/moderate/shortcuts", data={"shortcuts": "on"})
    assert BOUND.search(mod_client.get("/moderate/").get_data(as_text=True))
    session.rollback()
    changes = session.scalars(select(AuditEntry.after)
                              .where(AuditEntry.action == "account.shortcuts")
                              .order_by(AuditEntry.id)).all()
    assert changes == [{"keyboard_shortcuts": False}, {"keyboard_shortcuts": True}]
