"""The workload page, the audit log as CSV (admins only), and the admins' lists of reasons and
themes."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from testimonials.models import AuditEntry, RejectionReason, Theme, utcnow
from testimonials.vocab import Flag
from tests import builders


def test_the_workload_page_shows_the_queue_age_decisions_and_claims(
        app: Flask, mod_client: FlaskClient) -> None:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        items = [builders.submission(session, now=utcnow()).id for _ in range(3)]
        urgent = builders.submission(session, flags=int(Flag.CRISIS), is_urgent=True,
                                     now=utcnow()).id
        session.commit()
    mod_client.get(f"/moderate/{urgent}")  # a first look (and a claim)
    mod_client.post("/moderate/bulk", data={"action": "spam", "id": str(items[0])})
    page = mod_client.get("/moderate/workload").get_data(as_text=True)
    assert '<dd id="pending">3</dd>' in page
    assert '<dd id="claimed">1</dd>' in page
    assert "no urgent items opened" not in page
    assert "<th scope=\"row\">mod@example.org</th>" in page
    assert 'id="audit-csv"' not in page  # moderators do not get the download


def test_admins_download_the_audit_log_as_csv_and_moderators_may_not(
        app: Flask, admin_client: FlaskClient, mod_client: FlaskClient) -> None:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        item = builders.submission(session).id
        session.commit()
    mod_client.post("/moderate/bulk", data={"action": "spam", "id": str(item)})
    assert mod_client.get("/admin/audit.csv").status_code == 403
    response = admin_client.get("/admin/audit.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    with maker() as session:
        assert len(rows) == session.scalar(select(func.count()).select_from(AuditEntry))
    spam = [row for row in rows if row["action"] == "spam"]
    assert spam and spam[0]["actor"] == "mod@example.org" and spam[0]["submission_id"] == str(item)


def test_admins_keep_reasons_and_themes_in_both_languages(
        app: Flask, admin_client: FlaskClient, mod_client: FlaskClient) -> None:
    refused = admin_client.post("/admin/reasons", data={"en": "Advertising.", "es": ""})
    assert refused.status_code == 400
    assert 'value="Advertising."' in refused.get_data(as_text=True) or \
        ">Advertising.</textarea>" in refused.get_data(as_text=True)  # kept as typed
    assert admin_client.post("/admin/reasons", data={
        "en": "This is an advertisement.", "es": "Esto es un anuncio."}).status_code == 302
    assert admin_client.post("/admin/themes", data={
        "en": "Waiting list closed", "es": "Lista de espera cerrada"}).status_code == 302
    assert admin_client.post("/admin/themes", data={
        "en": "Waiting list closed", "es": "Otra"}).status_code == 400
    assert mod_client.post("/admin/themes", data={"en": "x", "es": "y"}).status_code in (302, 403)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        reason = session.scalars(select(RejectionReason)).one()
        theme = session.scalars(select(Theme).where(Theme.slug == "waiting-list-closed")).one()
        assert theme.name_es == "Lista de espera cerrada"
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"reason.add", "theme.add"} <= actions
        reason_id, theme_id = reason.id, theme.id
    assert admin_client.post(f"/admin/reasons/{reason_id}/retire").status_code == 302
    assert admin_client.post(f"/admin/themes/{theme_id}/remove").status_code == 302
    with maker() as session:
        assert session.get(RejectionReason, reason_id).retired  # type: ignore[union-attr]
        assert session.get(Theme, theme_id) is None
