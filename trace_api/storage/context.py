"""The JSON-LD ``@context`` of a captured document: stored once, and read for prefixes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

__all__ = ["PreparedContext", "prepare_context"]


@dataclass(frozen=True, slots=True)
class PreparedContext:
    """A document ``@context`` as stored (``body``, keyed by ``hash``) and its prefix map."""

    hash: str
    body: str
    namespaces: Mapping[str, str] = field(default_factory=dict)


def _namespaces(context: Any) -> dict[str, str]:
    entries = context if isinstance(context, list) else [context]
    found: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, Mapping):
            for prefix, value in entry.items():
                if isinstance(value, str) and not prefix.startswith("@"):
                    found[prefix] = value
                elif isinstance(value, Mapping) and isinstance(value.get("@id"), str):
                    found[prefix] = value["@id"]
    return found


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
        namespaces=_namespaces(context),
    )
