"""The JSON-LD ``@context`` of a captured document: stored once, and read for prefixes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from foodtrace.epcis.hash import namespaces_from_context

__all__ = ["FOODTRACE_NS", "PreparedContext", "prepare_context", "station_keys"]

#: Namespace IRI of the foodtrace EPCIS extension fields (``edge_agent.document.FT_NAMESPACE``).
FOODTRACE_NS = "https://foodtrace.dev/ns/edge/v1#"


def station_keys(namespaces: Mapping[str, str], local: str) -> tuple[str, ...]:
    """The keys an event may carry the foodtrace field ``local`` under: ``prefix:local`` for
    each prefix bound to :data:`FOODTRACE_NS`, and the full IRI."""
    keys = [f"{prefix}:{local}" for prefix, iri in namespaces.items() if iri == FOODTRACE_NS]
    keys.append(FOODTRACE_NS + local)
    return tuple(keys)


@dataclass(frozen=True, slots=True)
class PreparedContext:
    """A document ``@context`` as stored (``body``, keyed by ``hash``) and its prefix map
    (the standard EPCIS prefixes plus the document's own, as the CBV 2.0 hash reads them)."""

    hash: str
    body: str
    namespaces: Mapping[str, str] = field(default_factory=dict)
    #: :func:`station_keys` of ``stationID`` and ``seq``, worked out once per document.
    station_id_keys: tuple[str, ...] = field(init=False, default=())
    station_seq_keys: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "station_id_keys", station_keys(self.namespaces, "stationID"))
        object.__setattr__(self, "station_seq_keys", station_keys(self.namespaces, "seq"))


def prepare_context(context: Any) -> PreparedContext | None:
    """The storable form of a document's ``@context`` (``None`` when there is none).

    Documents that share a context share one ``epcis_context`` row: the key is the sha-256 of
    the context serialised as compact JSON.
    """
    if context is None:
        return None
    if isinstance(context, PreparedContext):
        return context
    body = orjson.dumps(context)
    return PreparedContext(
        hash=hashlib.sha256(body).hexdigest(),
        body=body.decode(),
        namespaces=namespaces_from_context(context),
    )
