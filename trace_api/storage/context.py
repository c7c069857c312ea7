"""The JSON-LD ``@context`` of a captured document: stored once, and read for prefixes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from foodtrace.epcis.hash import namespaces_from_context

__all__ = ["PreparedContext", "prepare_context"]


@dataclass(frozen=True, slots=True)
class PreparedContext:
    """A document ``@context`` as stored (``body``, keyed by ``hash``) and its prefix map
    (the standard EPCIS prefixes plus the document's own, as the CBV 2.0 hash reads them)."""

    hash: str
    body: str
    namespaces: Mapping[str, str] = field(default_factory=dict)


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
