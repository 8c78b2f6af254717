"""Two moderators decide the same 100 items at the same moment, through gunicorn (2 workers):
each item gets exactly one decision and one audit entry; the other moderator is told."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import func, select

from testimonials.models import AuditEntry, Submission, utcnow
from testimonials.services import accounts
from testimonials.vocab import Role, Status
from tests import builders
from tests.load.gunicorn_server import Client, running, stopwatch

pytestmark = pytest.mark.slow
ITEMS = 100
PASSWORD = "correct horse battery staple"
SECRETS = {"first@example.org": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
           "second@example.org": "KRSXG5CTMVRXEZLUKN2XAZLSKNSXG5DF"}
VERSION = re.compile(r'name="version" value="(\d+)"')
DECISIONS = ("approve", "reject")


def arrange(app) -> list[int]:  # type: ignore[no-untyped-def]
    with app.extensions["waitline.sessionmaker"]() as session:
        for email, secret in SECRETS.items():
            account = accounts.create_account(session, email, PASSWORD, Role.MODERATOR, utcnow())
            account.totp_secret, account.totp_enrolled_at = secret, utcnow()
        place = builders.facility(session)
        ids = [builders.submission(session, place=place).id for _ in range(ITEMS)]
        session.commit()
    return ids


def signed_in(host: str, email: str) -> Client:
    client = Client(host)
    token, _page = client.token_from("/moderate/login")
    assert client.post("/moderate/login", {"csrf_token": token, "email": email,
                                           "password": PASSWORD}).status == 302
    token, _page = client.token_from("/moderate/login/code")
    reply = client.post("/moderate/login/code", {"csrf_token": token,
                                                 "code": pyotp.TOTP(SECRETS[email]).now()})
    assert reply.status == 302, reply.body[:300]
    return client


def decide(client: Client, item: int, action: str, together: threading.Barrier) -> int:
    token, page = client.token_from(f"/moderate/{item}")
    if not VERSION.search(page.body):  # the other opened (claimed) it first: take it over
        client.post(f"/moderate/{item}/claim", {"csrf_token": token})
        token, page = client.token_from(f"/moderate/{item}")
    version = VERSION.search(page.body)
    assert version, page.body[:300]
    together.wait(timeout=30)  # both have read the same version; both send now
    return client.post(f"/moderate/{item}/decide", {
        "csrf_token": token, "version": version.group(1), "action": action,
        "public_title": "Waiting", "public_story": "I waited months for a return appointment.",
        "reason": "Please send it again with fewer details.", "confirm_personal_data": "yes",
    }).status


def test_two_moderators_never_both_decide_an_item(sqlite_file, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    url, app = sqlite_file
    ids = arrange(app)
    outcomes: list[tuple[int, int]] = []
    with running(tmp_path, url) as server, ThreadPoolExecutor(2) as pool, stopwatch() as took:
        first, second = (signed_in(server.host, email) for email in SECRETS)
        for item in ids:
            together = threading.Barrier(2)
            a = pool.submit(decide, first, item, "approve", together)
            b = pool.submit(decide, second, item, "reject", together)
            outcomes.append((a.result(timeout=60), b.result(timeout=60)))
    for item, (a, b) in zip(ids, outcomes, strict=True):
        assert sorted((a, b))[0] == 302, (item, a, b)  # one went through
        assert sorted((a, b))[1] in (400, 409), (item, a, b)  # the other was told
    with app.extensions["waitline.sessionmaker"]() as session:
        decided = dict(session.execute(select(Submission.id, Submission.status)
                                       .where(Submission.id.in_(ids))).all())
        entries = dict(session.execute(
            select(AuditEntry.submission_id, func.count())
            .where(AuditEntry.submission_id.in_(ids), AuditEntry.action.in_(DECISIONS))
            .group_by(AuditEntry.submission_id)).all())
    assert all(status in (Status.APPROVED, Status.REJECTED) for status in decided.values())
    assert entries == {item: 1 for item in ids}
    approved = sum(1 for status in decided.values() if status is Status.APPROVED)
    with capsys.disabled():
        print(f"\n  {ITEMS} items decided by two moderators at once in {took[0]:.1f} s: "
              f"{approved} approved first, {ITEMS - approved} rejected first, no item twice")
