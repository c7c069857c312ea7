"""An EPCIS 2.0 document of the selection: every stored event of the selected lots' journeys
(CTE or not), exactly as captured, in eventTime order. The document ``@context`` is the union
of the events' contexts (the standard context first, then each other entry once)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from foodtrace.epcis.validate import validate_document
from trace_api.exceptions import ExportError
from trace_api.export.rows import Collected
from trace_api.storage.connection import Target, transaction
from trace_api.trace.fetch import raw_events

__all__ = ["STANDARD_CONTEXT", "epcis_document", "epcis_json"]

STANDARD_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def _context_entries(text: str | None) -> list[Any]:
    if text is None:
        return []
    value = orjson.loads(text)
    return value if isinstance(value, list) else [value]


def epcis_document(
    target: Target, collected: Collected, *, created: datetime | None = None
) -> dict[str, Any]:
    """The document; raises :class:`ExportError` if it would not be valid EPCIS 2.0 (two
    contexts binding one prefix to different namespaces)."""
    with transaction(target) as connection:
        found = raw_events(connection, collected.event_pks)
    events: list[tuple[str, dict[str, Any]]] = []
    context: list[Any] = [STANDARD_CONTEXT]
    seen = {orjson.dumps(STANDARD_CONTEXT)}
    prefixes: dict[str, Any] = {}
    for pk in collected.event_pks:
        raw, ctx = found[pk]
        for entry in _context_entries(ctx):
            key = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
            if key in seen:
                continue
            seen.add(key)
            if isinstance(entry, dict):
                for prefix, namespace in entry.items():
                    if prefixes.setdefault(prefix, namespace) != namespace:
                        raise ExportError(
                            f"events bind the prefix {prefix!r} to different namespaces"
                        )
            context.append(entry)
        event = orjson.loads(raw)
        events.append((event.get("eventTime", ""), event))
    events.sort(key=lambda pair: (_utc(pair[0]), pair[1].get("eventID", "")))
    moment = (created or datetime.now(UTC)).replace(microsecond=0)
    return {
        "@context": context,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": moment.isoformat().replace("+00:00", "Z"),
        "epcisBody": {"eventList": [event for _, event in events]},
    }


def _utc(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def epcis_json(target: Target, collected: Collected) -> bytes:
    """The document as JSON-LD bytes, checked with :func:`validate_document`."""
    doc = epcis_document(target, collected)
    problems = validate_document(doc)
    if problems:
        first = problems[0]
        raise ExportError(f"the exported document is not valid EPCIS 2.0: {first}")
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)
