"""The ``EPCISQueryDocument`` of a query result, with every event's stored JSON text verbatim.

The document is assembled as text: each event's JSON is inserted as it was captured (not
re-serialised), so a client gets byte-for-byte what the producer sent. The ``@context`` is the
standard EPCIS context followed by the distinct entries of the stored document contexts of
the events on the page, so every prefix the events use is bound. (Two producers binding one
prefix to different IRIs on the same page cannot both be honoured in one document; the first
binding wins.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from trace_api.query.run import StoredEvent

__all__ = ["EPCIS_CONTEXT", "merged_context", "query_document"]

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"


def merged_context(contexts: Sequence[str | None]) -> list[Any]:
    """The standard context, then the distinct entries of the stored contexts, in order."""
    entries: list[Any] = [EPCIS_CONTEXT]
    seen: set[bytes] = {orjson.dumps(EPCIS_CONTEXT)}
    prefixes: set[str] = set()
    for text in dict.fromkeys(c for c in contexts if c is not None):
        parsed = orjson.loads(text)
        for entry in parsed if isinstance(parsed, list) else [parsed]:
            if isinstance(entry, dict):
                entry = {k: v for k, v in entry.items() if k not in prefixes}
                prefixes.update(entry)
                if not entry:
                    continue
            key = orjson.dumps(entry)
            if key not in seen:
                seen.add(key)
                entries.append(entry)
    return entries


def query_document(
    events: Sequence[StoredEvent],
    *,
    query_name: str = "SimpleEventQuery",
    subscription_id: str | None = None,
) -> bytes:
    """The JSON bytes of an ``EPCISQueryDocument`` holding ``events`` in order (with the
    ``subscriptionID`` of a subscription's delivery)."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    head = orjson.dumps(
        {
            "@context": merged_context([e.context for e in events]),
            "type": "EPCISQueryDocument",
            "schemaVersion": "2.0",
            "creationDate": now,
        }
    )
    names = {"queryName": query_name}
    if subscription_id is not None:
        names = {"subscriptionID": subscription_id, **names}
    results = orjson.dumps(names)
    event_list = ",".join(e.raw for e in events)
    return b"".join(
        (
            head[:-1],
            b',"epcisBody":{"queryResults":',
            results[:-1],
            b',"resultsBody":{"eventList":[',
            event_list.encode(),
            b"]}}}}",
        )
    )
