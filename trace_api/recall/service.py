"""Declare, list and read recalls; the recall status of one lot.

Recalls live in the event store itself (see :mod:`trace_api.recall.events`): declaring one
stores its events; listing reads the ``recalled`` events carrying a recall business
transaction. The blast radius is computed from the current events each time it is read, so it
follows later shipments and corrections.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from trace_api.capture import check_document, store_checked
from trace_api.exceptions import RecallError, RecallNotFoundError
from trace_api.models import metadata
from trace_api.recall.blast import blast_radius
from trace_api.recall.events import REASON_KEY, RECALL_BTT, recall_document
from trace_api.storage.connection import Target, transaction
from trace_api.trace.resolve import resolve

__all__ = ["Recall", "declare_recall", "get_recall", "list_recalls", "recall_status"]

_EVENT = metadata.tables["event"]
_IDENT = metadata.tables["event_identifier"]
_BT = metadata.tables["event_biz_transaction"]
_URN = "urn:uuid:"
_RECALLED = ("recalled", "urn:epcglobal:cbv:disp:recalled", "https://ref.gs1.org/cbv/Disp-recalled")


@dataclass(frozen=True, slots=True)
class Recall:
    """One declared recall."""

    id: str
    reason: str | None
    declared_at: datetime
    lots: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reason": self.reason,
            "declaredAt": self.declared_at.isoformat(),
            "lots": self.lots,
        }


def _lot(value: str) -> str:
    resolved = resolve(value)
    if resolved.kind != "lot":
        raise RecallError(
            f"{value!r} is not a lot (LGTIN or Digital Link with /10/): a recall names lots"
        )
    return resolved.canonical


def declare_recall(
    target: Target, lots: Iterable[str], reason: str, *, when: datetime | None = None
) -> Recall:
    """Record a recall of ``lots`` (LGTIN URNs or Digital Links) and return it.

    Each lot must be named by a stored event (else :class:`TraceNotFoundError` from the trace).
    """
    canonical = sorted({_lot(v) for v in lots})
    if not canonical:
        raise RecallError("a recall names at least one lot")
    if not reason.strip():
        raise RecallError("a recall needs a reason")
    blast_radius(target, canonical)  # raises TraceNotFoundError for a lot no event names
    recall_id = str(uuid.uuid4())
    moment = (when or datetime.now(UTC)).replace(microsecond=0)
    doc = recall_document(canonical, _URN + recall_id, reason.strip(), moment)
    checked = check_document(doc)
    if checked.refusals:
        first = checked.refusals[0]
        raise RecallError(f"recall events refused: {first.pointer}: {first.message}")
    store_checked(target, [checked])
    return get_recall(target, recall_id)


def _rows(target: Target, recall_urn: str | None = None, lot: str | None = None) -> list[Any]:
    query = (
        sa.select(
            _BT.c.value, _EVENT.c.event_id, _EVENT.c.event_time, _EVENT.c.raw, _IDENT.c.canonical
        )
        .select_from(
            _BT.join(_EVENT, _EVENT.c.id == _BT.c.event_pk).join(
                _IDENT, _IDENT.c.event_pk == _EVENT.c.id
            )
        )
        .where(
            _BT.c.type == RECALL_BTT,
            _EVENT.c.disposition.in_(_RECALLED),
            _EVENT.c.error_declared.is_(False),
        )
        .order_by(_EVENT.c.event_time, _BT.c.value, _IDENT.c.canonical)
    )
    if recall_urn is not None:
        query = query.where(_BT.c.value == recall_urn)
    if lot is not None:
        query = query.where(_IDENT.c.canonical == lot)
    with transaction(target) as connection:
        return list(connection.execute(query))


def _recalls(rows: list[Any]) -> list[Recall]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    out = []
    for urn, group in grouped.items():
        reason = orjson.loads(group[0][3]).get(REASON_KEY)
        lots = [{"lot": row[4], "event": row[1]} for row in group]
        out.append(Recall(urn.removeprefix(_URN), reason, group[0][2], lots))
    return sorted(out, key=lambda r: (r.declared_at, r.id), reverse=True)


def list_recalls(target: Target) -> list[Recall]:
    """Every recall, newest first."""
    return _recalls(_rows(target))


def get_recall(target: Target, recall_id: str) -> Recall:
    """One recall by ID; :class:`RecallNotFoundError` if it was never declared."""
    found = _recalls(_rows(target, _URN + recall_id.removeprefix(_URN)))
    if not found:
        raise RecallNotFoundError(f"no recall {recall_id}")
    return found[0]


def recall_status(target: Target, gtin: str, lot: str) -> dict[str, Any]:
    """The recall status of one lot, as a consumer page's ``gs1:recallStatus`` link shows it:
    ``{"gtin", "lot", "digitalLink", "linkType", "recalled", "recalls": [{id, reason,
    declaredAt}]}`` (newest recall first). A bad GTIN or lot raises the GS1 error naming it."""
    link = resolve(f"https://id.gs1.org/01/{gtin}/10/{lot}").canonical
    recalls = _recalls(_rows(target, lot=link))
    return {
        "gtin": gtin,
        "lot": lot,
        "digitalLink": link,
        "linkType": "gs1:recallStatus",
        "recalled": bool(recalls),
        "recalls": [
            {"id": r.id, "reason": r.reason, "declaredAt": r.declared_at.isoformat()}
            for r in recalls
        ],
    }
