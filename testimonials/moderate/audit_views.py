"""The audit log, newest first, filterable by action, actor and item; read-only."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from sqlalchemy import select

from testimonials import db
from testimonials.bounds import database_int
from testimonials.models import Account, AuditEntry
from testimonials.moderate import bp, labels
from testimonials.services.audit import PATIENT, SYSTEM

PAGE_SIZE = 50


def audit_filters(args: dict[str, str]) -> dict[str, Any]:
    """The filters given, checked; anything malformed is ignored."""
    action = args.get("action", "")
    actor = args.get("actor", "")
    item = args.get("item", "").strip().lstrip("#")
    return {
        "action": action if action in labels.ACTION else "",
        "actor": actor if database_int(actor) is not None or actor in (PATIENT, SYSTEM) else "",
        "item": item if database_int(item) is not None else "",
    }


def entries(filters: dict[str, Any], before: int | None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1)
    if filters["action"]:
        query = query.where(AuditEntry.action == filters["action"])
    if database_int(filters["actor"]) is not None:
        query = query.where(AuditEntry.actor_id == int(filters["actor"]))
    elif filters["actor"]:
        query = query.where(AuditEntry.actor_id.is_(None),
                            AuditEntry.actor_label == filters["actor"])
    if filters["item"]:
        query = query.where(AuditEntry.submission_id == int(filters["item"]))
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return list(db.session().scalars(query))


def _shown(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def change_lines(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field the entry records; structures as JSON text."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(key, _shown(before.get(key)), _shown(after.get(key))) for key in keys]


@bp.get("/audit")
def audit_log() -> str:
    filters = audit_filters(request.args.to_dict())
    raw_before = request.args.get("before", "")
    found = entries(filters, database_int(raw_before))
    actors = db.session().execute(select(Account.id, Account.email).order_by(Account.email)).all()
    shown = found[:PAGE_SIZE]
    return render_template(
        "moderate/audit.html", entries=[(entry, change_lines(entry)) for entry in shown],
        filters=filters, actors=actors, actions=labels.ACTION,
        older=shown[-1].id if len(found) > PAGE_SIZE else None,
        paged=bool(raw_before), filter_args={k: v for k, v in filters.items() if v},
    )
