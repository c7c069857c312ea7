"""CBV 2.0 event hash IDs: ``ni:///sha-256;<hex>?ver=CBV2.0`` for EPCIS 2.0 JSON/JSON-LD events.

The pre-hash string is built by :mod:`foodtrace.epcis.prehash` (its docstring lists the rules,
including the ``destinationList``-before-``sourceList`` order of the reference vectors);
values are normalised by :mod:`foodtrace.epcis.hash_values`.

No JSON-LD processor is used: CURIE prefixes come from the document's own ``@context`` (its
string entries are context URLs and are skipped; its objects map prefixes to namespace IRIs),
on top of the prefixes of the standard EPCIS 2.0 context, and from an event's own ``@context``
if it has one. The hash uses the namespace IRI, never the prefix, so two documents that bind
different prefixes to one namespace hash alike.

Identifiers are canonicalised by :func:`foodtrace.gs1.digital_link.canonical_identifier`. Two
more differences from the reference implementation follow from that: a Digital Link whose
values are percent-encoded is canonicalised (the reference leaves it as written), and a Digital
Link that fails validation, e.g. on its check digit, is left as written (the reference rewrites
it without checking).

A document may name fields to leave out of every event's hash with a namespaced
``…:ignoreFields`` member (a list of CURIEs) on the document or on ``epcisBody.queryResults``,
as the reference implementation's ``repository-x:ignoreFields`` vectors do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from foodtrace.epcis.prehash import STANDARD_NAMESPACES, builder
from foodtrace.exceptions import EPCISParseError, EventHashError

__all__ = [
    "document_hash_ids",
    "document_prehash_strings",
    "event_hash_id",
    "hash_id_of_prehash",
    "namespaces_from_context",
    "prehash_string",
]

_PREFIX = "ni:///sha-256;"
_SUFFIX = "?ver=CBV2.0"


def hash_id_of_prehash(prehash: str) -> str:
    """``ni:///sha-256;<hex>?ver=CBV2.0`` of a pre-hash string (UTF-8)."""
    return _PREFIX + hashlib.sha256(prehash.encode()).hexdigest() + _SUFFIX


def _declared(context: object) -> dict[str, str]:
    """The prefixes a ``@context`` (string, object or list of both) itself defines."""
    declared: dict[str, str] = {}
    for entry in context if isinstance(context, list) else [context]:
        if not isinstance(entry, Mapping):
            continue  # a context URL
        for prefix, definition in entry.items():
            if not isinstance(prefix, str) or prefix.startswith("@"):
                continue
            iri = definition.get("@id") if isinstance(definition, Mapping) else definition
            if isinstance(iri, str) and ":" in iri:
                declared[prefix] = iri
    return declared


def namespaces_from_context(context: object) -> dict[str, str]:
    """Prefix → namespace IRI from a JSON-LD ``@context`` (string, object or list of both).

    The standard EPCIS prefixes (``epcis``, ``cbv``, ``gs1``, ``rdfs``, …) are always present;
    the document's own definitions override them. Term definitions given as objects count when
    their ``@id`` is an IRI.
    """
    return {**STANDARD_NAMESPACES, **_declared(context)}


def prehash_string(
    event: Mapping[str, Any],
    namespaces: Mapping[str, str] | None = None,
    *,
    ignore_fields: frozenset[str] = frozenset(),
) -> str:
    """The canonical pre-hash string of one event.

    ``namespaces`` maps CURIE prefixes to IRIs (for an event out of a document, pass
    ``namespaces_from_context(doc["@context"])``); by default the standard EPCIS prefixes and
    any ``@context`` the event carries itself. ``ignore_fields`` holds expanded field names
    (``{https://ns.example.com/}captureID``) to leave out.
    """
    if not isinstance(event, Mapping):
        raise EventHashError(f"an event must be a JSON object, got {type(event).__name__}")
    ns = _event_namespaces(event, namespaces)
    return builder(ns, ignore_fields).event(event)


