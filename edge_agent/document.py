"""The EPCIS 2.0 document envelope one MQTT message carries, and the foodtrace namespace.

Every event the edge agent publishes carries two extension fields in the foodtrace edge
namespace (prefix ``ft``, declared in the document ``@context``):

* ``ft:stationID`` — the station id (``station.id``), the same as the topic level.
* ``ft:seq`` — a per-station sequence number, assigned when the event enters the durable outbox,
  strictly increasing, never reused (also not after a crash or a dropped range). The centre uses it
  to prove that nothing is missing: a gap is either in flight, or announced as a known drop on the
  ``…/dropped`` topic.

Events are stored already serialised, so a document is assembled from the stored bytes without
decoding them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from foodtrace.epcis.hash import namespaces_from_context

__all__ = [
    "DOCUMENT_CONTEXT",
    "EPCIS_CONTEXT_URL",
    "FT_NAMESPACE",
    "FT_PREFIX",
    "NAMESPACES",
    "creation_date",
    "document",
    "document_bytes",
]

EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
FT_PREFIX = "ft"
FT_NAMESPACE = "https://foodtrace.dev/ns/edge/v1#"
DOCUMENT_CONTEXT: list[Any] = [EPCIS_CONTEXT_URL, {FT_PREFIX: FT_NAMESPACE}]
# Prefix → IRI for hashing: the standard EPCIS prefixes plus ``ft``, derived from the document
# context exactly as a receiver derives them (so both sides compute the same eventID).
NAMESPACES: Mapping[str, str] = namespaces_from_context(DOCUMENT_CONTEXT)

_HEAD = (
    b'{"@context":'
    + orjson.dumps(DOCUMENT_CONTEXT)
    + b',"type":"EPCISDocument","schemaVersion":"2.0","creationDate":'
)


def creation_date(now: float) -> str:
    """``creationDate``: UTC, millisecond precision."""
    return (
        datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def document_bytes(event_payloads: Sequence[bytes], created: str) -> bytes:
    """An ``EPCISDocument`` around already serialised events (JSON objects), as UTF-8 bytes."""
    return b"".join(
        (
            _HEAD,
            orjson.dumps(created),
            b',"epcisBody":{"eventList":[',
            b",".join(event_payloads),
            b"]}}",
        )
    )


def document(events: Sequence[Mapping[str, Any]], created: str) -> dict[str, Any]:
    """The same envelope as a dict (tests, tools)."""
    return {
        "@context": DOCUMENT_CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created,
        "epcisBody": {"eventList": list(events)},
    }
