"""A recall as EPCIS events: one ObjectEvent per lot, disposition ``recalled``, the lot as an
``epcClass`` quantity element, the recall ID as a business transaction of type
:data:`RECALL_BTT` and the reason as the ``ft:recallReason`` extension field. Each event gets
its CBV 2.0 hash as eventID and goes through the normal capture path
(:func:`trace_api.capture.check_document` then :func:`~trace_api.capture.store_checked`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from foodtrace.epcis.hash import event_hash_id, namespaces_from_context
from trace_api.storage import FOODTRACE_NS

__all__ = ["CONTEXT", "REASON_KEY", "RECALL_BTT", "recall_document"]

#: Business transaction type naming a recall (a user vocabulary URI, as CBV 2.0 allows).
RECALL_BTT = "https://ns.foodtrace.dev/btt/recall"
REASON_KEY = "ft:recallReason"
CONTEXT: list[Any] = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"ft": FOODTRACE_NS},
]


def _event(lot: str, recall_urn: str, reason: str, when: datetime) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": when.isoformat(),
        "eventTimeZoneOffset": when.strftime("%z")[:3] + ":" + when.strftime("%z")[3:],
        "action": "OBSERVE",
        "disposition": "recalled",
        "quantityList": [{"epcClass": lot}],
        "bizTransactionList": [{"type": RECALL_BTT, "bizTransaction": recall_urn}],
        REASON_KEY: reason,
    }
    event["eventID"] = event_hash_id(event, namespaces_from_context(CONTEXT))
    return event


def recall_document(
    lots: list[str], recall_urn: str, reason: str, when: datetime
) -> dict[str, Any]:
    """The EPCIS 2.0 document recording a recall of ``lots`` (canonical lot links)."""
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": when.isoformat(),
        "epcisBody": {"eventList": [_event(lot, recall_urn, reason, when) for lot in lots]},
    }
    return doc