def event_hash_id(
    event: Mapping[str, Any],
    namespaces: Mapping[str, str] | None = None,
    *,
    ignore_fields: frozenset[str] = frozenset(),
) -> str:
    """The CBV 2.0 event hash ID ``ni:///sha-256;<hex>?ver=CBV2.0`` of one event."""
    return hash_id_of_prehash(prehash_string(event, namespaces, ignore_fields=ignore_fields))


def _event_namespaces(
    event: Mapping[str, Any], namespaces: Mapping[str, str] | None
) -> Mapping[str, str]:
    base = STANDARD_NAMESPACES if namespaces is None else namespaces
    own = event.get("@context")
    return base if own is None else {**base, **_declared(own)}


def _event_list(doc: Mapping[str, Any]) -> tuple[list[Any], Mapping[str, Any] | None]:
    """The events of a document and the object that may carry ``ignoreFields``."""
    body = doc.get("epcisBody")
    if not isinstance(body, Mapping):
        raise EPCISParseError(
            f"not an EPCIS document: no 'epcisBody' object (type {doc.get('type')!r})"
        )
    if "eventList" in body:
        events, holder = body["eventList"], doc
    elif "queryResults" in body:
        results = body["queryResults"]
        results_body = results.get("resultsBody") if isinstance(results, Mapping) else None
        if not isinstance(results_body, Mapping) or "eventList" not in results_body:
            raise EPCISParseError(
                "not an EPCIS query document: no epcisBody.queryResults.resultsBody.eventList"
            )
        events, holder = results_body["eventList"], results
    elif "event" in body:
        events, holder = [body["event"]], doc
    else:
        raise EPCISParseError(
            "not an EPCIS document: epcisBody has neither 'eventList' nor 'queryResults'"
        )
    if not isinstance(events, list):
        raise EPCISParseError(f"eventList must be an array, got {type(events).__name__}")
    return events, holder


def _ignore_fields(holder: Mapping[str, Any], namespaces: Mapping[str, str]) -> frozenset[str]:
    fields: set[str] = set()
    for key, value in holder.items():
        prefix, colon, local = key.partition(":")
        if not colon or local != "ignoreFields" or prefix not in namespaces:
            continue
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str):
                p, c, rest = name.partition(":")
                iri = namespaces.get(p) if c else None
                fields.add("{" + iri + "}" + rest if iri is not None else name)
    return frozenset(fields)


def document_prehash_strings(doc: Mapping[str, Any]) -> list[str]:
    """The pre-hash string of every event of an EPCISDocument or EPCISQueryDocument, in order."""
    if not isinstance(doc, Mapping):
        raise EPCISParseError(f"an EPCIS document must be a JSON object, got {type(doc).__name__}")
    namespaces = namespaces_from_context(doc.get("@context"))
    events, holder = _event_list(doc)
    ignore = _ignore_fields(holder, namespaces) if holder is not None else frozenset()
    shared = builder(namespaces, ignore)
    result = []
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            raise EventHashError(
                f"event {index}: must be a JSON object, got {type(event).__name__}"
            )
        try:
            if "@context" in event:
                result.append(prehash_string(event, namespaces, ignore_fields=ignore))
            else:
                result.append(shared.event(event))
        except EventHashError as exc:
            raise EventHashError(f"event {index}: {exc}") from None
    return result


def document_hash_ids(doc: Mapping[str, Any]) -> list[str]:
    """The CBV 2.0 hash ID of every event of an EPCIS 2.0 JSON document, in document order.

    Takes the parsed JSON of an ``EPCISDocument`` (``epcisBody.eventList``) or an
    ``EPCISQueryDocument`` (``epcisBody.queryResults.resultsBody.eventList``). Raises
    :class:`EPCISParseError` when the document has no event list and :class:`EventHashError`
    (naming the event's index) when an event cannot be canonicalised.
    """
    return [hash_id_of_prehash(p) for p in document_prehash_strings(doc)]
