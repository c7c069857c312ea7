"""EPCIS corrections: which events an ``errorDeclaration`` withdrew.

An error declaration is the erroneous event sent again with ``errorDeclaration`` added
(EPCIS 2.0 §7.4.1.2); the corrective events are ordinary events the declaration lists. A trace
therefore drops (1) every event carrying an ``errorDeclaration`` and (2) every stored event
equal to a declaration without its ``errorDeclaration``: same type and eventTime, same CBV 2.0
hash once ``eventID`` and ``errorDeclaration`` are left out. The declaration names the same
identifiers as its original, so both are always loaded in the same expansion round.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from foodtrace.epcis.hash import event_hash_id, namespaces_from_context
from trace_api.trace.fetch import EventRecord, raw_events

__all__ = ["withdrawn"]


def _content_hash(raw: str, context: str | None) -> str:
    event: dict[str, Any] = orjson.loads(raw)
    event.pop("eventID", None)
    event.pop("errorDeclaration", None)
    namespaces = namespaces_from_context(orjson.loads(context)) if context else None
    return event_hash_id(event, namespaces)


def withdrawn(connection: Connection, events: Mapping[int, EventRecord]) -> set[int]:
    """The keys among ``events`` that a trace must ignore."""
    declarations = [e for e in events.values() if e.error_declared]
    if not declarations:
        return set()
    keys = {(e.type, e.time) for e in declarations}
    suspects = [e.pk for e in events.values() if not e.error_declared and (e.type, e.time) in keys]
    out = {e.pk for e in declarations}
    if not suspects:
        return out
    raw = raw_events(connection, [*out, *suspects])
    declared = {_content_hash(*raw[pk]) for pk in out}
    out.update(pk for pk in suspects if _content_hash(*raw[pk]) in declared)
    return out
